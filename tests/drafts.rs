//! Form drafts through the real store: what the therapist typed survives a lock (the
//! store closed and opened again with the passphrase), stays encrypted on disk, is
//! audited without flooding the log, and bad drafts are refused with nothing written.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::clients::{self, ClientInput};
use kap_practice::drafts::{self, DraftForm, DraftKey, MAX_BODY_BYTES};
use kap_practice::store::Store;
use kap_practice::Error;

fn key(form: DraftForm, target: &str) -> DraftKey {
    DraftKey {
        form,
        target: target.into(),
    }
}

fn audit_rows(store: &Store) -> Vec<(String, String, i64)> {
    store
        .read(|c| {
            let mut st =
                c.prepare("SELECT action, entity_kind, entity_id FROM audit_log ORDER BY seq")?;
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap()
}

/// A sentence no test data elsewhere holds, to look for in the files on disk.
const TYPED: &str = "Spoke of the lighthouse dream again";

#[test]
fn a_draft_survives_a_lock_encrypted_and_is_restored() {
    let (_d, folder, _k, opened) = practice();
    let client = opened
        .store
        .write(|w| clients::create(w, ClientInput::named("Inès Caldwell"), today()))
        .unwrap();
    let k = key(DraftForm::SessionNote, "appointment:7:client:1");
    let body = format!(r#"{{"kind":"free_text","text":"{TYPED}"}}"#);
    let saved = opened
        .store
        .write(|w| drafts::save(w, &k, Some(client), &body))
        .unwrap();
    assert_eq!(saved.body, body);

    // Lock: the store is closed and the key is gone; the files hold no plain text.
    drop(opened);
    let bytes = all_bytes(folder.dir());
    assert!(
        !contains(&bytes, TYPED.as_bytes()),
        "the draft is encrypted on disk like every record"
    );

    // Unlock with the passphrase: the draft is there, as typed.
    let reopened = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &mock_keychain())
        .unwrap();
    let back = reopened
        .store
        .read(|c| drafts::get(c, &k))
        .unwrap()
        .unwrap();
    assert_eq!(back.body, body);
    assert_eq!(back.client_id, Some(client));
    let listed = reopened
        .store
        .read(|c| drafts::list(c, Some(client)))
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].form, DraftForm::SessionNote);
    assert_eq!(listed[0].legal_name.as_deref(), Some("Inès Caldwell"));
    assert!(reopened
        .store
        .read(|c| drafts::list(c, Some(client + 1)))
        .unwrap()
        .is_empty());

    // Saving the form discards the draft, audited.
    let gone = drafts::discard_if_any(&reopened.store, &k).unwrap();
    assert!(gone);
    assert_eq!(reopened.store.read(|c| drafts::get(c, &k)).unwrap(), None);
    let last = audit_rows(&reopened.store).pop().unwrap();
    assert_eq!(last, ("discard".into(), "draft".into(), saved.id));
    let rows = audit_rows(&reopened.store).len();
    assert!(
        !drafts::discard_if_any(&reopened.store, &k).unwrap(),
        "discarding nothing is not an error"
    );
    assert_eq!(
        audit_rows(&reopened.store).len(),
        rows,
        "and writes nothing"
    );
    assert!(matches!(
        reopened.store.write(|w| drafts::discard(w, &k)),
        Err(Error::NotFound("draft"))
    ));
}

#[test]
fn saves_while_typing_are_one_audit_row_until_something_else_happens() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let k = key(DraftForm::Client, "new");
    let before = audit_rows(store).len();
    let mut id = 0;
    for n in 0..20 {
        let body = format!(r#"{{"legal_name":"{}"}}"#, "M".repeat(n + 1));
        id = store
            .write(|w| drafts::save(w, &k, None, &body))
            .unwrap()
            .id;
    }
    let rows = audit_rows(store);
    assert_eq!(
        rows[before..],
        [
            ("create".into(), "draft".into(), id),
            ("update".into(), "draft".into(), id)
        ],
        "20 saves while typing: created once, then one row for the run of updates"
    );
    // Another change in between: the next save of the draft is recorded again.
    store
        .write(|w| clients::create(w, ClientInput::named("Other Person"), today()))
        .unwrap();
    store
        .write(|w| drafts::save(w, &k, None, r#"{"legal_name":"Mara"}"#))
        .unwrap();
    let rows = audit_rows(store);
    assert_eq!(rows.len(), before + 4);
    assert_eq!(rows.last().unwrap(), &("update".into(), "draft".into(), id));
    assert_eq!(
        store.read(|c| drafts::get(c, &k)).unwrap().unwrap().body,
        r#"{"legal_name":"Mara"}"#,
        "the newest fields are kept"
    );
}

#[test]
fn drafts_are_per_form_and_target() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let a = key(DraftForm::Intake, "client:1:medical");
    let b = key(DraftForm::Intake, "client:1:mental_health");
    let c = key(DraftForm::FollowUp, "client:1:medical");
    for (k, v) in [(&a, "1"), (&b, "2"), (&c, "3")] {
        store
            .write(|w| drafts::save(w, k, None, &format!(r#"{{"v":"{v}"}}"#)))
            .unwrap();
    }
    for (k, v) in [(&a, "1"), (&b, "2"), (&c, "3")] {
        let d = store.read(|cn| drafts::get(cn, k)).unwrap().unwrap();
        assert_eq!(d.body, format!(r#"{{"v":"{v}"}}"#));
    }
    assert_eq!(store.read(|cn| drafts::list(cn, None)).unwrap().len(), 3);
}

#[test]
fn bad_drafts_are_refused_and_nothing_is_written() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let before = audit_rows(store).len();
    let huge = format!(r#"{{"t":"{}"}}"#, "x".repeat(MAX_BODY_BYTES));
    let cases: Vec<(DraftKey, Option<i64>, String)> = vec![
        (key(DraftForm::Amendment, "note:1"), None, huge),
        (key(DraftForm::Amendment, "note:1"), None, "not json".into()),
        (key(DraftForm::Amendment, "note:1"), None, "[1,2]".into()),
        (key(DraftForm::Amendment, "Ana Lúcia"), None, "{}".into()),
        (key(DraftForm::Amendment, ""), None, "{}".into()),
        (key(DraftForm::Amendment, "note:1"), Some(999), "{}".into()),
    ];
    for (k, client, body) in &cases {
        let err = store
            .write(|w| drafts::save(w, k, *client, body))
            .unwrap_err();
        assert!(
            matches!(err, Error::Invalid(_) | Error::NotFound("client")),
            "{k:?}: {err:?}"
        );
        let msg = err.to_string();
        assert!(
            !msg.contains("Ana") && !msg.contains("not json"),
            "no echo: {msg}"
        );
    }
    assert_eq!(audit_rows(store).len(), before, "nothing was written");
    assert!(store.read(|c| drafts::list(c, None)).unwrap().is_empty());
}
