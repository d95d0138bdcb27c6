//! The two connections: reads see every commit at once, go on while another thread
//! writes, and can never write, whichever connection serves them.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::clients::{self, ClientInput};
use chrono::NaiveDate;
use std::sync::mpsc;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(
        &dir.path().join("practice.db"),
        &DataKey::generate().unwrap(),
    )
    .unwrap();
    (dir, store)
}

fn add(store: &Store, name: &str) -> i64 {
    store
        .write(|w| clients::create(w, ClientInput::named(name), today()))
        .unwrap()
}

fn count(c: &Connection) -> Result<i64> {
    Ok(c.query_row("SELECT count(*) FROM client", [], |r| r.get(0))?)
}

#[test]
fn a_read_right_after_a_write_sees_it() {
    let (_dir, store) = store();
    for n in 1..=20 {
        let id = add(&store, &format!("Client {n}"));
        let name = store
            .read(|c| Ok(clients::get(c, id, today())?.details.legal_name))
            .unwrap();
        assert_eq!(name, format!("Client {n}"));
        assert_eq!(store.read(count).unwrap(), n);
    }
}

/// Runs `during` on this thread while another thread is inside a write that has added a
/// client and not yet committed.
fn while_writing<T>(store: &Store, during: impl FnOnce() -> T) -> T {
    let (inside, wait_inside) = mpsc::channel();
    let (finish, wait_finish) = mpsc::channel::<()>();
    std::thread::scope(|s| {
        let writer = s.spawn(move || {
            store.write(|w| {
                let id = clients::create(w, ClientInput::named("Uncommitted"), today())?;
                inside.send(()).unwrap();
                wait_finish.recv().unwrap();
                Ok(id)
            })
        });
        wait_inside.recv().unwrap();
        let value = during();
        finish.send(()).unwrap();
        writer.join().unwrap().unwrap();
        value
    })
}

#[test]
fn reads_go_on_while_another_thread_writes_and_see_the_last_commit() {
    let (_dir, store) = store();
    add(&store, "Committed");
    let seen = while_writing(&store, || store.read(count).unwrap());
    assert_eq!(seen, 1, "the write in progress is not seen");
    assert_eq!(store.read(count).unwrap(), 2, "its commit is, at once");
}

#[test]
fn no_read_can_write_on_either_connection() {
    let (_dir, store) = store();
    add(&store, "Kept");
    let delete = |c: &Connection| Ok(c.execute("DELETE FROM audit_log", [])?);
    let idle = store.read(delete).unwrap_err();
    assert!(!matches!(idle, Error::Internal(_)), "{idle:?}");
    let busy = while_writing(&store, || store.read(delete).unwrap_err());
    assert!(!matches!(busy, Error::Internal(_)), "{busy:?}");
    // Nor through a snapshot's lifting and putting back of the reader's guard.
    let copy = _dir.path().join("copy.db");
    store.snapshot_to(&copy).unwrap();
    assert!(store.read(delete).is_err());
    assert!(while_writing(&store, || store.read(delete).is_err()));
    // Writes still write.
    add(&store, "After");
    assert_eq!(store.read(count).unwrap(), 4);
}

#[test]
fn a_write_inside_a_read_is_refused_not_a_deadlock() {
    let (_dir, store) = store();
    let err = store
        .read(|_| Ok(store.write(|w| clients::create(w, ClientInput::named("X"), today()))))
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, Error::Internal(_)), "{err:?}");
    add(&store, "Then");
    assert_eq!(store.read(count).unwrap(), 1);
}

#[test]
fn a_read_inside_a_write_or_a_read_sees_the_last_commit() {
    let (_dir, store) = store();
    add(&store, "One");
    let inside_write = store
        .write(|w| {
            clients::create(w, ClientInput::named("Two"), today())?;
            store.read(count)
        })
        .unwrap();
    assert_eq!(inside_write, 1);
    let nested = store.read(|_| store.read(count)).unwrap();
    assert_eq!(nested, 2);
}

#[test]
fn a_read_that_leaves_a_transaction_open_holds_nothing_up() {
    let (_dir, store) = store();
    store
        .read(|c| {
            c.execute_batch("BEGIN")?;
            count(c)
        })
        .unwrap();
    add(&store, "Written");
    assert_eq!(store.read(count).unwrap(), 1);
}

#[test]
fn a_failed_or_panicking_write_leaves_the_writer_guarded() {
    let (_dir, store) = store();
    let failed: Result<()> = store.write(|w| {
        clients::create(w, ClientInput::named("Rolled back"), today())?;
        Err(Error::Internal("refused"))
    });
    assert!(failed.is_err());
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.write(|w| -> Result<()> {
            clients::create(w, ClientInput::named("Rolled back too"), today())?;
            panic!("a bug in a write");
        });
    }));
    assert!(panicked.is_err());
    assert_eq!(store.read(count).unwrap(), 0);
    assert!(store
        .read(|c| Ok(c.execute("DELETE FROM audit_log", [])?))
        .is_err());
    add(&store, "Written");
    assert_eq!(store.read(count).unwrap(), 1);
}
