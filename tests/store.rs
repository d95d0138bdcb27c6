//! The encrypted store against real files: encryption at rest, keys, damage, locking,
//! transactions.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::clients::{self, ClientInput, ClientQuery};
use kap_practice::key::DataKey;
use kap_practice::store::{Store, SCHEMA_VERSION};
use kap_practice::Error;

const NAME: &str = "Marisol Quiñones-Abernathy";

fn store_with_client() -> (tempfile::TempDir, std::path::PathBuf, DataKey, i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("practice.db");
    let key = DataKey::generate().unwrap();
    let store = Store::create(&path, &key).unwrap();
    let id = store
        .write(|w| {
            kap_practice::practice::init(w, &new_practice())?;
            let mut c = ClientInput::named(NAME);
            c.notes = "Intention: to grieve my father without drowning.".into();
            clients::create(w, c, today())
        })
        .unwrap();
    drop(store);
    (dir, path, key, id)
}

#[test]
fn nothing_readable_on_disk() {
    let (dir, _path, key, _) = store_with_client();
    // Reopen and write again so the WAL holds data too.
    let store = Store::open(&dir.path().join("practice.db"), &key).unwrap();
    store
        .write(|w| clients::create(w, ClientInput::named("Zebulon Fairweather"), today()))
        .unwrap();
    let bytes = all_bytes(dir.path());
    for needle in [
        NAME,
        "Quiñones",
        "Zebulon",
        "grieve",
        "Union Square",
        "CREATE TABLE",
        "SQLite format 3",
    ] {
        assert!(
            !contains(&bytes, needle.as_bytes()),
            "{needle:?} must not appear in the files on disk: the database is encrypted from the first write"
        );
    }
}

#[test]
fn reopen_with_right_key_returns_every_record() {
    let (_dir, path, key, id) = store_with_client();
    let store = Store::open(&path, &key).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let c = store.read(|c| clients::get(c, id, today())).unwrap();
    assert_eq!(c.details.legal_name, NAME);
    assert!(c.details.notes.starts_with("Intention"));
    let page = store
        .read(|c| clients::list(c, &ClientQuery::default(), today()))
        .unwrap();
    assert_eq!(page.total, 1);
}

#[test]
fn wrong_key_is_wrong_key_and_file_untouched() {
    let (_dir, path, _key, _) = store_with_client();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path, &DataKey::generate().unwrap()).unwrap_err();
    assert!(matches!(err, Error::WrongKey), "got {err:?}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a failed open writes nothing"
    );
}

#[test]
fn truncated_file_is_corrupt_and_untouched() {
    let (_dir, path, key, _) = store_with_client();
    let full = std::fs::read(&path).unwrap();
    for len in [0usize, 100, 4095, full.len() - 1] {
        std::fs::write(&path, &full[..len]).unwrap();
        let err = Store::open(&path, &key).unwrap_err();
        assert!(
            matches!(err, Error::Corrupt),
            "truncated to {len}: got {err:?}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            &full[..len],
            "left byte-identical"
        );
    }
}

#[test]
fn plaintext_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("practice.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path, &DataKey::generate().unwrap()).unwrap_err();
    assert!(matches!(err, Error::Corrupt), "got {err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn missing_file_is_never_created_by_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("practice.db");
    let err = Store::open(&path, &DataKey::generate().unwrap()).unwrap_err();
    assert!(matches!(err, Error::NoPractice), "got {err:?}");
    assert!(
        !path.exists(),
        "open must not turn a missing file into a new database"
    );
}

#[test]
fn second_opener_is_refused_while_first_holds_it() {
    let (_dir, path, key, _) = store_with_client();
    let first = Store::open(&path, &key).unwrap();
    let err = Store::open(&path, &key).unwrap_err();
    assert!(matches!(err, Error::InUse), "got {err:?}");
    drop(first);
    Store::open(&path, &key).expect("free again once the first closes");
}

#[test]
fn a_foreign_write_lock_makes_writes_busy_not_lost() {
    let (_dir, path, key, id) = store_with_client();
    let store = Store::open(&path, &key).unwrap();
    // Another connection (as another program would) takes the write lock and keeps it.
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .pragma_update(None, "key", format!("x'{}'", hex_key(&key)))
        .unwrap();
    other.execute_batch("BEGIN IMMEDIATE;").unwrap();
    let err = store
        .write(|w| clients::archive(w, id))
        .expect_err("the write lock is held elsewhere");
    assert!(matches!(err, Error::Busy), "got {err:?}");
    other.execute_batch("ROLLBACK;").unwrap();
    drop(other);
    store
        .write(|w| clients::archive(w, id))
        .expect("works once released");
}

fn hex_key(key: &DataKey) -> String {
    key.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_failed_write_changes_nothing() {
    let (_dir, path, key, id) = store_with_client();
    let store = Store::open(&path, &key).unwrap();
    let rows_before = store.verify_audit().unwrap().rows;
    let err = store
        .write(|w| {
            clients::archive(w, id)?;
            // A later step fails: the archive above must roll back with it.
            clients::update(w, id, ClientInput::named(""), today())
        })
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(_)));
    let c = store.read(|c| clients::get(c, id, today())).unwrap();
    assert_ne!(
        c.details.status,
        clients::ClientStatus::Archived,
        "rolled back"
    );
    assert_eq!(
        store.verify_audit().unwrap().rows,
        rows_before,
        "no audit row for a rolled-back write"
    );
}

#[test]
fn a_write_without_an_audit_row_is_refused() {
    let (_dir, path, key, id) = store_with_client();
    let store = Store::open(&path, &key).unwrap();
    let err = store
        .write(|w| {
            w.conn()
                .execute("UPDATE client SET notes = 'x' WHERE id = ?1", [id])
                .map_err(Error::from)
        })
        .unwrap_err();
    assert!(matches!(err, Error::Internal(_)), "got {err:?}");
    let c = store.read(|c| clients::get(c, id, today())).unwrap();
    assert_ne!(c.details.notes, "x", "the unaudited change was rolled back");
}

#[test]
fn pragmas_are_set() {
    let (_dir, path, key, _) = store_with_client();
    let store = Store::open(&path, &key).unwrap();
    store
        .read(|c| {
            let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
            let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
            let cipher: String = c.query_row("PRAGMA cipher_version", [], |r| r.get(0))?;
            assert_eq!(mode, "wal");
            assert_eq!(fk, 1);
            assert_eq!(sync, 2, "synchronous = FULL");
            assert!(cipher.starts_with('4'), "SQLCipher 4, got {cipher}");
            Ok(())
        })
        .unwrap();
    let err = store
        .read(|c| Ok(c.execute("DELETE FROM client", [])?))
        .unwrap_err();
    assert!(
        !matches!(err, Error::Internal(_)),
        "the read handle refuses writes: {err:?}"
    );
}
