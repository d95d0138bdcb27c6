//! Exports through a real encrypted practice: a client's or the whole practice's records
//! as JSON and CSV in a zip, unzipped and parsed back; a client's complete record as a
//! PDF read back with poppler. A client's export holds nothing of another client, every
//! export is in the audit log, hostile text survives exactly (and cannot run as a
//! spreadsheet formula), and a refused or failed export leaves no file behind.
//! The PDFs and their PNG pages are under `target/documents/export/` for a reviewer.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use kap_practice::appointments::{
    self, AppointmentInput, AppointmentKind, AppointmentStatus, Location,
};
use kap_practice::audit::{self, EntityKind};
use kap_practice::billing::{self, BillingProfile, PaymentMethod};
use kap_practice::export::{self, neutralise};
use kap_practice::files::is_safe_file_name;
use kap_practice::followups::{self, FollowUpInput, FollowUpKind};
use kap_practice::notes::{self, IntegrationNote, NoteBody};
use kap_practice::store::Store;
use kap_practice::{clients, Cents, Error};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------------------------
// Hostile text: quotes, commas, newlines, formula prefixes, an RTL override, emoji.

const NAME: &str = "=Zoë \"Q\" O'Brien, Jr. 🌿 \u{202E}fdp.exe";
const CLIENT_NOTES: &str = "+1 (212) 555-0147, \"call first\"\nSecond line; ümlaut";
const NOTE_TEXT: &str = "@SUM(A1) said \"enough\", then left.\nNew line: שלום \u{202E}RTL 🌿";
const AMEND_1: &str = "-2 mg correction: dose was 2 × 100 mg lozenges, lot 44B.";
const AMEND_2: &str = "Second amendment, with \"quotes\", commas\r\nand a CRLF.";
const INTEGRATION: &str = "=HYPERLINK(\"http://x.example\",\"click\") themes of renewal";

/// Text that only the other client's records hold.
const OTHER_NAME: &str = "Wilhelmina Qxzyvorth";
const OTHER_MARK: &str = "OTHER-CLIENT-MARKER-7731";

fn book(
    store: &Store,
    kind: AppointmentKind,
    clients: Vec<i64>,
    day: u32,
    hour: u32,
    location: Location,
) -> i64 {
    store
        .write(|w| {
            let id = appointments::book(
                w,
                AppointmentInput {
                    course_reason: None,
                    kind,
                    starts_local: date(2026, 3, day).and_hms_opt(hour, 0, 0).unwrap(),
                    duration_minutes: None,
                    location,
                    location_note: None,
                    client_ids: clients.clone(),
                    // A group session's shared notes may name its members; here they
                    // name the other client, so a client's export must leave them out.
                    notes: if kind == AppointmentKind::GroupKapSession {
                        format!("Group of two; {OTHER_NAME} arrived late.")
                    } else {
                        "Own appointment note.".into()
                    },
                },
            )?;
            appointments::set_status(w, id, AppointmentStatus::Completed)?;
            Ok(id)
        })
        .unwrap()
}

struct Fixture {
    client: i64,
    other: i64,
}

