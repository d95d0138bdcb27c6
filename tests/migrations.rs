//! Migrations: an old-schema database upgrades to exactly the schema a fresh one has,
//! keeping its records.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::clients::{self, ClientQuery};
use kap_practice::key::DataKey;
use kap_practice::store::{testing, Store, SCHEMA_VERSION};

/// The fixture's key. A test key for a fixture of made-up people; never a real practice's.
const FIXTURE_KEY: [u8; 32] = *b"kap-practice schema-v1 fixture!!";
const FIXTURE: &str = "tests/fixtures/practice-v1.db";

fn schema(store: &Store) -> Vec<(String, String, String)> {
    store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap()
}

#[test]
fn version_1_fixture_upgrades_to_the_fresh_schema() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("practice.db");
    std::fs::copy(FIXTURE, &old).expect("the committed fixture");
    let key = DataKey::from_bytes(&FIXTURE_KEY).unwrap();

    let upgraded = Store::open(&old, &key).expect("opening runs the pending migrations");
    assert_eq!(upgraded.schema_version().unwrap(), SCHEMA_VERSION);

    let fresh_path = dir.path().join("fresh.db");
    let fresh = Store::create(&fresh_path, &DataKey::generate().unwrap()).unwrap();
    assert_eq!(
        schema(&upgraded),
        schema(&fresh),
        "upgraded and fresh schemas are identical"
    );

    // The records made under version 1 survive, and the new search index covers them.
    let found = upgraded
        .read(|c| {
            clients::list(
                c,
                &ClientQuery {
                    text: Some("elo".into()),
                    ..Default::default()
                },
                today(),
            )
        })
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].legal_name, "Eloísa Fixture");
    let summary = upgraded
        .verify_audit()
        .expect("the chain continues across the upgrade");
    assert!(
        summary.rows >= 2,
        "the fixture's migration row and the upgrade's"
    );
}

/// A practice database in `dir` as a newer app would leave it: one schema version ahead,
/// in rollback-journal mode (so its file holds every byte).
fn newer_practice(dir: &std::path::Path) -> (std::path::PathBuf, DataKey) {
    let path = dir.join("practice.db");
    let key = DataKey::generate().unwrap();
    drop(Store::create(&path, &key).unwrap());
    let c = rusqlite::Connection::open(&path).unwrap();
    let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    c.pragma_update(None, "key", format!("x'{hex}'")).unwrap();
    c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    (path, key)
}

#[test]
fn a_newer_database_is_refused_not_downgraded() {
    let dir = tempfile::tempdir().unwrap();
    let (path, key) = newer_practice(dir.path());
    let err = Store::open(&path, &key).unwrap_err();
    assert!(matches!(err, kap_practice::Error::Conflict(_)), "{err:?}");
}

/// Writes the version-1 fixture. Run once, by hand, when it is first made:
/// `cargo test -p kap-practice --test migrations -- --ignored make_fixture`.
#[test]
#[ignore]
fn make_fixture() {
    let _ = std::fs::remove_file(FIXTURE);
    let key = DataKey::from_bytes(&FIXTURE_KEY).unwrap();
    testing::create_at_version(std::path::Path::new(FIXTURE), &key, 1).unwrap();
    let c = rusqlite::Connection::open(FIXTURE).unwrap();
    let hex: String = FIXTURE_KEY.iter().map(|b| format!("{b:02x}")).collect();
    c.pragma_update(None, "key", format!("x'{hex}'")).unwrap();
    c.execute_batch(
        "INSERT INTO practice (id, practice_name, therapist_name, updated_at)
             VALUES (1, 'Fixture Practice', 'Fixture Therapist', '2026-01-01T00:00:00.000000Z');
         INSERT INTO client (legal_name, sort_name, status, fee_arrangement, created_at, updated_at)
             VALUES ('Eloísa Fixture', 'eloisa fixture', 'active', '{\"kind\":\"standard\",\"agreed\":[],\"note\":null}',
                     '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');
         PRAGMA journal_mode = DELETE;",
    )
    .unwrap();
}

#[test]
fn an_upgraded_practice_verifies_with_its_old_rows_and_new() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("practice.db");
    std::fs::copy(FIXTURE, &old).expect("the committed fixture");
    let key = DataKey::from_bytes(&FIXTURE_KEY).unwrap();
    let store = Store::open(&old, &key).unwrap();
    store
        .write(|w| clients::create(w, clients::ClientInput::named("After Upgrade"), today()))
        .unwrap();
    drop(store);
    let check = kap_practice::store::verify_file(&old, &key).unwrap();
    assert!(
        check.findings.is_empty(),
        "old rows verify as before, new rows with their content: {:?}",
        check.findings
    );
}

/// The practice as the older app left it, kept before the upgrade: one copy, encrypted,
/// owner-only, at the old version, with every record; a second opening copies nothing.
#[test]
fn an_older_practice_is_copied_before_it_is_upgraded() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("practice.db");
    std::fs::copy(FIXTURE, &old).expect("the committed fixture");
    let before = std::fs::read(&old).unwrap();
    let key = DataKey::from_bytes(&FIXTURE_KEY).unwrap();

    let store = Store::open(&old, &key).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);

    let safety = dir.path().join(kap_practice::store::SAFETY_DIR);
    let copies: Vec<_> = std::fs::read_dir(&safety)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let name = copies[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("before-upgrade-from-v1-"), "{name}");
    let copy = copies[0].join("practice.db");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&copies[0]), 0o700);
    assert_eq!(mode(&copy), 0o600);

    // Encrypted: neither the client's name nor SQLite's plain header is in it.
    let bytes = std::fs::read(&copy).unwrap();
    assert!(!contains(&bytes, "Eloísa".as_bytes()));
    assert!(!bytes.starts_with(b"SQLite format 3"));
    assert_ne!(
        bytes, before,
        "a fresh copy, not the old file's pages as they were"
    );

    // At the old version, with the records, under the same key.
    let c = rusqlite::Connection::open(&copy).unwrap();
    let hex: String = FIXTURE_KEY.iter().map(|b| format!("{b:02x}")).collect();
    c.pragma_update(None, "key", format!("x'{hex}'")).unwrap();
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    let name: String = c
        .query_row("SELECT legal_name FROM client", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "Eloísa Fixture");
    drop(c);

    // Already upgraded: nothing more is copied.
    drop(Store::open(&old, &key).unwrap());
    assert_eq!(std::fs::read_dir(&safety).unwrap().count(), 1);
}

/// An older app (this one, facing a practice from a newer one) refuses with a message that
/// says what to do, changes no byte of the practice and makes no copy.
#[test]
fn a_newer_practice_is_refused_clearly_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let (path, key) = newer_practice(dir.path());
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path, &key).unwrap_err();
    assert_eq!(
        err.to_string(),
        "This practice was saved by a newer version of KAP Practice. Update the app to open it."
    );
    assert!(
        std::fs::read(&path).unwrap() == before,
        "not one byte changed"
    );
    assert!(!dir.path().join(kap_practice::store::SAFETY_DIR).exists());
}
