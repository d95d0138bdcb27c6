//! A practice export becoming a new practice, through real encrypted stores: export,
//! import into an empty practice, export again, and every JSON file is byte-identical.
//! Each hostile archive (paths that escape, a zip bomb, a truncated zip, a missing file,
//! malformed JSON, a wrong type, a newer version, a tampered signed note, a client's
//! export) is refused with a message that names no value, and leaves the practice as it
//! was: the same audit head, the same rows in every table.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::*;
use kap_practice::appointments::{
    self, AppointmentInput, AppointmentKind, AppointmentStatus, Location,
};
use kap_practice::billing::{self, PaymentMethod};
use kap_practice::demo::{self, DemoOptions, DemoSize};
use kap_practice::import::archive::{self as import_zip, Limits};
use kap_practice::key::DataKey;
use kap_practice::notes::{self, NoteBody};
use kap_practice::store::Store;
use kap_practice::{clients, export, practice, search, Cents, Error};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The stores' clock: the afternoon of `today()` in New York, whatever the machine's.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 20, 0, 0).unwrap()
}

/// A new, initialised practice in its own folder under `dir`, on the fixed clock.
fn store_in(dir: &Path, name: &str) -> Store {
    let folder = dir.join(name);
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("practice.db");
    let key = DataKey::generate().unwrap();
    drop(Store::create(&path, &key).unwrap());
    let store = Store::open_with_clock(&path, &key, arc_clock(now())).unwrap();
    store.write(|w| practice::init(w, &new_practice())).unwrap();
    store
}

fn export_to(store: &Store, dir: &Path, name: &str) -> PathBuf {
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let path = out.join(name);
    export::practice_zip(store, &path).unwrap();
    path
}

fn book(store: &Store, kind: AppointmentKind, clients: Vec<i64>, day: u32, hour: u32) -> i64 {
    let location = match kind {
        AppointmentKind::KapSession | AppointmentKind::GroupKapSession => Location::KapRoom,
        _ => Location::Telehealth,
    };
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
                    notes: "Room booked.".into(),
                },
            )?;
            appointments::set_status(w, id, AppointmentStatus::Completed)?;
            Ok(id)
        })
        .unwrap()
}

/// The edge cases a demo practice may not hold: a signed note with an amendment, an
/// unsigned one, a group appointment, an archived client, a voided invoice, a reversed
/// payment, an invoice partly paid.
fn edge_cases(store: &Store) -> i64 {
    let (ana, _) = cleared_client(store, "Ana Lighthouse");
    let (bo, _) = cleared_client(store, "Bo Strand");
    let psy = book(store, AppointmentKind::Psychotherapy, vec![ana], 10, 15);
    let draft = book(store, AppointmentKind::Psychotherapy, vec![bo], 11, 15);
    book(
        store,
        AppointmentKind::GroupKapSession,
        vec![ana, bo],
        17,
        10,
    );
    store
        .write(|w| {
            let n = notes::save_draft(
                w,
                psy,
                ana,
                NoteBody::FreeText {
                    text: "Spoke of the keeper of the tidewater beacon.".into(),
                },
            )?;
            notes::sign(w, n)?;
            notes::amend(w, n, "Correction: the beacon was in Maine.")?;
            notes::save_draft(
                w,
                draft,
                bo,
                NoteBody::FreeText {
                    text: "Unsigned so far.".into(),
                },
            )?;
            let cy = clients::create(w, clients::ClientInput::named("Cy Archived"), today())?;
            clients::archive(w, cy)
        })
        .unwrap();
    let charges = store.read(|c| billing::charges_for_client(c, ana)).unwrap();
    let priced: Vec<i64> = charges
        .iter()
        .filter(|c| c.amount.is_some())
        .map(|c| c.id)
        .collect();
    assert!(priced.len() >= 2, "both of Ana's sessions are charged");
    store
        .write(|w| {
            let first = billing::create_invoice(w, ana, &priced[..1], date(2026, 3, 10), today())?;
            billing::void_invoice(w, first, "Issued to the wrong date.")?;
            let inv = billing::create_invoice(w, ana, &priced, date(2026, 3, 18), today())?;
            let p = billing::record_payment(
                w,
                inv,
                date(2026, 3, 19),
                PaymentMethod::Check,
                Cents(5_000),
                today(),
            )?;
            billing::reverse_payment(w, p, date(2026, 3, 25), "The check bounced.", today())?;
            billing::record_payment(
                w,
                inv,
                date(2026, 3, 26),
                PaymentMethod::Cash,
                Cents(1_000),
                today(),
            )?;
            Ok(())
        })
        .unwrap();
    records_rights(store, ana, bo, psy);
    ana
}