/// Two cleared clients. The first has a KAP session with a signed note and two
/// amendments, a free-text psychotherapy note, an integration note, a group session
/// shared with the other client, a follow-up, a billing profile, an invoice and a
/// payment. The other client has records of their own, marked with `OTHER_MARK`.
fn records(store: &Store) -> Fixture {
    let (client, _) = cleared_client(store, NAME);
    let (other, _) = cleared_client(store, OTHER_NAME);
    store
        .write(|w| {
            let mut c = clients::get(w.conn(), client, today())?.details;
            c.notes = CLIENT_NOTES.into();
            c.email = Some("zoe@example.org".into());
            clients::update(w, client, c, today())?;
            let mut o = clients::get(w.conn(), other, today())?.details;
            o.notes = OTHER_MARK.into();
            clients::update(w, other, o, today())?;
            billing::set_billing_profile(
                w,
                client,
                BillingProfile {
                    diagnosis_codes: vec!["F33.1".into()],
                    member_id: Some("M-123".into()),
                },
            )
        })
        .unwrap();

    let kap = book(
        store,
        AppointmentKind::KapSession,
        vec![client],
        10,
        10,
        Location::KapRoom,
    );
    let psy = book(
        store,
        AppointmentKind::Psychotherapy,
        vec![client],
        11,
        15,
        Location::Telehealth,
    );
    let int = book(
        store,
        AppointmentKind::IntegrationSession,
        vec![client],
        12,
        10,
        Location::Telehealth,
    );
    let group = book(
        store,
        AppointmentKind::GroupKapSession,
        vec![client, other],
        17,
        10,
        Location::KapRoom,
    );
    store
        .write(|w| {
            let n = notes::save_draft(w, kap, client, kap_note("To meet my grief with kindness."))?;
            notes::sign(w, n)?;
            notes::amend(w, n, AMEND_1)?;
            notes::amend(w, n, AMEND_2)?;
            let n = notes::save_draft(
                w,
                psy,
                client,
                NoteBody::FreeText {
                    text: NOTE_TEXT.into(),
                },
            )?;
            notes::sign(w, n)?;
            notes::save_draft(
                w,
                int,
                client,
                NoteBody::Integration(IntegrationNote {
                    what_came_up: "The lake, and my father's voice.".into(),
                    themes: INTEGRATION.into(),
                    commitments: "Walk every morning.".into(),
                }),
            )?;
            notes::save_draft(w, group, client, kap_note("Group: to listen."))?;
            let n = notes::save_draft(w, group, other, kap_note(OTHER_MARK))?;
            notes::sign(w, n)?;
            notes::amend(w, n, OTHER_MARK)?;
            followups::create(
                w,
                client,
                FollowUpInput {
                    kind: FollowUpKind::Call,
                    due_on: date(2026, 3, 20),
                    note: "Check in, \"gently\", after the group.".into(),
                },
            )?;
            followups::create(
                w,
                other,
                FollowUpInput {
                    kind: FollowUpKind::Call,
                    due_on: date(2026, 3, 20),
                    note: OTHER_MARK.into(),
                },
            )?;
            // A PHQ-9 each; the client's flags item 9 and has its safety assessment.
            let phq9 = |item9: u8| kap_practice::measures::MeasureInput {
                instrument: kap_practice::measures::Instrument::Phq9,
                taken_on: date(2026, 3, 9),
                answers: [2, 2, 1, 1, 1, 1, 1, 1, item9].map(Some).to_vec(),
                difficulty: Some(1),
                appointment_id: None,
            };
            let source = kap_practice::measures::MeasureSource::Paper;
            let m = kap_practice::measures::record(w, client, phq9(1), source, today())?;
            kap_practice::measures::safety::assess(
                w,
                m,
                kap_practice::measures::safety::SafetyAssessmentInput {
                    assessed_at: date(2026, 3, 9).and_hms_opt(9, 0, 0).unwrap(),
                    risk_level: kap_practice::measures::safety::RiskLevel::Low,
                    plan: "Passive thoughts only; safety plan reviewed.".into(),
                    consulted: "No one".into(),
                },
            )?;
            kap_practice::measures::record(w, other, phq9(0), source, today())?;
            Ok(())
        })
        .unwrap();

    let charges = store
        .read(|c| billing::charges_for_client(c, client))
        .unwrap();
    let kap_charge = charges
        .iter()
        .find(|c| c.service_date == date(2026, 3, 10))
        .unwrap()
        .id;
    store
        .write(|w| {
            let inv =
                billing::create_invoice(w, client, &[kap_charge], date(2026, 3, 10), today())?;
            billing::record_payment(
                w,
                inv,
                date(2026, 3, 12),
                PaymentMethod::Zelle,
                Cents(20_000),
                today(),
            )
        })
        .unwrap();
    let other_charges = store
        .read(|c| billing::charges_for_client(c, other))
        .unwrap();
    store
        .write(|w| {
            let inv = billing::create_invoice(
                w,
                other,
                &[other_charges[0].id],
                date(2026, 3, 17),
                today(),
            )?;
            billing::record_payment(
                w,
                inv,
                date(2026, 3, 17),
                PaymentMethod::Cash,
                Cents(1_000),
                today(),
            )
        })
        .unwrap();
    Fixture { client, other }
}

