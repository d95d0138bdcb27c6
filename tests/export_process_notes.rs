//! Private process notes (psychotherapy notes) in a client's record and data export:
//! left out by default, included only when the therapist chooses so for one export, and
//! that choice is on the export's disclosure row. The practice's export always holds
//! them (the therapist's own practice moving). The PDF and its PNG page are under
//! `target/documents/export/` for a reviewer.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::*;
use kap_practice::appointments::{
    self, AppointmentInput, AppointmentKind, AppointmentStatus, Location,
};
use kap_practice::export::{self, ClientExportOptions};
use kap_practice::key::DataKey;
use kap_practice::notes;
use kap_practice::practice;
use kap_practice::store::Store;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

const ANA_PROCESS: &str = "PROCESS-MARK-4417 my hunch: the lighthouse is her father.";
const BO_PROCESS: &str = "OTHER-PROCESS-MARK-9902 felt sleepy in the room.";
const SESSION_NOTE: &str = "Session note text: discussed sleep and routines.";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 20, 0, 0).unwrap()
}

fn store_in(dir: &Path) -> Store {
    let folder = dir.join("practice");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("practice.db");
    let key = DataKey::generate().unwrap();
    drop(Store::create(&path, &key).unwrap());
    let store = Store::open_with_clock(&path, &key, arc_clock(now())).unwrap();
    store.write(|w| practice::init(w, &new_practice())).unwrap();
    store
}

fn psychotherapy(store: &Store, client: i64, day: u32) -> i64 {
    store
        .write(|w| {
            let id = appointments::book(
                w,
                AppointmentInput {
                    course_reason: None,
                    kind: AppointmentKind::Psychotherapy,
                    starts_local: date(2026, 3, day).and_hms_opt(15, 0, 0).unwrap(),
                    duration_minutes: None,
                    location: Location::Telehealth,
                    location_note: None,
                    client_ids: vec![client],
                    notes: String::new(),
                },
            )?;
            appointments::set_status(w, id, AppointmentStatus::Completed)?;
            Ok(id)
        })
        .unwrap()
}

/// Ana with a session, its note and its process notes; Bo with process notes of his own.
fn fixture(store: &Store) -> (i64, i64) {
    let (ana, _) = cleared_client(store, "Ana Lighthouse");
    let (bo, _) = cleared_client(store, "Bo Strand");
    let a = psychotherapy(store, ana, 10);
    let b = psychotherapy(store, bo, 11);
    store
        .write(|w| {
            let n = notes::save_draft(
                w,
                a,
                ana,
                notes::NoteBody::FreeText {
                    text: SESSION_NOTE.into(),
                },
            )?;
            notes::sign(w, n)?;
            notes::process::save(w, a, ana, ANA_PROCESS)?;
            notes::process::save(w, b, bo, BO_PROCESS)?;
            Ok(())
        })
        .unwrap();
    (ana, bo)
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/documents/export");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The newest disclosure row: its document and whether process notes were included.
fn last_disclosure(store: &Store) -> (String, bool) {
    store
        .read(|c| {
            Ok(c.query_row(
                "SELECT document, process_notes FROM disclosure ORDER BY audit_seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap()
}

fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

fn everything(entries: &[(String, Vec<u8>)]) -> String {
    entries
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect()
}

#[test]
fn the_record_pdf_leaves_process_notes_out_unless_included() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let (ana, _) = fixture(&store);
    let out = out_dir();

    // Default: not a word of them, and the disclosure row says so.
    let plain = out.join("record-without-process-notes.pdf");
    export::client_record_pdf(&store, ana, &plain, None).unwrap();
    let text = pdftotext(&plain);
    assert!(text.contains("discussed sleep and routines"), "{text}");
    assert!(
        !text.contains("PROCESS-MARK"),
        "no process notes by default"
    );
    assert!(!text.contains("Psychotherapy (process) notes"));
    assert_eq!(last_disclosure(&store), ("client_record".into(), false));

    // Included explicitly for this one record.
    let with = out.join("record-with-process-notes.pdf");
    export::client_record_pdf_with(
        &store,
        ana,
        &with,
        ClientExportOptions {
            to: None,
            process_notes: true,
        },
    )
    .unwrap();
    let text = pdftotext(&with);
    assert!(
        text.contains(
            "Psychotherapy (process) notes — included at the therapist's explicit choice"
        ),
        "{text}"
    );
    assert!(text.contains("PROCESS-MARK-4417"), "{text}");
    assert!(
        text.contains("Tue, Mar 10, 2026"),
        "each note with its date: {text}"
    );
    assert!(!text.contains("OTHER-PROCESS-MARK"), "only this client's");
    assert_eq!(last_disclosure(&store), ("client_record".into(), true));

    // The last page holds the section: drawn for a reviewer.
    let stem = out.join("record-with-process-notes");
    for old in std::fs::read_dir(&out).unwrap().flatten() {
        let f = old.file_name().to_string_lossy().into_owned();
        if f.starts_with("record-with-process-notes-") && f.ends_with(".png") {
            std::fs::remove_file(old.path()).unwrap();
        }
    }
    let ok = Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(&with)
        .arg(&stem)
        .status()
        .unwrap();
    assert!(ok.success());
}

#[test]
fn the_client_zip_holds_process_notes_only_when_included() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    let (ana, _) = fixture(&store);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();

    let plain = out.join("plain.zip");
    let manifest = export::client_zip(&store, ana, &plain, None).unwrap();
    assert!(manifest.entities.iter().all(|e| e.name != "process_notes"));
    let entries = zip_entries(&plain);
    assert!(entries.iter().all(|(n, _)| !n.starts_with("process_notes")));
    assert!(!everything(&entries).contains("PROCESS-MARK"));
    assert_eq!(last_disclosure(&store), ("client_export".into(), false));

    let with = out.join("with.zip");
    let manifest = export::client_zip_with(
        &store,
        ana,
        &with,
        ClientExportOptions {
            to: None,
            process_notes: true,
        },
    )
    .unwrap();
    let listed = manifest
        .entities
        .iter()
        .find(|e| e.name == "process_notes")
        .unwrap();
    assert_eq!(listed.rows, 1);
    let entries = zip_entries(&with);
    let rows: Vec<Value> = serde_json::from_slice(
        &entries
            .iter()
            .find(|(n, _)| n == "process_notes.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["client_id"], Value::from(ana));
    assert_eq!(rows[0]["body"], Value::from(ANA_PROCESS));
    assert!(!everything(&entries).contains("OTHER-PROCESS-MARK"));
    assert_eq!(last_disclosure(&store), ("client_export".into(), true));

    // The practice's export carries every client's, and records none as a choice.
    let practice_zip = out.join("practice.zip");
    export::practice_zip(&store, &practice_zip).unwrap();
    let all = everything(&zip_entries(&practice_zip));
    assert!(all.contains("PROCESS-MARK-4417") && all.contains("OTHER-PROCESS-MARK-9902"));
    assert_eq!(last_disclosure(&store), ("practice_export".into(), false));
    assert!(store.inspect_audit().unwrap().findings.is_empty());
}