/// The records rights and settings format 2 added: the notice and an acknowledgment
/// (one declined), an access request (extended), an authorization with a disclosure
/// entered under it, a process note, the KAP course's settings and who bills what.
fn records_rights(store: &Store, ana: i64, bo: i64, psy: i64) {
    use kap_practice::audit::{Action, EntityKind};
    use kap_practice::records::accounting::{self, EntryInput, Purpose, RecipientKind};
    use kap_practice::records::notice::{self, AcknowledgmentInput, Notice};
    use kap_practice::records::{access, Acknowledgment};
    store
        .write(|w| {
            notice::set(
                w,
                &Notice {
                    text: "# Notice of Privacy Practices\n\nHow your records are kept.".into(),
                    revised_on: Some(date(2026, 1, 5)),
                },
                today(),
            )?;
            for (client, outcome, note) in [
                (ana, Acknowledgment::Signed, None),
                (
                    bo,
                    Acknowledgment::Declined,
                    Some("Offered twice at the intake.".to_string()),
                ),
            ] {
                notice::acknowledge(
                    w,
                    client,
                    AcknowledgmentInput {
                        on: date(2026, 3, 10),
                        outcome,
                        note,
                    },
                    today(),
                )?;
            }
            let request = access::log(
                w,
                ana,
                access::AccessRequestInput {
                    received_on: date(2026, 11, 20),
                    requested_by: access::Requester::Representative,
                    representative: Some("Dana Lighthouse, health care agent".into()),
                    access: access::AccessKind::Copy,
                    records: "Notes since March".into(),
                    format: access::AccessFormat::Pdf,
                    delivery: access::Delivery::Email,
                },
                today(),
            )?;
            access::extend(
                w,
                request,
                date(2026, 11, 24),
                "The record is being gathered from storage.",
                today(),
            )?;
            // No core function writes an authorization yet: as the app will store one.
            w.conn().execute(
                "INSERT INTO authorization (client_id, discloser, recipient, information,
                     purpose, expires_on, process_notes, signed_on, signed_by, created_at,
                     updated_at)
                 VALUES (?1, 'The practice', 'Dr. Rowan Keel, 9 Harbor Rd', 'Session notes',
                     'Continuity of care', '2027-03-01', 1, '2026-03-12', 'client',
                     '2026-03-12T15:00:00.000000Z', '2026-03-12T15:00:00.000000Z')",
                [ana],
            )?;
            let authorization = w.conn().last_insert_rowid();
            w.audit(Action::Create, EntityKind::Authorization, authorization)?;
            accounting::add_entry(
                w,
                ana,
                EntryInput {
                    disclosed_on: date(2026, 3, 14),
                    recipient_kind: RecipientKind::Prescriber,
                    recipient: "Dr. Rowan Keel".into(),
                    information: "Session notes, by fax".into(),
                    purpose: Purpose::Authorized,
                    purpose_note: None,
                    authorization_id: Some(authorization),
                },
                today(),
            )?;
            notes::process::save(w, psy, ana, "PROCESS-ONLY: the beacon felt like me.")?;
            let mut course = kap_practice::measures::settings::get(w.conn())?;
            course.pcl5_cut_point = 31;
            course.hold_systolic = 150;
            kap_practice::measures::settings::set(w, course)?;
            let mut s = practice::get(w.conn())?;
            s.bills_prescriptions = false;
            practice::update(w, s)
        })
        .unwrap();
}

// ---------------------------------------------------------------------------------
// Archives, read and rewritten

fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
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

fn write_entries(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn entry<'a>(entries: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut entries.iter_mut().find(|(n, _)| n == name).unwrap().1
}

/// Rewrites one entity's rows (and the manifest) in a copy of `src` at `dst`.
fn edited(
    src: &Path,
    dst: &Path,
    edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>, &mut Value),
) -> PathBuf {
    let mut all = entries(src);
    let mut manifest: Value = serde_json::from_slice(entry(&mut all, "manifest.json")).unwrap();
    edit(&mut all, &mut manifest);
    *entry(&mut all, "manifest.json") = serde_json::to_vec_pretty(&manifest).unwrap();
    write_entries(dst, &all);
    dst.to_path_buf()
}

fn rows_of(all: &mut [(String, Vec<u8>)], file: &str) -> Vec<Value> {
    serde_json::from_slice(entry(all, file)).unwrap()
}