// ---------------------------------------------------------------------------------
// Reading an archive back

/// Every entry of a zip, decompressed.
fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.insert(f.name().unwrap().into_owned(), bytes);
    }
    out
}

/// A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF record ends.
fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                assert!(field.is_empty(), "a quote only opens a field");
                quoted = true;
            }
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "records end in CRLF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            '\n' => panic!("a bare LF outside quotes"),
            c => field.push(c),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "the file ends with CRLF"
    );
    rows
}

struct Archive {
    files: BTreeMap<String, Vec<u8>>,
    manifest: Value,
}

impl Archive {
    fn read(path: &Path) -> Archive {
        let files = unzip(path);
        let manifest = serde_json::from_slice(&files["manifest.json"]).unwrap();
        Archive { files, manifest }
    }

    fn json(&self, name: &str) -> Vec<Value> {
        let v: Value = serde_json::from_slice(&self.files[&format!("{name}.json")]).unwrap();
        v.as_array().unwrap().clone()
    }

    /// The CSV's rows as maps from column name to cell.
    fn csv(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        let mut rows = parse_csv(&self.files[&format!("{name}.csv")]).into_iter();
        let header = rows.next().unwrap();
        rows.map(|r| {
            assert_eq!(
                r.len(),
                header.len(),
                "{name}.csv: every row has every column"
            );
            header.iter().cloned().zip(r).collect()
        })
        .collect()
    }

