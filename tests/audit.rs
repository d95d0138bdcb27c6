//! The audit log: every write and every view, hash-chained, tamper-evident.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::audit::{self, EntityKind};
use kap_practice::clients::{self, ClientInput};
use kap_practice::key::DataKey;
use kap_practice::store::Store;
use kap_practice::Error;

fn raw(path: &std::path::Path, key: &DataKey) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(path).unwrap();
    let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    c.pragma_update(None, "key", format!("x'{hex}'")).unwrap();
    c
}

/// A practice with a few audited actions; returns the path, key and a client id.
fn audited() -> (tempfile::TempDir, std::path::PathBuf, DataKey, i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("practice.db");
    let key = DataKey::generate().unwrap();
    let store = Store::create(&path, &key).unwrap();
    let id = store
        .write(|w| {
            kap_practice::practice::init(w, &new_practice())?;
            clients::create(w, ClientInput::named("Ines Navarro"), today())
        })
        .unwrap();
    store
        .write(|w| clients::open_record(w, id, today()))
        .unwrap();
    store.write(|w| clients::archive(w, id)).unwrap();
    store.write(|w| clients::unarchive(w, id)).unwrap();
    (dir, path, key, id)
}

#[test]
fn every_write_and_view_is_logged_without_names() {
    let (_dir, path, key, id) = audited();
    let store = Store::open(&path, &key).unwrap();
    let rows = store
        .read(|c| audit::for_entity(c, EntityKind::Client, id, 10))
        .unwrap();
    let actions: Vec<&str> = rows.iter().rev().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["create", "view", "archive", "unarchive"]);
    let summary = store.verify_audit().unwrap();
    // One row per migration, then practice + fee schedule + create + view + archive +
    // unarchive.
    assert_eq!(summary.rows, kap_practice::store::SCHEMA_VERSION + 6);
    store
        .read(|c| {
            let mut stmt = c.prepare("SELECT * FROM audit_log")?;
            let n = stmt.column_count();
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                for i in 0..n {
                    if let Ok(s) = r.get::<_, String>(i) {
                        assert!(
                            !s.contains("Ines") && !s.contains("Navarro"),
                            "no names in the audit log"
                        );
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn changing_any_row_is_named_by_verify() {
    let (_dir, path, key, _) = audited();
    let total = Store::open(&path, &key)
        .unwrap()
        .verify_audit()
        .unwrap()
        .rows;
    for seq in 1..=total {
        let (dir2, path2) = copy_db(&path);
        let c = raw(&path2, &key);
        // Append-only triggers guard the table; a tamperer drops them first.
        c.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
            .unwrap();
        c.execute(
            "UPDATE audit_log SET entity_id = entity_id + 1 WHERE seq = ?1",
            [seq],
        )
        .unwrap();
        drop(c);
        let err = Store::open(&path2, &key)
            .unwrap()
            .verify_audit()
            .unwrap_err();
        assert!(
            matches!(err, Error::AuditBroken(s) if s == seq),
            "editing row {seq} must be reported at {seq}, got {err:?}"
        );
        drop(dir2);
    }
}

#[test]
fn deleting_or_rehashing_a_row_is_detected() {
    let (_dir, path, key, _) = audited();
    let (_d1, p1) = copy_db(&path);
    let c = raw(&p1, &key);
    c.execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 5;")
        .unwrap();
    drop(c);
    let err = Store::open(&p1, &key).unwrap().verify_audit().unwrap_err();
    assert!(
        matches!(err, Error::AuditBroken(5)),
        "a gap is reported where it starts: {err:?}"
    );

    // Rewriting a row's hash to match its edit still breaks the link to the next row.
    let (_d2, p2) = copy_db(&path);
    let c = raw(&p2, &key);
    c.execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'view', hash = 'ff' WHERE seq = 3;")
        .unwrap();
    drop(c);
    let err = Store::open(&p2, &key).unwrap().verify_audit().unwrap_err();
    assert!(matches!(err, Error::AuditBroken(3)), "{err:?}");
}

#[test]
fn the_app_cannot_update_or_delete_audit_rows() {
    let (_dir, path, key, _) = audited();
    let c = raw(&path, &key);
    assert!(c
        .execute("UPDATE audit_log SET action = 'x' WHERE seq = 1", [])
        .is_err());
    assert!(c
        .execute("DELETE FROM audit_log WHERE seq = 1", [])
        .is_err());
}

fn copy_db(path: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("practice.db");
    std::fs::copy(path, &to).unwrap();
    let wal = path.with_extension("db-wal");
    if wal.exists() {
        std::fs::copy(&wal, to.with_extension("db-wal")).unwrap();
    }
    (dir, to)
}
