//! Release-of-information authorizations (45 CFR 164.508) through the real store: the
//! lifecycle from draft to revocation with its audit rows, the refusals (each leaving
//! the row and the audit log as they were), which authorizations are active on a day,
//! the warning before a disclosure, and the printed form with every required element.
//! The clock stands still at Nov 26, 2026, 10 a.m. in New York.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use chrono::{NaiveDate, TimeZone};
use common::*;
use kap_practice::audit::EntityKind;
use kap_practice::clients::{self, ClientInput};
use kap_practice::records::accounting::{Purpose, Recipient, RecipientKind};
use kap_practice::records::authorization::{
    self, Authorization, AuthorizationForm, SignedBy, Status, WarningReason,
};
use kap_practice::store::Store;
use kap_practice::Error;

/// A practice whose clock stands at Nov 26, 2026, 15:00 UTC (10:00 in New York).
fn practice_now() -> (tempfile::TempDir, Store) {
    let (dir, folder, kc, opened) = practice();
    let id = opened.practice_id.clone();
    drop(opened);
    let key = kc.load(&id).unwrap();
    let t = chrono::Utc
        .with_ymd_and_hms(2026, 11, 26, 15, 0, 0)
        .unwrap();
    (
        dir,
        Store::open_with_clock(&folder.db_path(), &key, arc_clock(t)).unwrap(),
    )
}

fn client(store: &Store, name: &str) -> i64 {
    store
        .write(|w| {
            let mut c = ClientInput::named(name);
            c.date_of_birth = Some(date(1990, 4, 12));
            clients::create(w, c, today())
        })
        .unwrap()
}

fn form() -> AuthorizationForm {
    AuthorizationForm {
        discloser: "Union Square KAP (Dana Whitfield, LCSW)".into(),
        recipient: "Dr. Lena Park, Hudson Valley Psychiatry\n40 River Rd, Kingston, NY 12401"
            .into(),
        information: "Intake assessment, treatment plan and session notes from March 1 to \
                      October 31, 2026"
            .into(),
        purpose: "Continuity of care: at the request of the client".into(),
        expires_on: Some(date(2027, 5, 31)),
        expiry_event: None,
        process_notes: false,
    }
}

fn fields(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(f) => f.0.into_iter().map(|f| f.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn audit_rows(store: &Store) -> i64 {
    store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?))
        .unwrap()
}

/// The audit rows of one authorization, oldest first: their actions.
fn audited(store: &Store, id: i64) -> Vec<String> {
    store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT action FROM audit_log WHERE entity_kind = ?1 AND entity_id = ?2
                 ORDER BY seq",
            )?;
            let rows = stmt.query_map(
                rusqlite::params![EntityKind::Authorization.as_str(), id],
                |r| r.get::<_, String>(0),
            )?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap()
}

fn get(store: &Store, id: i64) -> Authorization {
    store.read(|c| authorization::get(c, id, today())).unwrap()
}

/// Runs `refused`, which must fail as `check` says, and checks that nothing changed:
/// the authorization is as it was and the audit log has no new row.
fn refused_intact(store: &Store, id: i64, refused: impl FnOnce() -> Error) -> Error {
    let before = (get(store, id), audit_rows(store));
    let e = refused();
    assert_eq!(
        (get(store, id), audit_rows(store)),
        before,
        "a refusal changes no row and writes no audit row"
    );
    e
}