    fn count(&self, name: &str) -> u64 {
        self.manifest["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .map(|e| e["rows"].as_u64().unwrap())
            .unwrap_or_else(|| panic!("{name} is in the manifest"))
    }

    /// JSON and CSV agree with each other and with the manifest, column for column.
    fn check_consistent(&self) {
        for e in self.manifest["entities"].as_array().unwrap() {
            let name = e["name"].as_str().unwrap();
            let json = self.json(name);
            let csv = self.csv(name);
            let rows = e["rows"].as_u64().unwrap() as usize;
            assert_eq!(json.len(), rows, "{name}.json has the manifest's row count");
            assert_eq!(csv.len(), rows, "{name}.csv has the manifest's row count");
            let columns: Vec<(&str, &str)> = e["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c["name"].as_str().unwrap(), c["type"].as_str().unwrap()))
                .collect();
            for (j, c) in json.iter().zip(&csv) {
                let obj = j.as_object().unwrap();
                assert_eq!(obj.len(), columns.len(), "{name}: every column, no more");
                for (col, kind) in &columns {
                    let v = &obj[*col];
                    let cell = &c[*col];
                    let expected = match v {
                        Value::Null => String::new(),
                        Value::String(s) => neutralise(s).into_owned(),
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        other => neutralise(&other.to_string()).into_owned(),
                    };
                    assert_eq!(cell, &expected, "{name}.{col}: CSV cell matches JSON");
                    match (*kind, v) {
                        (_, Value::Null) => {}
                        ("integer" | "cents", v) => {
                            assert!(v.is_i64(), "{name}.{col} is an integer")
                        }
                        ("boolean", v) => assert!(v.is_boolean(), "{name}.{col} is a boolean"),
                        ("date", Value::String(s)) => {
                            s.parse::<chrono::NaiveDate>().unwrap();
                            assert_eq!(s.len(), 10, "{name}.{col} is YYYY-MM-DD");
                        }
                        ("time", Value::String(s)) => {
                            chrono::DateTime::parse_from_rfc3339(s).unwrap();
                            assert!(s.ends_with('Z'), "{name}.{col} is UTC");
                        }
                        ("text", v) => assert!(v.is_string(), "{name}.{col} is text"),
                        ("json", _) => {}
                        (k, v) => panic!("{name}.{col}: {k} holds {v}"),
                    }
                }
            }
        }
    }
}

fn exports_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn exports_of(store: &Store, kind: EntityKind, id: i64) -> usize {
    store
        .read(|c| audit::for_entity(c, kind, id, 1000))
        .unwrap()
        .iter()
        .filter(|r| r.action == "export")
        .count()
}

// ---------------------------------------------------------------------------------
// Zip exports

#[test]
fn a_client_export_holds_the_whole_record_and_nothing_of_anyone_else() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let fx = records(store);
    let out = exports_dir();
    let name = export::client_zip_name(fx.client, today());
    assert!(is_safe_file_name(&name), "{name}");
    assert_eq!(
        name,
        format!("client-{:06}-export-2026-11-26.zip", fx.client)
    );
    let path = out.path().join(&name);

    let before = exports_of(store, EntityKind::Client, fx.client);
    let manifest = export::client_zip(store, fx.client, &path, None).unwrap();
    assert_eq!(
        exports_of(store, EntityKind::Client, fx.client),
        before + 1,
        "the export is one audit row against the client"
    );
    store.verify_audit().unwrap();

    let a = Archive::read(&path);
    a.check_consistent();
    assert_eq!(a.manifest["scope"], "client");
    assert_eq!(a.manifest["client_id"], fx.client);
    assert_eq!(a.manifest["app_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        a.manifest["schema_version"].as_i64().unwrap(),
        store.schema_version().unwrap()
    );
    assert_eq!(
        manifest.counts().len(),
        a.manifest["entities"].as_array().unwrap().len()
    );
    for practice_only in [
        "practice_settings",
        "fee_schedule",
        "service_codes",
        "contraindications",
    ] {
        assert!(
            !a.files.contains_key(&format!("{practice_only}.json")),
            "{practice_only} is practice data, not the client's"
        );
    }
    assert!(
        !a.files.contains_key("process_notes.json"),
        "private process notes are in a client's export only when included explicitly"
    );
    assert!(String::from_utf8_lossy(&a.files["README.txt"]).contains("NOT encrypted"));

    // Counts: one client; four appointments, one attendee row each (only this client's);
    // three notes (the group draft included), two amendments.
    for (entity, n) in [
        ("clients", 1),
        ("billing_profiles", 1),
        ("intakes", 2),
        ("screenings", 1),
        ("prescriptions", 1),
        ("consents", 1),
        ("appointments", 4),
        ("measures", 1),
        ("safety_assessments", 1),
        ("appointment_attendees", 4),
        ("session_notes", 4),
        ("amendments", 2),
        ("invoices", 1),
        ("invoice_lines", 1),
        ("payments", 1),
        ("prescribers", 1),
    ] {
        assert_eq!(a.count(entity), n, "{entity}");
    }
    assert!(a.count("screening_answers") >= 8, "every checklist answer");
    assert!(
        a.count("follow_ups") >= 2,
        "the call and the integration due"
    );
    assert!(a.count("charges") >= 5, "prescription and four sessions");

    // Values come back exactly, typed.
    let c = &a.json("clients")[0];
    assert_eq!(c["id"], fx.client);
    assert_eq!(c["legal_name"], NAME);
    assert_eq!(c["notes"], CLIENT_NOTES);
    assert_eq!(c["date_of_birth"], "1988-08-08");
    assert!(
        c["presenting_concerns"].is_array(),
        "nested JSON, not a string"
    );
    assert_eq!(c["fee_arrangement"]["kind"], "standard");
    let csv = &a.csv("clients")[0];
    assert_eq!(
        csv["legal_name"],
        format!("'{NAME}"),
        "a formula-looking name is neutralised"
    );
    assert_eq!(csv["notes"], format!("'{CLIENT_NOTES}"));
    assert_eq!(csv["email"], "zoe@example.org");

    let notes = a.json("session_notes");
    let free = notes
        .iter()
        .find(|n| n["body"]["kind"] == "free_text")
        .unwrap();
    assert_eq!(free["body"]["text"], NOTE_TEXT);
    assert!(free["signed_at"].as_str().unwrap().ends_with('Z'));
    let seal = free["seal"].as_str().unwrap();
    assert!(
        seal.len() == 64 && seal.bytes().all(|b| b.is_ascii_hexdigit()),
        "a signed note carries its seal: {seal}"
    );
    let integ = notes
        .iter()
        .find(|n| n["body"]["kind"] == "integration")
        .unwrap();
    assert_eq!(integ["body"]["themes"], INTEGRATION);
    assert!(
        integ["signed_at"].is_null() && integ["seal"].is_null(),
        "a draft is exported as a draft, with no seal"
    );
    let amendments = a.json("amendments");
    assert_eq!(amendments[0]["text"], AMEND_1);
    assert_eq!(amendments[1]["text"], AMEND_2);
    let amend_csv = a.csv("amendments");
    assert_eq!(amend_csv[0]["text"], format!("'{AMEND_1}"));
    assert_eq!(
        amend_csv[1]["text"], AMEND_2,
        "CRLF inside a quoted field survives"
    );

    let appts = a.json("appointments");
    assert!(
        appts.iter().any(|r| r["notes"] == "Own appointment note."),
        "the client's own appointment notes are exported"
    );
    let inv = &a.json("invoices")[0];
    assert_eq!(inv["number"], "2026-0001");
    let pay = &a.json("payments")[0];
    assert_eq!(pay["amount_cents"], 20_000);
    assert_eq!(pay["method"], "zelle");
    assert_eq!(pay["paid_on"], "2026-03-12");
    let line = &a.json("invoice_lines")[0];
    assert!(line["amount_cents"].is_i64() && line["usual_cents"] == 60_000);

    // Nothing of the other client, in any file, in any form.
    for (file, bytes) in &a.files {
        let text = String::from_utf8_lossy(bytes);
        for mark in [OTHER_MARK, "Qxzyvorth", "Wilhelmina"] {
            assert!(
                !text.contains(mark),
                "{file} holds the other client's {mark:?}"
            );
        }
    }
    for entity in [
        "appointment_attendees",
        "session_notes",
        "follow_ups",
        "measures",
        "safety_assessments",
        "charges",
        "invoices",
        "payments",
        "intakes",
    ] {
        for row in a.json(entity) {
            assert_eq!(
                row["client_id"], fx.client,
                "{entity}: only this client's rows"
            );
        }
    }
    assert!(
        !a.json("appointment_attendees")
            .iter()
            .any(|r| r["client_id"] == fx.other),
        "the group session's roster is not in the client's export"
    );
}

#[test]
fn the_practice_export_holds_everyone_and_the_settings() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let fx = records(store);
    let out = exports_dir();
    let name = export::practice_zip_name(today());
    assert_eq!(name, "practice-export-2026-11-26.zip");
    let path = out.path().join(&name);
    export::practice_zip(store, &path).unwrap();
    assert_eq!(
        exports_of(store, EntityKind::Practice, 1),
        1,
        "audited against the practice"
    );

    let a = Archive::read(&path);
    a.check_consistent();
    assert_eq!(a.manifest["scope"], "practice");
    assert!(a.manifest["client_id"].is_null());
    assert_eq!(a.count("clients"), 2);
    assert_eq!(
        a.count("appointment_attendees"),
        5,
        "both attendees of the group session"
    );
    assert_eq!(a.count("prescribers"), 2);
    assert_eq!(a.count("practice_settings"), 1);
    assert_eq!(a.count("fee_schedule"), 7);
    assert!(a.count("contraindications") >= 8);
    let settings = &a.json("practice_settings")[0];
    assert_eq!(settings["practice_name"], "Union Square KAP");
    assert_eq!(settings["time_zone"], "America/New_York");
    let fees = a.json("fee_schedule");
    let kap = fees.iter().find(|f| f["service"] == "kap_session").unwrap();
    assert_eq!(kap["fee_cents"], 60_000);
    let ids: Vec<i64> = a
        .json("clients")
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![fx.client, fx.other]);
    let group = a
        .json("appointments")
        .into_iter()
        .find(|r| r["kind"] == "group_kap_session")
        .unwrap();
    assert!(
        group["notes"].as_str().unwrap().contains(OTHER_NAME),
        "the practice export keeps a group session's notes"
    );
    let amendments = a.json("amendments");
    assert_eq!(amendments.len(), 3);
    assert_eq!(amendments[2]["client_id"], fx.other);
}

