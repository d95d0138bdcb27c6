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

#[test]
fn rows_say_where_the_action_came_from() {
    let (_dir, path, key, id) = audited();
    let store = Store::open(&path, &key).unwrap();
    store.set_source(audit::Source::Cli);
    store
        .write(|w| clients::open_record(w, id, today()))
        .unwrap();
    store
        .write(|w| {
            w.set_source(audit::Source::AutomaticBackup);
            w.audit(audit::Action::Backup, EntityKind::Backup, 1)
        })
        .unwrap();
    let sources: Vec<Option<String>> = store
        .read(|c| {
            let mut stmt =
                c.prepare("SELECT source FROM audit_log WHERE action <> 'migrate' ORDER BY seq")?;
            let rows = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap();
    let s = |x: &str| Some(x.to_owned());
    assert_eq!(
        sources,
        [
            s("window"),
            s("window"),
            s("window"),
            s("window"),
            s("window"),
            s("window"),
            s("cli"),
            s("automatic_backup")
        ],
        "the window by default, the store's source when set, a write's own when it says"
    );
    store.verify_audit().unwrap();
}

#[test]
fn a_view_has_no_content_hash_and_a_write_hashes_its_row() {
    let (_dir, path, key, id) = audited();
    let store = Store::open(&path, &key).unwrap();
    let rows: Vec<(String, Option<String>)> = store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT action, content_hash FROM audit_log WHERE entity_kind = 'client' AND entity_id = ?1 ORDER BY seq",
            )?;
            let rows = stmt
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(actions, ["create", "view", "archive", "unarchive"]);
    assert!(
        rows[1].1.is_none(),
        "a view changes nothing and hashes nothing"
    );
    for (a, h) in [&rows[0], &rows[2], &rows[3]] {
        assert_eq!(h.as_deref().map(str::len), Some(64), "{a} hashes the row");
    }
    assert_ne!(
        rows[0].1, rows[2].1,
        "archiving changed the row, and its hash"
    );
    assert_ne!(rows[2].1, rows[3].1, "unarchiving changed it again");
}

#[test]
fn a_row_cannot_pass_for_the_older_form_to_escape_its_content_hash() {
    let (_dir, path, key, _) = audited();
    let last = Store::open(&path, &key)
        .unwrap()
        .verify_audit()
        .unwrap()
        .rows;
    let c = raw(&path, &key);
    c.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
    // The older form's hash covers neither column: a tamperer clears them and recomputes
    // the row as the older form would.
    let (prev, at, action, kind, eid): (String, String, String, String, i64) = c
        .query_row(
            "SELECT prev_hash, at, action, entity_kind, entity_id FROM audit_log WHERE seq = ?1",
            [last],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let mut h = <sha2::Sha256 as sha2::Digest>::new();
    for part in [
        prev.as_str(),
        &last.to_string(),
        &at,
        &action,
        &kind,
        &eid.to_string(),
    ] {
        sha2::Digest::update(&mut h, part.as_bytes());
        sha2::Digest::update(&mut h, [0x1f]);
    }
    let v1 = hex::encode(sha2::Digest::finalize(h));
    c.execute(
        "UPDATE audit_log SET content_hash = NULL, source = NULL, hash = ?2 WHERE seq = ?1",
        rusqlite::params![last, v1],
    )
    .unwrap();
    drop(c);
    let err = Store::open(&path, &key)
        .unwrap()
        .verify_audit()
        .unwrap_err();
    assert!(matches!(err, Error::AuditBroken(s) if s == last), "{err:?}");
}

#[test]
fn the_anchor_is_kept_at_most_once_a_minute_after_writes() {
    use chrono::TimeZone;
    let (_dir, path, key, id) = audited();
    let store = Store::open(&path, &key).unwrap();
    let kc = mock_keychain();
    let t0 = chrono::Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    let schedule = audit::AnchorSchedule::new();
    let first = schedule
        .keep(&store, &kc, "p1", t0, false)
        .unwrap()
        .unwrap();
    assert_eq!(
        kc.load_anchor("p1").unwrap(),
        first,
        "the first call anchors"
    );
    store
        .write(|w| clients::open_record(w, id, today()))
        .unwrap();
    let later = |s| t0 + chrono::TimeDelta::seconds(s);
    assert!(
        schedule
            .keep(&store, &kc, "p1", later(59), false)
            .unwrap()
            .is_none(),
        "not within the minute"
    );
    let moved = schedule
        .keep(&store, &kc, "p1", later(60), false)
        .unwrap()
        .unwrap();
    assert_eq!(moved.rows, first.rows + 1);
    assert!(
        schedule
            .keep(&store, &kc, "p1", later(600), false)
            .unwrap()
            .is_none(),
        "nothing written since: nothing to anchor"
    );
    let forced = schedule
        .keep(&store, &kc, "p1", later(601), true)
        .unwrap()
        .unwrap();
    assert_eq!(
        forced.at,
        later(601),
        "a lock, a quit or a backup anchors at once"
    );
    assert_eq!(kc.load_anchor("p1").unwrap(), forced);
    // The data key's entry is another: removing it (a lock) leaves the anchor.
    kc.forget("p1").unwrap();
    assert_eq!(kc.load_anchor("p1").unwrap(), forced);
}