#[test]
fn an_authorization_is_drafted_corrected_signed_and_revoked_with_its_audit_rows() {
    let (_dir, store) = practice_now();
    let c = client(&store, "Rosa Díaz");
    let id = store
        .write(|w| authorization::draft(w, c, &form(), today()))
        .unwrap();
    let a = get(&store, id);
    assert_eq!(a.status, Status::Draft);
    assert_eq!(a.client_id, c);
    assert_eq!(a.signed_on, None);
    assert!(!a.process_notes);

    // A draft may be corrected; the texts are stored trimmed.
    let corrected = AuthorizationForm {
        purpose: "  At the request of the client  ".into(),
        expires_on: None,
        expiry_event: Some("When the referral is complete".into()),
        ..form()
    };
    store
        .write(|w| authorization::update(w, id, &corrected, today()))
        .unwrap();
    let a = get(&store, id);
    assert_eq!(a.purpose, "At the request of the client");
    assert_eq!(a.expires_on, None);
    assert_eq!(
        a.expiry_event.as_deref(),
        Some("When the referral is complete")
    );

    store
        .write(|w| authorization::sign(w, id, date(2026, 11, 20), SignedBy::Client, None, today()))
        .unwrap();
    let a = get(&store, id);
    assert_eq!(a.status, Status::Active);
    assert_eq!(a.signed_on, Some(date(2026, 11, 20)));
    assert_eq!(a.signed_by, Some(SignedBy::Client));

    // Signed is final: no correction, no second signature.
    let e = refused_intact(&store, id, || {
        store
            .write(|w| authorization::update(w, id, &form(), today()))
            .unwrap_err()
    });
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    let e = refused_intact(&store, id, || {
        store
            .write(|w| {
                authorization::sign(w, id, date(2026, 11, 21), SignedBy::Client, None, today())
            })
            .unwrap_err()
    });
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");

    // A revocation is dated from the signature to today.
    for bad in [date(2026, 11, 19), date(2026, 11, 27)] {
        let e = refused_intact(&store, id, || {
            store
                .write(|w| authorization::revoke(w, id, bad, today()))
                .unwrap_err()
        });
        assert_eq!(fields(e), ["revoked_on"], "{bad}");
    }
    store
        .write(|w| authorization::revoke(w, id, date(2026, 11, 25), today()))
        .unwrap();
    let a = get(&store, id);
    assert_eq!(a.status, Status::Revoked);
    assert_eq!(a.revoked_on, Some(date(2026, 11, 25)));
    let on_the_day_before = store
        .read(|c| authorization::get(c, id, date(2026, 11, 24)))
        .unwrap();
    assert_eq!(on_the_day_before.status, Status::Active);

    // Revoked once is revoked.
    let e = refused_intact(&store, id, || {
        store
            .write(|w| authorization::revoke(w, id, date(2026, 11, 26), today()))
            .unwrap_err()
    });
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");

    assert_eq!(
        audited(&store, id),
        ["create", "update", "update", "update"],
        "draft, correction, signature, revocation: one audit row each"
    );
    assert!(store.verify_audit().is_ok());
}