#[test]
fn targets_are_checked_and_failures_leave_nothing() {
    let (dir, folder, _k, opened) = practice();
    let store = &opened.store;
    let fx = records(store);
    let audit_before = store.verify_audit().unwrap().rows;

    let refused = |path: PathBuf| {
        let err = export::client_zip(store, fx.client, &path, None).unwrap_err();
        assert!(
            matches!(&err, Error::Invalid(f) if f.has("path")),
            "{path:?}: {err:?}"
        );
    };
    // The practice's own folder (and anything under it), a missing folder, a relative
    // path, a folder in place of a file.
    refused(folder.db_path().with_file_name("export.zip"));
    refused(folder.db_path());
    std::fs::create_dir_all(folder.db_path().with_file_name("sub")).unwrap();
    refused(folder.db_path().with_file_name("sub").join("export.zip"));
    refused(dir.path().join("no-such-folder").join("export.zip"));
    refused(PathBuf::from("export.zip"));
    refused(dir.path().join("export.pdf"));
    refused(dir.path().join("export"));
    refused(dir.path().join(".zip"));
    refused(dir.path().join("x").join("..").join("export.zip"));
    refused(dir.path().to_owned());

    // An unknown client: nothing written, nothing audited, no temporary file left.
    let out = exports_dir();
    let err = export::client_zip(store, 999_999, &out.path().join("x.zip"), None).unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    let err =
        export::client_record_pdf(store, 999_999, &out.path().join("x.pdf"), None).unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "no half files"
    );
    assert_eq!(
        store.verify_audit().unwrap().rows,
        audit_before,
        "no audit row for a failed export"
    );

    // A successful export over an existing file replaces it whole.
    let path = out.path().join(export::client_zip_name(fx.client, today()));
    std::fs::write(&path, b"old").unwrap();
    export::client_zip(store, fx.client, &path, None).unwrap();
    assert!(Archive::read(&path).count("clients") == 1);
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