fn set_rows(all: &mut [(String, Vec<u8>)], file: &str, rows: &[Value]) {
    *entry(all, file) = serde_json::to_vec(rows).unwrap();
}

// ---------------------------------------------------------------------------------
// What "untouched" means

/// The audit head and the number of rows in every table.
fn state(store: &Store) -> (String, Vec<(String, i64)>) {
    let head = store.verify_audit().unwrap().head;
    let counts = store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 ORDER BY name",
            )?;
            let names = stmt
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let mut out = Vec::new();
            for n in names {
                let count: i64 =
                    c.query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get(0))?;
                out.push((n, count));
            }
            Ok(out)
        })
        .unwrap();
    (head, counts)
}

/// Imports `zip` into a new practice, expects a refusal, and checks that the practice
/// did not change and that the message holds none of `secrets`. Returns the message.
fn refused(dir: &Path, zip: &Path, limits: Limits) -> String {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let target = store_in(dir, &format!("refusing-{n}"));
    let before = state(&target);
    let err = import_zip::practice_zip_with(&target, zip, limits)
        .expect_err("a hostile archive is refused");
    assert!(
        matches!(
            err,
            Error::ExportRefused(_) | Error::NotAnExport | Error::Conflict(_)
        ),
        "a refusal, not an internal error: {err:?}"
    );
    assert_eq!(state(&target), before, "a refused import changes nothing");
    let message = err.to_string();
    for secret in ["Ana", "Lighthouse", "Strand", "beacon", "Maine", "bounced"] {
        assert!(!message.contains(secret), "no PHI in {message:?}");
    }
    message
}

/// An export of the edge cases, in `dir/out/source.zip`.
fn edge_export(dir: &Path) -> PathBuf {
    let source = store_in(dir, "source");
    edge_cases(&source);
    export_to(&source, dir, "source.zip")
}

/// The JSON files and the manifest (without its time) of an export.
fn comparable(path: &Path) -> Vec<(String, Vec<u8>)> {
    entries(path)
        .into_iter()
        .filter(|(n, _)| n.ends_with(".json"))
        .map(|(n, bytes)| {
            if n == "manifest.json" {
                let mut m: Value = serde_json::from_slice(&bytes).unwrap();
                m.as_object_mut().unwrap().remove("exported_at");
                (n, serde_json::to_vec_pretty(&m).unwrap())
            } else {
                (n, bytes)
            }
        })
        .collect()
}

fn table(store: &Store, sql: &str) -> Vec<Vec<String>> {
    store
        .read(|c| {
            let mut stmt = c.prepare(sql)?;
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            let v: rusqlite::types::Value = r.get(i)?;
                            Ok(format!("{v:?}"))
                        })
                        .collect::<Result<Vec<_>, _>>()
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .unwrap()
}