#[test]
fn refusals_name_their_fields_and_leave_the_record_intact() {
    let (_dir, store) = practice_now();
    let c = client(&store, "Rosa Díaz");

    // Nothing is drafted from a bad form.
    let before = audit_rows(&store);
    let past = AuthorizationForm {
        expires_on: Some(date(2026, 11, 25)),
        ..form()
    };
    let e = store
        .write(|w| authorization::draft(w, c, &past, today()))
        .unwrap_err();
    assert_eq!(fields(e), ["expires_on"], "an expiry date in the past");
    let huge = AuthorizationForm {
        information: "x".repeat(100_000),
        ..form()
    };
    let e = store
        .write(|w| authorization::draft(w, c, &huge, today()))
        .unwrap_err();
    assert_eq!(fields(e), ["information"], "a 100,000-character field");
    let no_end = AuthorizationForm {
        expires_on: None,
        expiry_event: None,
        ..form()
    };
    let e = store
        .write(|w| authorization::draft(w, c, &no_end, today()))
        .unwrap_err();
    assert_eq!(fields(e), ["expires_on"], "neither a date nor an event");
    let e = store
        .write(|w| authorization::draft(w, 9999, &form(), today()))
        .unwrap_err();
    assert!(matches!(e, Error::NotFound("client")), "{e:?}");
    assert_eq!(audit_rows(&store), before, "nothing was written");
    let none: i64 = store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM authorization", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(none, 0);

    let id = store
        .write(|w| authorization::draft(w, c, &form(), today()))
        .unwrap();

    // A draft cannot be revoked: it allows nothing yet.
    let e = refused_intact(&store, id, || {
        store
            .write(|w| authorization::revoke(w, id, today(), today()))
            .unwrap_err()
    });
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");

    // A correction is checked as a draft is.
    let e = refused_intact(&store, id, || {
        store
            .write(|w| authorization::update(w, id, &huge, today()))
            .unwrap_err()
    });
    assert_eq!(fields(e), ["information"]);

    // A representative signs with their name and authority; the client without.
    let e = refused_intact(&store, id, || {
        store
            .write(|w| {
                authorization::sign(
                    w,
                    id,
                    today(),
                    SignedBy::Representative,
                    Some("  "),
                    today(),
                )
            })
            .unwrap_err()
    });
    assert_eq!(fields(e), ["representative"]);
    let e = refused_intact(&store, id, || {
        store
            .write(|w| {
                authorization::sign(w, id, today(), SignedBy::Client, Some("Ana Díaz"), today())
            })
            .unwrap_err()
    });
    assert_eq!(fields(e), ["representative"]);
    let e = refused_intact(&store, id, || {
        store
            .write(|w| {
                authorization::sign(w, id, date(2026, 11, 27), SignedBy::Client, None, today())
            })
            .unwrap_err()
    });
    assert_eq!(fields(e), ["signed_on"], "a signature in the future");

    // Drafted on Nov 1 to expire on Nov 10: signed on Nov 20 is too late.
    let short = AuthorizationForm {
        expires_on: Some(date(2026, 11, 10)),
        ..form()
    };
    let late = store
        .write(|w| authorization::draft(w, c, &short, date(2026, 11, 1)))
        .unwrap();
    let e = refused_intact(&store, late, || {
        store
            .write(|w| {
                authorization::sign(w, late, date(2026, 11, 20), SignedBy::Client, None, today())
            })
            .unwrap_err()
    });
    assert_eq!(
        fields(e),
        ["signed_on"],
        "a signature after the expiry date"
    );

    let e = store
        .read(|c| authorization::get(c, 9999, today()))
        .unwrap_err();
    assert!(matches!(e, Error::NotFound("authorization")), "{e:?}");

    // Error messages name rules, never what was typed.
    let e = store
        .write(|w| {
            authorization::sign(
                w,
                id,
                today(),
                SignedBy::Representative,
                Some(&"Ana Díaz, guardian ".repeat(100)),
                today(),
            )
        })
        .unwrap_err();
    assert!(!format!("{e:?}").contains("Ana"), "{e:?}");
}

/// Drafts an authorization on `drafted`, expiring on `expires`, signed on `signed` (and
/// revoked on `revoked`), each step with `today` as the day it was done.
fn authorization_of(
    store: &Store,
    client: i64,
    drafted: NaiveDate,
    expires: NaiveDate,
    signed: Option<NaiveDate>,
    revoked: Option<NaiveDate>,
) -> i64 {
    let f = AuthorizationForm {
        expires_on: Some(expires),
        ..form()
    };
    store
        .write(|w| {
            let id = authorization::draft(w, client, &f, drafted)?;
            if let Some(s) = signed {
                authorization::sign(w, id, s, SignedBy::Client, None, s)?;
            }
            if let Some(r) = revoked {
                authorization::revoke(w, id, r, r)?;
            }
            Ok(id)
        })
        .unwrap()
}