// ---------------------------------------------------------------------------------
// The record PDF

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/documents/export");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Renders the pages as PNGs beside the PDF for a reviewer.
fn pngs(path: &Path, stem: &str) {
    let dir = path.parent().unwrap();
    for old in std::fs::read_dir(dir).unwrap().flatten() {
        let f = old.file_name().to_string_lossy().into_owned();
        if f.starts_with(&format!("{stem}-")) && f.ends_with(".png") {
            std::fs::remove_file(old.path()).unwrap();
        }
    }
    let ok = Command::new("pdftoppm")
        .args(["-r", "70", "-png"])
        .arg(path)
        .arg(dir.join(stem))
        .status()
        .unwrap();
    assert!(ok.success());
}

/// One field of `pdfinfo`'s report ("Pages", "Title" …), trimmed; empty when absent.
fn info_field(info: &str, name: &str) -> String {
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_record_pdf_holds_the_notes_and_amendments_in_order() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let fx = records(store);
    let name = export::client_record_name(fx.client, today());
    assert!(is_safe_file_name(&name), "{name}");
    assert_eq!(
        name,
        format!("client-{:06}-record-2026-11-26.pdf", fx.client)
    );
    let path = out_dir().join("record-hostile.pdf");
    let before = exports_of(store, EntityKind::Client, fx.client);
    let pages = export::client_record_pdf(store, fx.client, &path, None).unwrap();
    assert_eq!(exports_of(store, EntityKind::Client, fx.client), before + 1);
    pngs(&path, "record-hostile");

    let info = tool("pdfinfo", &[], &path);
    let field = |name: &str| info_field(&info, name);
    assert_eq!(field("Pages"), pages.to_string());
    assert_eq!(
        field("Title"),
        "Client record",
        "the title names the document only"
    );
    assert_eq!(
        field("Author"),
        "Union Square KAP",
        "the author is the practice"
    );
    let meta = format!("{info}{}", tool("pdfinfo", &["-meta"], &path));
    for fragment in ["Zoë", "O'Brien", "Brien", "zoe@"] {
        assert!(
            !meta.contains(fragment),
            "metadata holds no client data: {meta}"
        );
    }

    let text = tool("pdftotext", &[], &path);
    let all = flat(&text);
    for wanted in [
        "Client record",
        "Confidential — contains protected health information",
        "Zoë \"Q\" O'Brien, Jr.",
        "Intakes and contraindication screenings",
        "Mental-health intake",
        "Contraindication screening of Jan 20, 2026",
        "Consents",
        "Prescriptions",
        "KAP session",
        "To meet my grief with kindness.",
        "Integration session",
        "The lake, and my father's voice.",
        "Group KAP session",
        "Group: to listen.",
        "@SUM(A1) said \"enough\", then left.",
        "draft, not signed",
        "Check in, \"gently\", after the group.",
        "Outcome measures",
        "PHQ-9",
        "11 · Moderate",
        "Item 9 above 0",
        "Safety assessments",
        "Passive thoughts only; safety plan reviewed.",
        "2026-0001",
        "Zelle",
        "Balance due",
        "$400.00",
        &format!("Page 1 of {pages}"),
    ] {
        assert!(
            all.contains(&flat(wanted)),
            "the record shows {wanted:?}:\n{text}"
        );
    }
    // The amendments, in the order they were made, after their note.
    let note = all.find("To meet my grief").unwrap();
    let first = all.find(&flat(AMEND_1)).expect("the first amendment");
    let second = all.find(&flat(AMEND_2)).expect("the second amendment");
    assert!(
        note < first && first < second,
        "amendments follow their note in order"
    );
    assert!(all.contains("Amendment 1") && all.contains("Amendment 2"));

    for mark in [OTHER_MARK, "Qxzyvorth", "Wilhelmina"] {
        assert!(
            !all.contains(mark),
            "the record holds nothing of the other client"
        );
    }
    // Every page has its footer.
    for (i, page) in text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .enumerate()
    {
        let page = flat(page);
        assert!(
            page.contains(&format!("Page {} of {pages}", i + 1)),
            "page {} numbered",
            i + 1
        );
        assert!(
            page.contains("Confidential"),
            "page {} has the notice",
            i + 1
        );
    }
}