/// Export → import into an empty practice → export: every JSON file byte-identical, the
/// manifest too apart from its time; then what the store derives is right.
fn round_trip(source: &Store, dir: &Path) -> Store {
    let first = export_to(source, dir, "first.zip");
    let summary = import_zip::check(&first).unwrap();
    let target = store_in(dir, "target");
    let imported = import_zip::practice_zip(&target, &first).unwrap();
    assert_eq!(
        imported.entities, summary.entities,
        "the dry run counts what the import brings in"
    );
    assert!(imported.batch_id.is_some());
    let second = export_to(&target, dir, "second.zip");
    let (a, b) = (comparable(&first), comparable(&second));
    assert_eq!(
        a.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        b.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} is byte-identical after the round trip");
    }

    // The audit log: sound, every imported record audited, one batch naming the file.
    let inspection = target.inspect_audit().unwrap();
    assert!(
        inspection.findings.is_empty(),
        "verify finds nothing after an import: {:?}",
        inspection.findings
    );
    let sha = kap_practice::import::sha256_hex(&std::fs::read(&first).unwrap());
    let batch = table(
        &target,
        "SELECT source, source_sha256, records, format_version, schema_version FROM import_batch",
    );
    assert_eq!(
        batch,
        vec![vec![
            "Text(\"practice_export\")".to_string(),
            format!("Text(\"{sha}\")"),
            format!("Integer({})", imported.records),
            format!("Integer({})", export::FORMAT_VERSION),
            format!("Integer({})", kap_practice::store::SCHEMA_VERSION),
        ]]
    );
    let unaudited = table(
        &target,
        "SELECT count(*) FROM client c WHERE NOT EXISTS (SELECT 1 FROM audit_log a
            WHERE a.entity_kind = 'client' AND a.entity_id = c.id AND a.action = 'import')
         UNION ALL SELECT count(*) FROM session_note n WHERE NOT EXISTS (SELECT 1 FROM audit_log a
            WHERE a.entity_kind = 'session_note' AND a.entity_id = n.id AND a.action = 'import')",
    );
    assert_eq!(
        unaudited,
        vec![
            vec!["Integer(0)".to_string()],
            vec!["Integer(0)".to_string()]
        ],
        "every client and note has its import audit row"
    );

    // Derived data: the search index and the Billing page's balances are the source's.
    assert!(target.read(search::index_findings).unwrap().is_empty());
    for sql in [
        "SELECT rowid, who, body FROM search_text ORDER BY rowid",
        "SELECT * FROM invoice_owing ORDER BY invoice_id",
        "SELECT * FROM client_owing ORDER BY client_id",
        "SELECT id, sort_name FROM client ORDER BY id",
        "SELECT * FROM appointment_attendee ORDER BY appointment_id, client_id",
    ] {
        let (t, s) = (table(&target, sql), table(source, sql));
        let only_t: Vec<_> = t.iter().filter(|r| !s.contains(r)).collect();
        let only_s: Vec<_> = s.iter().filter(|r| !t.contains(r)).collect();
        assert!(
            only_t.is_empty() && only_s.is_empty(),
            "{sql}: only imported {only_t:?}, only source {only_s:?}"
        );
    }
    let names = table(&target, "SELECT legal_name FROM client ORDER BY id LIMIT 1");
    let first_name = names[0][0]
        .trim_start_matches("Text(\"")
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let found = target
        .read(|c| search::search(c, &first_name, today()))
        .unwrap();
    assert!(
        !format!("{found:?}").is_empty() && format!("{found:?}").contains("Client"),
        "global search finds an imported client"
    );

    // A signed note is final in the new practice too.
    let tampered = target.write(|w| {
        w.conn().execute(
            "UPDATE session_note SET body = '{\"kind\":\"free_text\",\"text\":\"x\"}'
             WHERE signed_at IS NOT NULL",
            [],
        )?;
        w.audit(
            kap_practice::audit::Action::Update,
            kap_practice::audit::EntityKind::Practice,
            1,
        )
    });
    assert!(
        tampered.is_err(),
        "the signed-note trigger holds after an import"
    );

    // The practice is not empty any more: a second import is refused, untouched.
    let before = state(&target);
    let again = import_zip::practice_zip(&target, &first).unwrap_err();
    assert!(matches!(again, Error::Conflict(_)), "{again:?}");
    assert_eq!(state(&target), before);
    target
}

#[test]
fn a_demo_practice_round_trips_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let source = store_in(dir.path(), "source");
    source
        .write(|w| demo::fill(w, &DemoOptions::new(DemoSize::Small, today())))
        .unwrap();
    round_trip(&source, dir.path());
}

#[test]
fn a_demo_practice_holds_records_rights_and_process_notes() {
    let dir = tempfile::tempdir().unwrap();
    let source = store_in(dir.path(), "source");
    source
        .write(|w| demo::fill(w, &DemoOptions::new(DemoSize::Small, today())))
        .unwrap();
    for t in [
        "access_request",
        "disclosure_entry",
        "privacy_acknowledgment",
        "process_note",
    ] {
        let n = table(&source, &format!("SELECT count(*) FROM {t}"));
        assert_ne!(n, vec![vec!["Integer(0)"]], "the demo holds some {t}");
    }
    assert!(source.inspect_audit().unwrap().findings.is_empty());
}