#[test]
fn active_lists_what_is_in_force_on_a_day() {
    let (_dir, store) = practice_now();
    let c = client(&store, "Rosa Díaz");
    let other = client(&store, "Ana Ruiz");
    let d = |m, day| date(2026, m, day);
    let draft = authorization_of(&store, c, d(11, 1), d(12, 31), None, None);
    let ends_30th = authorization_of(&store, c, d(10, 1), d(11, 30), Some(d(10, 2)), None);
    let expired = authorization_of(&store, c, d(9, 1), d(11, 25), Some(d(9, 2)), None);
    let revoked = authorization_of(&store, c, d(9, 1), d(12, 31), Some(d(9, 2)), Some(d(11, 1)));
    let event_only = store
        .write(|w| {
            let f = AuthorizationForm {
                expires_on: None,
                expiry_event: Some("When the claim is settled".into()),
                ..form()
            };
            let id = authorization::draft(w, c, &f, today())?;
            authorization::sign(w, id, d(11, 26), SignedBy::Client, None, today())?;
            Ok(id)
        })
        .unwrap();
    let theirs = authorization_of(&store, other, d(11, 1), d(12, 31), Some(d(11, 2)), None);

    let active = |on: NaiveDate| -> Vec<i64> {
        store
            .read(|conn| authorization::active(conn, c, on))
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(
        active(d(11, 26)),
        [event_only, ends_30th],
        "newest first; not the draft, the expired, the revoked or another client's"
    );
    assert_eq!(
        active(d(11, 30)),
        [event_only, ends_30th],
        "valid through D"
    );
    assert_eq!(active(d(12, 1)), [event_only], "expired from D + 1");
    assert_eq!(
        active(d(10, 31)),
        [revoked, expired, ends_30th],
        "before the revocation and the expiry; the event-only one not yet signed"
    );

    let all = store
        .read(|conn| authorization::for_client(conn, c, today()))
        .unwrap();
    let statuses: Vec<(i64, Status)> = all.iter().map(|a| (a.id, a.status)).collect();
    assert_eq!(
        statuses,
        [
            (event_only, Status::Active),
            (revoked, Status::Revoked),
            (expired, Status::Expired),
            (ends_30th, Status::Active),
            (draft, Status::Draft),
        ],
        "every one of the client's, newest first (the clock stands still: by id)"
    );
    assert!(!all.iter().any(|a| a.id == theirs));
}

fn to(kind: RecipientKind, purpose: Purpose, authorization_id: Option<i64>) -> Recipient {
    Recipient {
        kind,
        name: "Hudson Valley Psychiatry".into(),
        purpose,
        purpose_note: None,
        authorization_id,
        access_request_id: None,
    }
}

#[test]
fn a_disclosure_needing_an_authorization_without_an_active_one_is_warned_about() {
    let (_dir, store) = practice_now();
    let c = client(&store, "Rosa Díaz");
    let other = client(&store, "Ana Ruiz");
    let d = |m, day| date(2026, m, day);
    let draft = authorization_of(&store, c, d(11, 1), d(12, 31), None, None);
    let live = authorization_of(&store, c, d(10, 1), d(12, 31), Some(d(10, 2)), None);
    let expired = authorization_of(&store, c, d(9, 1), d(11, 25), Some(d(9, 2)), None);
    let revoked = authorization_of(&store, c, d(9, 1), d(12, 31), Some(d(9, 2)), Some(d(11, 1)));
    let theirs = authorization_of(&store, other, d(11, 1), d(12, 31), Some(d(11, 2)), None);

    let warn = |r: Recipient| {
        store
            .read(|conn| authorization::warning(conn, c, &r, today()))
            .unwrap()
            .map(|w| (w.reason, w.active))
    };
    use Purpose::*;
    use RecipientKind as K;
    assert_eq!(
        warn(to(K::Other, Authorized, None)),
        Some((WarningReason::Missing, vec![live])),
        "needs one, names none: the active ones are offered"
    );
    assert_eq!(
        warn(to(K::Insurer, Other, None)).map(|w| w.0),
        Some(WarningReason::Missing)
    );
    assert_eq!(
        warn(to(K::Other, Authorized, Some(draft))).map(|w| w.0),
        Some(WarningReason::Unsigned)
    );
    assert_eq!(
        warn(to(K::Other, Authorized, Some(expired))).map(|w| w.0),
        Some(WarningReason::Expired)
    );
    assert_eq!(
        warn(to(K::Prescriber, Authorized, Some(revoked))).map(|w| w.0),
        Some(WarningReason::Revoked)
    );
    assert_eq!(warn(to(K::Other, Authorized, Some(live))), None);
    // No authorization needed: nothing to say, unless one named is not in force.
    assert_eq!(warn(to(K::Prescriber, Treatment, None)), None);
    assert_eq!(warn(to(K::Insurer, Payment, None)), None);
    assert_eq!(warn(to(K::Client, Other, None)), None);
    assert_eq!(warn(to(K::Other, RequiredByLaw, None)), None);
    assert_eq!(
        warn(to(K::Prescriber, Treatment, Some(revoked))).map(|w| w.0),
        Some(WarningReason::Revoked),
        "naming a revoked authorization is worth a word whatever the purpose"
    );
    let message = store
        .read(|conn| authorization::warning(conn, c, &to(K::Other, Authorized, None), today()))
        .unwrap()
        .unwrap()
        .message;
    assert!(message.contains("164.508"), "{message}");

    // Another client's authorization is refused, as the disclosure itself would be.
    let e = store
        .read(|conn| {
            authorization::warning(conn, c, &to(K::Other, Authorized, Some(theirs)), today())
        })
        .unwrap_err();
    assert_eq!(fields(e), ["recipient.authorization_id"]);

    // The warning does not stop a disclosure: one without an authorization is saved,
    // and one naming another client's authorization is refused with nothing written.
    let out = tempfile::tempdir().unwrap();
    let before = audit_rows(&store);
    let e = kap_practice::export::authorization_pdf(
        &store,
        live,
        &out.path().join("theirs.pdf"),
        Some(to(K::Other, Authorized, Some(theirs))),
    )
    .unwrap_err();
    assert_eq!(fields(e), ["recipient.authorization_id"]);
    assert_eq!(audit_rows(&store), before);
    assert!(!out.path().join("theirs.pdf").exists());
    kap_practice::export::disclosure_accounting_pdf(
        &store,
        c,
        &out.path().join("warned.pdf"),
        Some(to(K::Other, Authorized, None)),
    )
    .unwrap();
    assert_eq!(audit_rows(&store), before + 1);
}

// ---------------------------------------------------------------------------------
// The form, as a PDF

fn out_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/documents/records");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The text of a PDF on one line; its first page rendered beside it (`<stem>-1.png`)
/// for a reviewer to look at; its metadata checked to hold no name.
fn read_pdf(path: &std::path::Path, stem: &str) -> String {
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-f", "1", "-l", "1"])
        .arg(path)
        .arg(path.parent().unwrap().join(stem))
        .status()
        .unwrap();
    assert!(ok.success());
    let meta = format!(
        "{}{}",
        tool("pdfinfo", &[], path),
        tool("pdfinfo", &["-meta"], path)
    );
    for name in ["Rosa", "Díaz", "Park", "Hudson"] {
        assert!(!meta.contains(name), "no PHI in the metadata: {meta}");
    }
    tool("pdftotext", &[], path)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn with_address(store: &Store) {
    store
        .write(|w| {
            let mut s = kap_practice::practice::get(w.conn())?;
            s.address = "12 Union Square West, Suite 4\nNew York, NY 10003".into();
            s.phone = "(212) 555-0142".into();
            kap_practice::practice::update(w, s)
        })
        .unwrap();
}

#[test]
fn the_form_carries_every_element_164_508_requires() {
    let (_dir, store) = practice_now();
    with_address(&store);
    let c = client(&store, "Rosa Díaz");
    let id = store
        .write(|w| authorization::draft(w, c, &form(), today()))
        .unwrap();
    let name = kap_practice::export::authorization_name(id, today());
    assert_eq!(name, format!("authorization-{id:06}-2026-11-26.pdf"));
    assert!(!name.contains("Rosa") && !name.contains("Díaz"));
    let path = out_dir().join("authorization-release.pdf");
    let pages = kap_practice::export::authorization_pdf(
        &store,
        id,
        &path,
        Some(to(RecipientKind::Client, Purpose::ClientRequest, None)),
    )
    .unwrap();
    assert_eq!(pages, 1, "the form fits one page");
    let (document, client_id, authorization_kind): (String, Option<i64>, String) = store
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT d.document, d.client_id, l.entity_kind FROM disclosure AS d
                 JOIN audit_log AS l ON l.seq = d.audit_seq ORDER BY d.audit_seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(
        (document.as_str(), client_id, authorization_kind.as_str()),
        ("authorization", Some(c), "authorization"),
        "saved through the one audited disclosure path"
    );

    let text = read_pdf(&path, "authorization-release");
    for (element, want) in [
        ("letterhead", "Union Square KAP"),
        ("title", "Authorization to disclose health information"),
        ("the client", "Client: Rosa Díaz"),
        ("(c)(1)(ii) who may disclose", "1. Who may disclose"),
        ("(c)(1)(ii)", "Union Square KAP (Dana Whitfield, LCSW)"),
        ("(c)(1)(iii) to whom", "2. Who may receive it"),
        ("(c)(1)(iii)", "Dr. Lena Park, Hudson Valley Psychiatry"),
        ("(c)(1)(i) what", "session notes from March 1 to October 31, 2026"),
        ("not psychotherapy notes", "does not cover psychotherapy notes"),
        ("(c)(1)(iv) why", "Continuity of care: at the request of the client"),
        ("(c)(1)(v) expiry", "This authorization expires on May 31, 2027."),
        ("(c)(2)(i) revoke in writing", "You may revoke this authorization at any time by writing to"),
        ("(c)(2)(i) how", "12 Union Square West, Suite 4, New York, NY 10003"),
        ("(c)(2)(i) exceptions", "in reliance on this authorization"),
        ("(c)(2)(ii) no conditioning", "will not condition your treatment, payment, enrollment in a health plan or eligibility for benefits"),
        ("(c)(2)(iii) redisclosure", "may be redisclosed by the person or organization that receives it"),
        ("(c)(2)(iii)", "no longer be protected by the federal privacy rule"),
        ("(c)(4) a copy", "You will be given a copy of this authorization"),
        ("(c)(1)(vi) signature", "Signature of the client, or of their personal representative"),
        ("(c)(1)(vi) date", "Date"),
        ("(c)(1)(vi) authority", "their authority to act for the client"),
    ] {
        assert!(text.contains(want), "{element}: {want:?} in {text}");
    }
    assert!(!text.contains("Recorded as signed"), "not signed yet");
}

#[test]
fn a_process_notes_form_covers_them_and_nothing_else_and_shows_its_signature_and_revocation() {
    let (_dir, store) = practice_now();
    with_address(&store);
    let c = client(&store, "Rosa Díaz");
    let notes = AuthorizationForm {
        information: "My psychotherapy notes of the sessions of September and October 2026".into(),
        purpose: "At the request of the client".into(),
        expires_on: Some(date(2027, 3, 1)),
        expiry_event: Some("When my disability claim is decided".into()),
        process_notes: true,
        ..form()
    };
    let id = store
        .write(|w| {
            let id = authorization::draft(w, c, &notes, today())?;
            authorization::sign(
                w,
                id,
                date(2026, 11, 20),
                SignedBy::Representative,
                Some("Ana Díaz, legal guardian"),
                today(),
            )?;
            authorization::revoke(w, id, date(2026, 11, 25), today())?;
            Ok(id)
        })
        .unwrap();
    let path = out_dir().join("authorization-process-notes.pdf");
    kap_practice::export::authorization_pdf(&store, id, &path, None).unwrap();
    let text = read_pdf(&path, "authorization-process-notes");
    for want in [
        "Authorization to disclose psychotherapy notes",
        "My psychotherapy notes of the sessions of September and October 2026",
        "This authorization is for psychotherapy notes only",
        "It authorizes the disclosure of the psychotherapy notes described above and nothing else",
        "Any other information needs a separate authorization",
        "This authorization expires on Mar 1, 2027, or earlier when this happens: When my disability claim is decided",
        "Ana Díaz, legal guardian",
        "Recorded as signed on Nov 20, 2026 by the personal representative, Ana Díaz, legal guardian.",
        "the written revocation was received on Nov 25, 2026",
    ] {
        assert!(text.contains(want), "{want:?} in {text}");
    }
    assert!(
        !text.contains("does not cover psychotherapy notes"),
        "{text}"
    );
}