#[test]
fn a_long_record_flows_across_pages() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Renée Søndergaard-Núñez Müller-Straße");
    let long = "Long paragraph of session content that keeps going to test wrapping across \
                pages. "
        .repeat(120);
    for day in 1..=8 {
        let id = book(
            store,
            AppointmentKind::Psychotherapy,
            vec![client],
            day + 1,
            9,
            Location::Telehealth,
        );
        store
            .write(|w| {
                let n = notes::save_draft(
                    w,
                    id,
                    client,
                    NoteBody::FreeText {
                        text: format!("Day {day}. {long}"),
                    },
                )?;
                notes::sign(w, n)?;
                notes::amend(
                    w,
                    n,
                    &format!("Amendment for day {day}: {}", "x".repeat(300)),
                )
            })
            .unwrap();
    }
    let path = out_dir().join("record-long.pdf");
    let pages = export::client_record_pdf(store, client, &path, None).unwrap();
    pngs(&path, "record-long");
    assert!(pages > 8, "{pages} pages");
    let text = flat(&tool("pdftotext", &[], &path));
    for day in 1..=8 {
        assert!(
            text.contains(&format!("Day {day}. Long paragraph")),
            "day {day}"
        );
        assert!(
            text.contains(&format!("Amendment for day {day}:")),
            "amendment {day}"
        );
    }
}