#[test]
fn edge_cases_round_trip_and_numbering_continues() {
    let dir = tempfile::tempdir().unwrap();
    let source = store_in(dir.path(), "source");
    let ana = edge_cases(&source);
    let target = round_trip(&source, dir.path());

    let statuses = table(
        &target,
        "SELECT status, void_reason IS NOT NULL FROM invoice ORDER BY id",
    );
    assert_eq!(statuses[0], vec!["Text(\"void\")", "Integer(1)"]);
    assert_eq!(
        table(&target, "SELECT count(*) FROM payment_reversal"),
        vec![vec!["Integer(1)"]]
    );
    assert_eq!(
        table(
            &target,
            "SELECT status FROM client WHERE legal_name = 'Cy Archived'"
        ),
        vec![vec!["Text(\"archived\")"]]
    );

    // The records rights and the settings came across, ids and references kept.
    for sql in [
        "SELECT * FROM access_request ORDER BY id",
        "SELECT * FROM authorization ORDER BY id",
        "SELECT * FROM disclosure_entry ORDER BY id",
        "SELECT * FROM privacy_acknowledgment ORDER BY id",
        "SELECT * FROM process_note ORDER BY id",
        "SELECT bills_medical_intake, bills_prescriptions, pcl5_cut_point,
            measures_before_days, pcl5_every_kap, bp_hold_systolic, bp_hold_diastolic,
            privacy_notice, privacy_notice_revised_on FROM practice",
    ] {
        let rows = table(&target, sql);
        assert!(!rows.is_empty(), "{sql}");
        assert_eq!(rows, table(&source, sql), "{sql}");
    }
    assert_eq!(
        table(
            &target,
            "SELECT bills_prescriptions, pcl5_cut_point, bp_hold_systolic FROM practice"
        ),
        vec![vec!["Integer(0)", "Integer(31)", "Integer(150)"]]
    );
    let kinds = table(
        &target,
        "SELECT entity_kind, count(*) FROM audit_log WHERE action = 'import'
           AND entity_kind IN ('access_request', 'authorization', 'disclosure_entry',
               'privacy_acknowledgment', 'process_note')
         GROUP BY entity_kind ORDER BY entity_kind",
    );
    assert_eq!(
        kinds,
        vec![
            vec!["Text(\"access_request\")", "Integer(1)"],
            vec!["Text(\"authorization\")", "Integer(1)"],
            vec!["Text(\"disclosure_entry\")", "Integer(1)"],
            vec!["Text(\"privacy_acknowledgment\")", "Integer(2)"],
            vec!["Text(\"process_note\")", "Integer(1)"],
        ],
        "each imported record of rights has its own import audit row"
    );
    // The accounting reads the imported entry as the source did.
    let accounting = |store: &Store| {
        store
            .read(|c| {
                kap_practice::records::accounting::entries(
                    c,
                    ana,
                    date(2020, 1, 1),
                    date(2026, 11, 26),
                )
            })
            .unwrap()
    };
    assert_eq!(accounting(&target), accounting(&source));

    // The next invoice continues the imported numbering.
    book(&target, AppointmentKind::Psychotherapy, vec![ana], 24, 15);
    let number = target
        .write(|w| {
            let charge = billing::charges_for_client(w.conn(), ana)?
                .into_iter()
                .find(|c| c.service_date == date(2026, 3, 24))
                .unwrap();
            billing::set_charge_amount(w, charge.id, Cents(15_000), Some(Cents(15_000)))?;
            let inv = billing::create_invoice(w, ana, &[charge.id], date(2026, 3, 24), today())?;
            Ok(billing::get_invoice(w.conn(), inv)?.number)
        })
        .unwrap();
    assert_eq!(number, "2026-0003", "two invoices were imported");
}

// ---------------------------------------------------------------------------------
// Hostile archives

#[test]
fn names_that_escape_the_archive_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = edge_export(dir.path());
    for (i, name) in ["../x", "/etc/x", "a\\..\\x", "a/../../x"]
        .iter()
        .enumerate()
    {
        let dst = dir.path().join(format!("escape{i}.zip"));
        edited(&src, &dst, |all, _| {
            all.push((name.to_string(), b"x".to_vec()))
        });
        let message = refused(dir.path(), &dst, Limits::default());
        assert!(message.contains("outside the archive"), "{message}");
    }
}

#[test]
fn a_zip_bomb_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = edge_export(dir.path());
    // Eight MiB of spaces inside valid JSON deflate about a thousand times.
    let dst = dir.path().join("bomb.zip");
    edited(&src, &dst, |all, _| {
        let rows = entry(all, "clients.json");
        let mut padded = b"[".to_vec();
        padded.extend(std::iter::repeat_n(b' ', 8 << 20));
        padded.extend_from_slice(&rows[1..]);
        *rows = padded;
    });
    let message = refused(dir.path(), &dst, Limits::default());
    assert!(message.contains("zip bomb"), "{message}");

    // An entry past its own limit, and the archive past its total, at any ratio.
    let small = Limits {
        entry_bytes: 200,
        ..Limits::default()
    };
    let message = refused(dir.path(), &src, small);
    assert!(message.contains("expands beyond"), "{message}");
    let total = Limits {
        total_bytes: 4_000,
        ..Limits::default()
    };
    let message = refused(dir.path(), &src, total);
    assert!(message.contains("its files expand beyond"), "{message}");
}

