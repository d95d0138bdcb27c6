//! The tamper suite: someone with the practice's data key changes the database outside
//! the app, and `kap-practice verify` (run in-process exactly as the binary runs it, with
//! a mock keychain holding the app's anchor) exits non-zero and names what it found.
//! The untampered practice, with every kind of record the app writes, verifies clean.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Utc;
use common::*;
use kap_practice::appointments::{
    self, AppointmentInput, AppointmentKind, AppointmentStatus, Location,
};
use kap_practice::audit::AnchorSchedule;
use kap_practice::billing::{self, BillingProfile, PaymentMethod};
use kap_practice::cli;
use kap_practice::key::{DataKey, Keychain};
use kap_practice::notes::{self, NoteBody};
use kap_practice::practice::Service;
use kap_practice::Cents;
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn run(args: &[&str], stdin: &str, keychain: &Keychain) -> CliRun {
    cli_run(args, stdin, keychain)
}

/// A practice with every kind of record the app audits, closed, its chain anchored in
/// the (mock) keychain as the app does at a lock.
struct Fixture {
    _dir: tempfile::TempDir,
    data: String,
    db: PathBuf,
    keychain: Keychain,
    key: DataKey,
    client: i64,
    note: i64,
}

fn fixture() -> Fixture {
    let (dir, folder, keychain, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Inés Navarro-Søndergaard");
    let (appointment, note) = store
        .write(|w| {
            let id = appointments::book(
                w,
                AppointmentInput {
                    course_reason: None,
                    kind: AppointmentKind::Psychotherapy,
                    starts_local: date(2026, 3, 12).and_hms_opt(10, 0, 0).unwrap(),
                    duration_minutes: None,
                    location: Location::Telehealth,
                    location_note: None,
                    client_ids: vec![client],
                    notes: String::new(),
                },
            )?;
            appointments::set_status(w, id, AppointmentStatus::Completed)?;
            let note = notes::save_draft(
                w,
                id,
                client,
                NoteBody::FreeText {
                    text: "Reviewed the week; sleep better.".into(),
                },
            )?;
            Ok((id, note))
        })
        .unwrap();
    let _ = appointment;
    store.write(|w| notes::sign(w, note)).unwrap();
    store
        .write(|w| notes::amend(w, note, "Client called to add: slept well."))
        .unwrap();
    store
        .write(|w| kap_practice::clients::open_record(w, client, today()))
        .unwrap();
    let charges = store
        .read(|c| billing::charges_for_client(c, client))
        .unwrap();
    let intake = charges
        .iter()
        .find(|c| c.service == Service::MentalHealthIntake)
        .unwrap()
        .id;
    let invoice = store
        .write(|w| billing::create_invoice(w, client, &[intake], date(2026, 3, 12), today()))
        .unwrap();
    let paid = store
        .write(|w| {
            billing::record_payment(
                w,
                invoice,
                date(2026, 3, 12),
                PaymentMethod::Cash,
                Cents(5_000),
                today(),
            )
        })
        .unwrap();
    store
        .write(|w| billing::reverse_payment(w, paid, date(2026, 3, 13), "Entered twice", today()))
        .unwrap();
    store
        .write(|w| billing::void_invoice(w, invoice, "Issued by mistake"))
        .unwrap();
    store
        .write(|w| {
            billing::set_billing_profile(
                w,
                client,
                BillingProfile {
                    diagnosis_codes: vec!["F33.1".into()],
                    member_id: Some("XJ-1234".into()),
                },
            )
        })
        .unwrap();
    let key = keychain.load(&opened.practice_id).unwrap();
    AnchorSchedule::new()
        .keep(store, &keychain, &opened.practice_id, Utc::now(), true)
        .unwrap()
        .expect("the mock keychain takes the anchor");
    let db = folder.db_path();
    drop(opened);
    Fixture {
        data: folder.dir().to_str().unwrap().to_owned(),
        _dir: dir,
        db,
        keychain,
        key,
        client,
        note,
    }
}

/// The database opened with its key, as an attacker holding the key would.
fn raw(db: &Path, key: &DataKey) -> Connection {
    let c = Connection::open(db).unwrap();
    let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    c.pragma_update(None, "key", format!("x'{hex}'")).unwrap();
    c
}

fn verify(fx: &Fixture) -> CliRun {
    run(&["verify", "--data-dir", &fx.data], "", &fx.keychain)
}

fn assert_unsound(r: &CliRun, names: &str) {
    assert_eq!(
        r.code,
        cli::EXIT_FAILED,
        "verify must fail: {}{}",
        r.out,
        r.err
    );
    assert!(
        r.err.contains(names),
        "verify must name {names:?}; it said: {}",
        r.err
    );
}

/// The SQL of a schema object, to put it back after the tampering.
fn sql_of(c: &Connection, name: &str) -> String {
    c.query_row(
        "SELECT sql FROM sqlite_master WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .unwrap()
}

fn latest_audit_seq(c: &Connection, kind: &str, id: i64) -> i64 {
    c.query_row(
        "SELECT max(seq) FROM audit_log WHERE entity_kind = ?1 AND entity_id = ?2 AND content_hash IS NOT NULL",
        params![kind, id],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn an_untampered_practice_verifies_clean() {
    let fx = fixture();
    let r = verify(&fx);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.out.contains("records as audited"), "{}", r.out);
    assert!(
        r.out.contains("anchored in this computer's keychain"),
        "the anchor was found and held: {}",
        r.out
    );
    // Every row written since the migration says where it came from.
    let c = raw(&fx.db, &fx.key);
    let unsourced: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action <> 'migrate' AND source IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unsourced, 0, "every write's row names its source");
}

#[test]
fn a_client_row_edited_with_the_apps_triggers_dropped_is_named() {
    let fx = fixture();
    let c = raw(&fx.db, &fx.key);
    let seq = latest_audit_seq(&c, "client", fx.client);
    // The search index's triggers would notice a name change: drop them, edit, and put
    // them back exactly as they were, so the schema itself is as the migrations made it.
    let triggers = ["client_search_insert", "client_search_update"].map(|t| (t, sql_of(&c, t)));
    for (t, _) in &triggers {
        c.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    c.execute(
        "UPDATE client SET date_of_birth = '1990-01-01' WHERE id = ?1",
        [fx.client],
    )
    .unwrap();
    for (_, sql) in &triggers {
        c.execute_batch(sql).unwrap();
    }
    drop(c);
    let r = verify(&fx);
    assert_unsound(
        &r,
        &format!(
            "client {} changed outside the app after audit row {seq}",
            fx.client
        ),
    );
    assert!(!r.err.contains("1990"), "no value from the row is echoed");
}

#[test]
fn a_signed_note_edited_with_its_trigger_dropped_is_named() {
    let fx = fixture();
    let c = raw(&fx.db, &fx.key);
    let seq = latest_audit_seq(&c, "session_note", fx.note);
    let refused = c.execute(
        "UPDATE session_note SET body = '{}' WHERE id = ?1",
        [fx.note],
    );
    assert!(
        refused.is_err(),
        "the trigger refuses editing a signed note"
    );
    c.execute_batch("DROP TRIGGER session_note_signed_is_final")
        .unwrap();
    c.execute(
        "UPDATE session_note SET body = '{\"kind\":\"free_text\",\"text\":\"Nothing of note.\"}' WHERE id = ?1",
        [fx.note],
    )
    .unwrap();
    drop(c);
    let r = verify(&fx);
    assert_unsound(
        &r,
        &format!(
            "session note {} changed outside the app after audit row {seq}",
            fx.note
        ),
    );
    assert!(
        r.err
            .contains("trigger session_note_signed_is_final was dropped"),
        "{}",
        r.err
    );
}

#[test]
fn a_dropped_trigger_is_named() {
    let fx = fixture();
    let c = raw(&fx.db, &fx.key);
    c.execute_batch("DROP TRIGGER audit_log_no_delete").unwrap();
    drop(c);
    assert_unsound(&verify(&fx), "trigger audit_log_no_delete was dropped");
}

#[test]
fn an_altered_trigger_and_an_added_one_are_named() {
    let fx = fixture();
    let c = raw(&fx.db, &fx.key);
    c.execute_batch(
        "DROP TRIGGER amendment_is_final;
         CREATE TRIGGER amendment_is_final BEFORE UPDATE ON amendment WHEN 0
         BEGIN SELECT RAISE(ABORT, 'amendments are final'); END;
         CREATE TRIGGER sneaky AFTER INSERT ON client BEGIN SELECT 1; END;",
    )
    .unwrap();
    drop(c);
    let r = verify(&fx);
    assert_unsound(&r, "trigger amendment_is_final was altered outside the app");
    assert!(
        r.err.contains("trigger sneaky was added outside the app"),
        "{}",
        r.err
    );
}

#[test]
fn the_last_audit_rows_deleted_are_found_by_the_anchor() {
    let fx = fixture();
    let c = raw(&fx.db, &fx.key);
    let rows: i64 = c
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    let guard = sql_of(&c, "audit_log_no_delete");
    c.execute_batch("DROP TRIGGER audit_log_no_delete").unwrap();
    c.execute("DELETE FROM audit_log WHERE seq > ?1", [rows - 3])
        .unwrap();
    c.execute_batch(&guard).unwrap();
    drop(c);
    let r = verify(&fx);
    assert_unsound(
        &r,
        &format!(
            "the audit log was cut short: it has {} entries, but this computer's keychain recorded {rows}",
            rows - 3
        ),
    );
}

fn hash_parts(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// An audit row's fields: seq, at, action, kind, id, content hash, source.
type AuditFields = (
    i64,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
);

/// Re-hashes the whole chain as the app would have, renumbering it from 1: what an
/// attacker who knows the format does after deleting rows.
fn rehash(c: &Connection) {
    let rows: Vec<AuditFields> = c
        .prepare(
            "SELECT seq, at, action, entity_kind, entity_id, content_hash, source FROM audit_log ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    c.execute("DELETE FROM audit_log", []).unwrap();
    let mut prev = kap_practice::audit::GENESIS.to_owned();
    let mut second = false;
    for (i, (_, at, action, kind, id, content, source)) in rows.into_iter().enumerate() {
        let seq = i as i64 + 1;
        second |= action == "migrate" && kind == "schema" && id == 10;
        let (s, e) = (seq.to_string(), id.to_string());
        let hash = if second {
            let content = content.clone().unwrap_or_else(|| "-".into());
            let source = source.clone().unwrap_or_else(|| "-".into());
            hash_parts(&["v2", &prev, &s, &at, &action, &kind, &e, &content, &source])
        } else {
            hash_parts(&[&prev, &s, &at, &action, &kind, &e])
        };
        c.execute(
            "INSERT INTO audit_log (seq, at, action, entity_kind, entity_id, prev_hash, hash, content_hash, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![seq, at, action, kind, id, prev, hash, content, source],
        )
        .unwrap();
        prev = hash;
    }
}

#[test]
fn rows_deleted_and_the_chain_rehashed_are_found_by_the_anchor() {
    let fx = fixture();
    let c = raw(&fx.db, &fx.key);
    let rows: i64 = c
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    let guards = ["audit_log_no_update", "audit_log_no_delete"].map(|t| sql_of(&c, t));
    c.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete")
        .unwrap();
    // The view of the client's record is erased; a harmless row is added at the end so the
    // chain is as long as the anchor says.
    c.execute(
        "DELETE FROM audit_log WHERE action = 'view' AND entity_kind = 'client' AND entity_id = ?1",
        [fx.client],
    )
    .unwrap();
    c.execute(
        "INSERT INTO audit_log (seq, at, action, entity_kind, entity_id, prev_hash, hash, source)
         SELECT max(seq) + 1, max(at), 'view', 'client', ?1, '', '', 'window' FROM audit_log",
        [fx.client],
    )
    .unwrap();
    rehash(&c);
    for g in &guards {
        c.execute_batch(g).unwrap();
    }
    let now: i64 = c
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(now, rows, "the forged chain is as long as the anchored one");
    drop(c);
    let r = verify(&fx);
    assert_unsound(
        &r,
        &format!("the audit log was rewritten: entry {rows} no longer has the hash this computer's keychain recorded"),
    );

    // The same forgery with rows only deleted (the chain shorter) is a cut, not a rewrite.
    let fx = fixture();
    let c = raw(&fx.db, &fx.key);
    c.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete")
        .unwrap();
    c.execute(
        "DELETE FROM audit_log WHERE action = 'view' AND entity_kind = 'client'",
        [],
    )
    .unwrap();
    rehash(&c);
    drop(c);
    let r = verify(&fx);
    assert_unsound(&r, "the audit log was cut short");
    assert!(
        r.err.contains("trigger audit_log_no_delete was dropped"),
        "{}",
        r.err
    );
}

#[test]
fn a_forged_backup_header_is_refused() {
    let fx = fixture();
    let out = tempfile::tempdir().unwrap();
    let r = run(
        &[
            "backup",
            "--data-dir",
            &fx.data,
            "--to",
            out.path().to_str().unwrap(),
        ],
        "",
        &fx.keychain,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let file = std::fs::read_dir(out.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let line = format!("{PASSPHRASE}\n");
    let ok = run(
        &[
            "verify",
            "--backup",
            file.to_str().unwrap(),
            "--passphrase-stdin",
        ],
        &line,
        &fx.keychain,
    );
    assert_eq!(ok.code, 0, "the backup as made is sound: {}", ok.err);
    // Backdate the backup by a year: the header still parses, every other check passes.
    let bytes = std::fs::read(&file).unwrap();
    let len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[12..12 + len]).unwrap();
    let made = header["created_at"].as_str().unwrap().to_owned();
    let year: i32 = made[..4].parse().unwrap();
    header["created_at"] = format!("{}{}", year - 1, &made[4..]).into();
    let forged_header = serde_json::to_vec(&header).unwrap();
    let mut forged = bytes[..8].to_vec();
    forged.extend_from_slice(&(forged_header.len() as u32).to_le_bytes());
    forged.extend_from_slice(&forged_header);
    forged.extend_from_slice(&bytes[12 + len..]);
    std::fs::write(&file, &forged).unwrap();
    let r = run(
        &[
            "verify",
            "--backup",
            file.to_str().unwrap(),
            "--passphrase-stdin",
        ],
        &line,
        &fx.keychain,
    );
    assert_eq!(r.code, cli::EXIT_FAILED, "{}{}", r.out, r.err);
    assert!(
        r.err
            .contains("The backup file is damaged or has been altered"),
        "{}",
        r.err
    );
}

#[test]
fn a_row_deleted_outside_the_app_is_named() {
    let fx = fixture();
    let c = raw(&fx.db, &fx.key);
    let amendment: i64 = c
        .query_row(
            "SELECT id FROM amendment WHERE note_id = ?1",
            [fx.note],
            |r| r.get(0),
        )
        .unwrap();
    let seq = latest_audit_seq(&c, "amendment", amendment);
    // The trigger that refuses it is dropped and put back as it was.
    let guard = sql_of(&c, "amendment_no_delete");
    c.execute_batch("DROP TRIGGER amendment_no_delete").unwrap();
    c.execute("DELETE FROM amendment WHERE id = ?1", [amendment])
        .unwrap();
    c.execute_batch(&guard).unwrap();
    drop(c);
    assert_unsound(
        &verify(&fx),
        &format!("amendment {amendment} deleted outside the app after audit row {seq}"),
    );
}