#[test]
fn the_practice_export_reports_progress_and_a_cancel_leaves_nothing() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    records(store);
    let out = exports_dir();
    let path = out.path().join("practice.zip");

    // Cancelled at the third report: no file, no partial file, no audit row.
    let mut seen = Vec::new();
    let err = export::practice_zip_with(store, &path, &mut |p| {
        seen.push(p);
        seen.len() < 3
    })
    .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(seen.len(), 3);
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing is left in the folder"
    );
    assert_eq!(exports_of(store, EntityKind::Practice, 1), 0, "not audited");

    // Run to the end: the steps climb to the total, rows with them.
    let mut seen = Vec::new();
    export::practice_zip_with(store, &path, &mut |p| {
        seen.push(p);
        true
    })
    .unwrap();
    let last = *seen.last().unwrap();
    assert_eq!(last.done, last.total, "every step reported");
    assert!(
        last.total >= 20,
        "each entity's JSON and CSV: {}",
        last.total
    );
    assert!(last.rows > 0);
    assert!(
        seen.windows(2)
            .all(|w| w[0].done <= w[1].done && w[0].rows <= w[1].rows),
        "progress only moves forward"
    );
    assert!(path.exists());
    assert_eq!(exports_of(store, EntityKind::Practice, 1), 1);
}

// ---------------------------------------------------------------------------------
// The KAP course summary for the prescriber

#[test]
fn the_prescriber_summary_shows_the_course_and_is_audited_as_an_export() {
    use kap_practice::measures::safety::{self, RiskLevel, SafetyAssessmentInput};
    use kap_practice::measures::{self, Instrument, MeasureInput, MeasureSource};
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Zoë O'Brien");
    store
        .write(|w| kap_practice::fixtures::fill_course(w, client, 6, 12, today()))
        .unwrap();
    let flagged = store
        .write(|w| {
            measures::record(
                w,
                client,
                MeasureInput {
                    instrument: Instrument::Phq9,
                    taken_on: date(2017, 3, 1),
                    answers: [1, 1, 1, 0, 1, 0, 1, 0, 1].map(Some).to_vec(),
                    difficulty: Some(1),
                    appointment_id: None,
                },
                MeasureSource::Paper,
                today(),
            )
        })
        .unwrap();
    store
        .write(|w| {
            safety::assess(
                w,
                flagged,
                SafetyAssessmentInput {
                    assessed_at: date(2017, 3, 1).and_hms_opt(11, 0, 0).unwrap(),
                    risk_level: RiskLevel::Low,
                    plan: "Passive thoughts only; safety plan reviewed, 988 given.".into(),
                    consulted: "The prescriber, by phone".into(),
                },
            )
        })
        .unwrap();

    let name = export::prescriber_summary_name(client, today());
    assert!(is_safe_file_name(&name), "{name}");
    assert_eq!(
        name,
        format!("client-{client:06}-prescriber-summary-2026-11-26.pdf")
    );
    let path = out_dir().join("prescriber-summary.pdf");
    let before = exports_of(store, EntityKind::Client, client);
    let pages = export::prescriber_summary_pdf(store, client, &path, None).unwrap();
    assert_eq!(exports_of(store, EntityKind::Client, client), before + 1);
    let document: String = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT document FROM disclosure ORDER BY audit_seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(document, "prescriber_summary");
    pngs(&path, "prescriber-summary");

    let info = tool("pdfinfo", &[], &path);
    let field = |name: &str| info_field(&info, name);
    assert_eq!(field("Pages"), pages.to_string());
    assert_eq!(field("Title"), "KAP course summary");
    let meta = format!("{info}{}", tool("pdfinfo", &["-meta"], &path));
    assert!(!meta.contains("Zo") && !meta.contains("Brien"), "{meta}");

    let text = flat(&tool("pdftotext", &["-layout"], &path));
    for want in [
        "KAP course summary",
        "For the prescriber",
        "Zoë O'Brien",
        "Date of birth Aug 8, 1988",
        "Safety flags",
        "Item 9: 1",
        "Passive thoughts only",
        "Prescriptions",
        "100 mg",
        "KAP sessions",
        "6 KAP sessions documented of 6 planned",
        "Outcome measures",
        "PHQ-9 (0–27)",
        "GAD-7 (0–21)",
        "K6",
        "Moderately severe",
    ] {
        assert!(text.contains(want), "{want:?} in {text}");
    }
    // The first session's readings: before, about 40 minutes after, at discharge.
    assert!(
        text.contains("118/76 · 68 130/84 · 78 124/80 · 74"),
        "{text}"
    );
    store.verify_audit().unwrap();
}