#[test]
fn a_truncated_zip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = edge_export(dir.path());
    let bytes = std::fs::read(&src).unwrap();
    for (i, keep) in [bytes.len() / 2, bytes.len() - 10, 0]
        .into_iter()
        .enumerate()
    {
        let dst = dir.path().join(format!("cut{i}.zip"));
        std::fs::write(&dst, &bytes[..keep]).unwrap();
        refused(dir.path(), &dst, Limits::default());
    }
}

#[test]
fn a_missing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = edge_export(dir.path());
    let dst = dir.path().join("missing.zip");
    edited(&src, &dst, |all, _| {
        all.retain(|(n, _)| n != "session_notes.json")
    });
    let message = refused(dir.path(), &dst, Limits::default());
    assert!(
        message.contains("session_notes.json is missing"),
        "{message}"
    );

    let dst = dir.path().join("nomanifest.zip");
    let mut all = entries(&src);
    all.retain(|(n, _)| n != "manifest.json");
    write_entries(&dst, &all);
    let target = store_in(dir.path(), "t-nomanifest");
    assert!(matches!(
        import_zip::practice_zip(&target, &dst),
        Err(Error::NotAnExport)
    ));
}

#[test]
fn malformed_json_and_wrong_types_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = edge_export(dir.path());
    let dst = dir.path().join("malformed.zip");
    edited(&src, &dst, |all, _| {
        let rows = entry(all, "clients.json");
        rows.truncate(rows.len() / 2);
    });
    let message = refused(dir.path(), &dst, Limits::default());
    assert!(
        message.contains("clients.json is not the export's JSON"),
        "{message}"
    );

    let cases: [(&str, &str, Value, &str); 4] = [
        (
            "clients.json",
            "date_of_birth",
            Value::from(12),
            "clients row 1: the column date_of_birth is not a valid date",
        ),
        (
            "invoices.json",
            "seq",
            Value::from("one"),
            "invoices row 1: the column seq is not a valid integer",
        ),
        (
            "appointments.json",
            "starts_at",
            Value::from("soon"),
            "appointments row 1: the column starts_at is not a valid time",
        ),
        (
            "invoices.json",
            "number",
            Value::from("2026-0009"),
            "invoices row 1: the column number is not the invoice's year",
        ),
    ];
    for (i, (file, column, value, expected)) in cases.into_iter().enumerate() {
        let dst = dir.path().join(format!("type{i}.zip"));
        edited(&src, &dst, |all, _| {
            let mut rows = rows_of(all, file);
            rows[0][column] = value;
            set_rows(all, file, &rows);
        });
        let message = refused(dir.path(), &dst, Limits::default());
        assert!(message.contains(expected), "{message}");
    }

    // A row that refers to a record the export does not hold.
    let dst = dir.path().join("dangling.zip");
    edited(&src, &dst, |all, _| {
        let mut rows = rows_of(all, "amendments.json");
        rows[0]["note_id"] = Value::from(999_999);
        set_rows(all, "amendments.json", &rows);
    });
    let message = refused(dir.path(), &dst, Limits::default());
    assert!(message.contains("amendments row 1"), "{message}");
}

#[test]
fn an_export_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = edge_export(dir.path());
    for (i, (key, value)) in [
        ("format_version", i64::from(export::FORMAT_VERSION) + 1),
        ("schema_version", kap_practice::store::SCHEMA_VERSION + 1),
    ]
    .into_iter()
    .enumerate()
    {
        let dst = dir.path().join(format!("newer{i}.zip"));
        edited(&src, &dst, |_, m| m[key] = Value::from(value));
        let message = refused(dir.path(), &dst, Limits::default());
        assert!(
            message.contains("newer version of KAP Practice"),
            "{message}"
        );
        assert!(
            import_zip::check(&dst).is_err(),
            "the dry run refuses it too"
        );
    }
}

/// Makes the longest text inside a note's body longer: the body is still a note the app
/// can open, only not the one that was signed.
fn edit_longest_text(v: &mut Value) -> bool {
    fn longest(v: &mut Value) -> Option<&mut String> {
        match v {
            Value::String(s) => Some(s),
            Value::Array(items) => items.iter_mut().filter_map(longest).max_by_key(|s| s.len()),
            Value::Object(map) => map
                .iter_mut()
                .filter(|(k, _)| k.as_str() != "kind")
                .filter_map(|(_, v)| longest(v))
                .max_by_key(|s| s.len()),
            _ => None,
        }
    }
    match longest(v) {
        Some(s) => {
            s.push_str(" (edited)");
            true
        }
        None => false,
    }
}

/// Each signed note carries its seal (`seal`, format 3): a note edited inside the zip,
/// its signing time moved, its seal dropped or its whole seal column dropped is refused;
/// a signed note made unsigned and a body that is no note are caught as before. An
/// export of format 2, before seals, still imports.
#[test]
fn a_tampered_signed_note_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = edge_export(dir.path());
    let signed = |all: &mut Vec<(String, Vec<u8>)>, edit: &dyn Fn(&mut Value)| {
        let mut rows = rows_of(all, "session_notes.json");
        let note = rows.iter_mut().find(|r| !r["signed_at"].is_null()).unwrap();
        assert!(note["seal"].is_string(), "a signed note is sealed: {note}");
        edit(note);
        set_rows(all, "session_notes.json", &rows);
    };
    let sealed = "its seal does not match";

    let dst = dir.path().join("edited.zip");
    edited(&src, &dst, |all, _| {
        signed(all, &|note| assert!(edit_longest_text(&mut note["body"])))
    });
    let message = refused(dir.path(), &dst, Limits::default());
    assert!(message.contains(sealed), "{message}");
    assert!(message.contains("session_notes row"), "{message}");

    let dst = dir.path().join("moved.zip");
    edited(&src, &dst, |all, _| {
        signed(all, &|note| {
            note["signed_at"] = Value::from("2020-01-01T12:00:00.000000Z");
        })
    });
    assert!(refused(dir.path(), &dst, Limits::default()).contains(sealed));

    let dst = dir.path().join("unsealed.zip");
    edited(&src, &dst, |all, _| {
        signed(all, &|note| note["seal"] = Value::Null)
    });
    assert!(refused(dir.path(), &dst, Limits::default()).contains(sealed));

    let dst = dir.path().join("draft-sealed.zip");
    edited(&src, &dst, |all, _| {
        let mut rows = rows_of(all, "session_notes.json");
        if let Some(draft) = rows.iter_mut().find(|r| r["signed_at"].is_null()) {
            draft["seal"] = Value::from("0".repeat(64));
        }
        set_rows(all, "session_notes.json", &rows);
    });
    assert!(refused(dir.path(), &dst, Limits::default()).contains(sealed));

    // The seal column dropped whole: a format 3 export always has it...
    let drop_seals = |all: &mut Vec<(String, Vec<u8>)>, m: &mut Value| {
        let notes = m["entities"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|e| e["name"] == "session_notes")
            .unwrap();
        notes["columns"]
            .as_array_mut()
            .unwrap()
            .retain(|c| c["name"] != "seal");
        let mut rows = rows_of(all, "session_notes.json");
        for r in &mut rows {
            r.as_object_mut().unwrap().remove("seal");
        }
        set_rows(all, "session_notes.json", &rows);
    };
    let dst = dir.path().join("no-seals.zip");
    edited(&src, &dst, drop_seals);
    let message = refused(dir.path(), &dst, Limits::default());
    assert!(message.contains("lack the seal"), "{message}");
    assert!(
        import_zip::check(&dst).is_err(),
        "the dry run refuses it too"
    );

    // ...and one of format 2, made before seals, imports, its signed notes signed.
    let dst = dir.path().join("format-2.zip");
    edited(&src, &dst, |all, m| {
        drop_seals(all, m);
        m["format_version"] = Value::from(2);
    });
    let target = store_in(dir.path(), "format-2-target");
    import_zip::practice_zip(&target, &dst).unwrap();
    assert_ne!(
        table(
            &target,
            "SELECT count(*) FROM session_note WHERE signed_at IS NOT NULL"
        ),
        vec![vec!["Integer(0)"]]
    );

    let dst = dir.path().join("unsigned.zip");
    edited(&src, &dst, |all, _| {
        signed(all, &|note| {
            note["signed_at"] = Value::Null;
            note["seal"] = Value::Null;
        })
    });
    let message = refused(dir.path(), &dst, Limits::default());
    assert!(message.contains("note_signed"), "{message}");

    let dst = dir.path().join("body.zip");
    edited(&src, &dst, |all, _| {
        signed(all, &|note| {
            note["body"] = serde_json::json!({"kind": "free_text", "text": "x", "extra": 1});
        })
    });
    let message = refused(dir.path(), &dst, Limits::default());
    assert!(message.contains("body is not a session note"), "{message}");
}

#[test]
fn a_clients_export_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let source = store_in(dir.path(), "source");
    let ana = edge_cases(&source);
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    let path = dir.path().join("out").join("client.zip");
    export::client_zip(&source, ana, &path, None).unwrap();
    let message = refused(dir.path(), &path, Limits::default());
    assert!(message.contains("one client's records"), "{message}");
}

/// An export made before a column existed: the manifest and the rows lack it. A nullable
/// column imports as NULL; a required one is refused.
#[test]
fn an_older_export_without_a_late_column_imports() {
    let dir = tempfile::tempdir().unwrap();
    let src = edge_export(dir.path());
    let drop_column = |column: &'static str| {
        move |all: &mut Vec<(String, Vec<u8>)>, m: &mut Value| {
            let entity = m["entities"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|e| e["name"] == "appointments")
                .unwrap();
            entity["columns"]
                .as_array_mut()
                .unwrap()
                .retain(|c| c["name"] != column);
            let mut rows = rows_of(all, "appointments.json");
            for r in &mut rows {
                r.as_object_mut().unwrap().remove(column);
            }
            set_rows(all, "appointments.json", &rows);
        }
    };
    let older = edited(
        &src,
        &dir.path().join("older.zip"),
        drop_column("course_reason"),
    );
    let target = store_in(dir.path(), "older-target");
    import_zip::practice_zip(&target, &older).unwrap();
    assert_eq!(
        table(
            &target,
            "SELECT count(*) FROM appointment WHERE course_reason IS NOT NULL"
        ),
        vec![vec!["Integer(0)"]]
    );
    assert!(target.inspect_audit().unwrap().findings.is_empty());

    let broken = edited(&src, &dir.path().join("nokind.zip"), drop_column("kind"));
    let message = refused(dir.path(), &broken, Limits::default());
    assert!(
        message.contains("appointments lacks the column kind"),
        "{message}"
    );
}

/// An export of format 1 (before the records rights, the process notes and the later
/// settings) still imports: what it lacks is absent or keeps its default.
#[test]
fn a_format_1_export_without_the_records_rights_imports() {
    let dir = tempfile::tempdir().unwrap();
    let src = edge_export(dir.path());
    let later = [
        "access_requests",
        "authorizations",
        "disclosure_entries",
        "privacy_acknowledgments",
        "process_notes",
    ];
    let later_settings = [
        "bills_medical_intake",
        "bills_prescriptions",
        "pcl5_cut_point",
        "measures_before_days",
        "pcl5_every_kap",
        "bp_hold_systolic",
        "bp_hold_diastolic",
        "privacy_notice",
        "privacy_notice_revised_on",
    ];
    let older = edited(&src, &dir.path().join("format1.zip"), |all, m| {
        m["format_version"] = Value::from(1);
        let entities = m["entities"].as_array_mut().unwrap();
        entities.retain(|e| !later.contains(&e["name"].as_str().unwrap()));
        let settings = entities
            .iter_mut()
            .find(|e| e["name"] == "practice_settings")
            .unwrap();
        settings["columns"]
            .as_array_mut()
            .unwrap()
            .retain(|c| !later_settings.contains(&c["name"].as_str().unwrap()));
        all.retain(|(n, _)| !later.iter().any(|l| n.starts_with(&format!("{l}."))));
        let mut rows = rows_of(all, "practice_settings.json");
        for r in &mut rows {
            for c in later_settings {
                r.as_object_mut().unwrap().remove(c);
            }
        }
        set_rows(all, "practice_settings.json", &rows);
    });
    let summary = import_zip::check(&older).unwrap();
    assert_eq!(summary.format_version, 1);
    let target = store_in(dir.path(), "format1-target");
    let imported = import_zip::practice_zip(&target, &older).unwrap();
    for name in later {
        let e = imported.entities.iter().find(|e| e.name == name).unwrap();
        assert_eq!(e.rows, 0, "{name}");
    }
    assert_eq!(
        table(
            &target,
            "SELECT (SELECT count(*) FROM process_note), (SELECT count(*) FROM access_request),
                bills_medical_intake, bills_prescriptions, pcl5_cut_point, privacy_notice
             FROM practice"
        ),
        vec![vec![
            "Integer(0)",
            "Integer(0)",
            "Integer(1)",
            "Integer(1)",
            "Null",
            "Null"
        ]],
        "a format 1 export keeps the new practice's defaults"
    );
    assert_eq!(
        table(&target, "SELECT format_version FROM import_batch"),
        vec![vec!["Integer(1)"]]
    );
    assert!(target.inspect_audit().unwrap().findings.is_empty());
}
