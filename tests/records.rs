//! Records rights through the real store: access requests from log to outcome, and the
//! accounting of disclosures from the files the app saved and the entries made by hand.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::audit::{Action, EntityKind};
use kap_practice::clients::{self, ClientInput};
use kap_practice::disclose::{self, Disclosure, Document};
use kap_practice::records::access::{
    self, AccessFormat, AccessKind, AccessRequestInput, AccessStatus, Delivery, DenialGround,
    DenyInput, FulfilInput, Requester, Urgency,
};
use kap_practice::records::accounting::{self, EntryInput, Purpose, Recipient, RecipientKind};
use kap_practice::store::Store;
use kap_practice::Error;

/// A practice whose clock stands at `t`.
fn practice_at(t: chrono::DateTime<chrono::Utc>) -> (tempfile::TempDir, Store) {
    let (dir, folder, kc, opened) = practice();
    let id = opened.practice_id.clone();
    drop(opened);
    let key = kc.load(&id).unwrap();
    (
        dir,
        Store::open_with_clock(&folder.db_path(), &key, arc_clock(t)).unwrap(),
    )
}

fn client(store: &Store, name: &str) -> i64 {
    store
        .write(|w| clients::create(w, ClientInput::named(name), today()))
        .unwrap()
}

fn copy_request(received: chrono::NaiveDate) -> AccessRequestInput {
    AccessRequestInput {
        received_on: received,
        requested_by: Requester::Client,
        representative: None,
        access: AccessKind::Copy,
        records: "The whole record".into(),
        format: AccessFormat::Pdf,
        delivery: Delivery::Email,
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

#[test]
fn a_copy_request_is_logged_extended_once_and_fulfilled_with_its_fee() {
    let (_dir, _folder, _kc, opened) = practice();
    let store = opened.store;
    let id_client = client(&store, "Rosa Díaz");
    let received = date(2026, 11, 2);
    let id = store
        .write(|w| access::log(w, id_client, copy_request(received), today()))
        .unwrap();
    let r = store.read(|c| access::get(c, id, today())).unwrap();
    assert_eq!(r.due_on, date(2026, 12, 2));
    assert_eq!(r.status, AccessStatus::Open);
    assert_eq!(
        r.urgency,
        Urgency::DueSoon,
        "due within the week of today (Nov 26)"
    );

    // The extension needs its written reason, and is given once.
    let e = store
        .write(|w| access::extend(w, id, date(2026, 11, 20), "  ", today()))
        .unwrap_err();
    assert_eq!(fields(e), ["extension_reason"]);
    store
        .write(|w| {
            access::extend(
                w,
                id,
                date(2026, 11, 20),
                "Records are in storage.",
                today(),
            )
        })
        .unwrap();
    let r = store.read(|c| access::get(c, id, today())).unwrap();
    assert_eq!(r.due_on, date(2027, 1, 1));
    assert_eq!(r.urgency, Urgency::Later);
    let e = store
        .write(|w| access::extend(w, id, date(2026, 11, 21), "Again", today()))
        .unwrap_err();
    assert_eq!(fields(e), ["extended_on"]);

    // A fee above 75 cents a page is refused; an unpaid fee never blocks fulfilment.
    let mut done = FulfilInput {
        on: date(2026, 11, 25),
        note: "Emailed the record PDF".into(),
        pages: Some(12),
        fee_cents: Some(901),
        fee_waived: false,
    };
    let before = audit_rows(&store);
    let e = store
        .write(|w| access::fulfil(w, id, &done, today()))
        .unwrap_err();
    assert_eq!(fields(e), ["fee_cents"]);
    assert_eq!(audit_rows(&store), before, "nothing written");
    done.fee_cents = Some(900);
    store
        .write(|w| access::fulfil(w, id, &done, today()))
        .unwrap();
    let r = store.read(|c| access::get(c, id, today())).unwrap();
    assert_eq!(r.status, AccessStatus::Fulfilled);
    assert_eq!(r.closed_on, Some(date(2026, 11, 25)));
    assert_eq!(r.fee_cents, Some(900));
    assert_eq!(r.urgency, Urgency::Closed);

    // Closed is closed.
    let e = store
        .write(|w| access::withdraw(w, id, date(2026, 11, 26), "", today()))
        .unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    let audited = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM audit_log WHERE entity_kind = ?1 AND entity_id = ?2",
                rusqlite::params![EntityKind::AccessRequest.as_str(), id],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .unwrap();
    assert_eq!(audited, 3, "create, extend, fulfil");
    assert!(store.verify_audit().is_ok());
}

#[test]
fn bad_requests_are_refused_with_their_fields_and_nothing_is_written() {
    let (_dir, _folder, _kc, opened) = practice();
    let store = opened.store;
    let c = client(&store, "Ana Ruiz");
    let before = audit_rows(&store);
    let mut r = copy_request(date(2026, 11, 27)); // tomorrow
    r.requested_by = Requester::Representative;
    r.records = "\u{0007}".into();
    r.access = AccessKind::Inspect;
    let mut got = fields(store.write(|w| access::log(w, c, r, today())).unwrap_err());
    got.sort();
    assert_eq!(
        got,
        ["delivery", "received_on", "records", "representative"]
    );
    let huge = AccessRequestInput {
        records: "x".repeat(100_000),
        ..copy_request(today())
    };
    assert_eq!(
        fields(
            store
                .write(|w| access::log(w, c, huge, today()))
                .unwrap_err()
        ),
        ["records"]
    );
    assert!(matches!(
        store.write(|w| access::log(w, 9999, copy_request(today()), today())),
        Err(Error::NotFound(_))
    ));
    assert_eq!(audit_rows(&store), before);
}

#[test]
fn an_inspection_is_due_in_ten_days_cannot_be_extended_and_may_be_denied_for_review() {
    let (_dir, _folder, _kc, opened) = practice();
    let store = opened.store;
    let c = client(&store, "Ana Ruiz");
    let input = AccessRequestInput {
        access: AccessKind::Inspect,
        delivery: Delivery::InPerson,
        format: AccessFormat::Paper,
        requested_by: Requester::Representative,
        representative: Some("Luis Ruiz, health care agent".into()),
        ..copy_request(date(2026, 11, 13))
    };
    let id = store.write(|w| access::log(w, c, input, today())).unwrap();
    let r = store.read(|c| access::get(c, id, today())).unwrap();
    // Nov 13 + 10 is Monday Nov 23: past on Nov 26.
    assert_eq!(r.due_on, date(2026, 11, 23));
    assert_eq!(r.urgency, Urgency::Overdue);
    assert_eq!(
        fields(
            store
                .write(|w| access::extend(w, id, date(2026, 11, 14), "Busy", today()))
                .unwrap_err()
        ),
        ["extended_on"]
    );
    let (due, total) = store.read(|conn| access::due(conn, today(), 10)).unwrap();
    assert_eq!((due.len(), total), (1, 1));
    assert_eq!(
        due[0].representative.as_deref(),
        Some("Luis Ruiz, health care agent")
    );

    let deny = DenyInput {
        on: date(2026, 11, 10),
        partly: true,
        ground: DenialGround::ReferencesAnotherPerson,
        reason: "Pages about a family member".into(),
    };
    assert_eq!(
        fields(
            store
                .write(|w| access::deny(w, id, &deny, today()))
                .unwrap_err()
        ),
        ["on"],
        "before the request came"
    );
    let deny = DenyInput {
        on: date(2026, 11, 20),
        ..deny
    };
    store
        .write(|w| access::deny(w, id, &deny, today()))
        .unwrap();
    let r = store.read(|c| access::get(c, id, today())).unwrap();
    assert_eq!(r.status, AccessStatus::PartlyDenied);
    assert_eq!(r.denial_ground, Some(DenialGround::ReferencesAnotherPerson));
    let (due, total) = store.read(|conn| access::due(conn, today(), 10)).unwrap();
    assert_eq!((due.len(), total), (0, 0), "closed requests are not due");
}

fn to(kind: RecipientKind, name: &str, purpose: Purpose) -> Option<Recipient> {
    Some(Recipient {
        kind,
        name: name.into(),
        purpose,
        purpose_note: None,
        authorization_id: None,
        access_request_id: None,
    })
}

/// Saves a small file as an audited disclosure of `client`'s data going to `to`.
fn disclose(
    store: &Store,
    dir: &std::path::Path,
    n: u32,
    client: i64,
    to: Option<Recipient>,
) -> Result<(), Error> {
    let path = dir.join(format!("doc-{n}.pdf"));
    disclose::save(
        store,
        &path,
        "pdf",
        |_| Ok(()),
        |_, file, ()| {
            use std::io::Write;
            file.write_all(b"%PDF-1.7 test")?;
            Ok((
                (),
                Disclosure::export(
                    Document::ClientRecord,
                    EntityKind::Client,
                    client,
                    Some(client),
                    true,
                )
                .to(to),
            ))
        },
    )
}

#[test]
fn the_accounting_lists_what_164_528_requires_and_leaves_out_what_it_exempts() {
    use chrono::TimeZone;
    // 23:30 on Wednesday Nov 25 in New York, already the 26th in UTC: the files saved
    // now are dated the 25th.
    let (dir, store) = practice_at(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 26, 4, 30, 0)
            .unwrap(),
    );
    let c = client(&store, "Rosa Díaz");
    let other = client(&store, "Ana Ruiz");
    let out = tempfile::tempdir().unwrap();
    // Through the app: the client's own copy, the prescriber, an unsaid recipient, a court.
    disclose(
        &store,
        out.path(),
        1,
        c,
        to(RecipientKind::Client, "", Purpose::ClientRequest),
    )
    .unwrap();
    disclose(
        &store,
        out.path(),
        2,
        c,
        to(RecipientKind::Prescriber, "Dr. Okafor", Purpose::Treatment),
    )
    .unwrap();
    disclose(&store, out.path(), 3, c, None).unwrap();
    disclose(
        &store,
        out.path(),
        4,
        c,
        to(
            RecipientKind::Other,
            "Kings County Court",
            Purpose::Judicial,
        ),
    )
    .unwrap();
    disclose(
        &store,
        out.path(),
        5,
        other,
        to(RecipientKind::Other, "A court", Purpose::Judicial),
    )
    .unwrap();
    // "Other" needs its purpose said; nothing is saved or audited without it.
    let before = audit_rows(&store);
    let e = disclose(
        &store,
        out.path(),
        6,
        c,
        to(RecipientKind::Other, "Someone", Purpose::Other),
    )
    .unwrap_err();
    assert_eq!(fields(e), ["recipient.purpose_note"]);
    assert_eq!(audit_rows(&store), before);
    assert!(!out.path().join("doc-6.pdf").exists());

    // By hand: a mandated report, one older than six years, one authorized.
    let entry = |on, purpose, authorization_id| EntryInput {
        disclosed_on: on,
        recipient_kind: RecipientKind::Other,
        recipient: "NYS Central Register, Albany NY".into(),
        information: "Name, date of birth, the concern reported".into(),
        purpose,
        purpose_note: None,
        authorization_id,
    };
    store
        .write(|w| {
            accounting::add_entry(
                w,
                c,
                entry(date(2026, 3, 8), Purpose::RequiredByLaw, None),
                today(),
            )
        })
        .unwrap();
    store
        .write(|w| {
            accounting::add_entry(
                w,
                c,
                entry(date(2020, 11, 25), Purpose::RequiredByLaw, None),
                today(),
            )
        })
        .unwrap();
    store
        .write(|w| {
            accounting::add_entry(
                w,
                c,
                entry(date(2026, 5, 1), Purpose::Authorized, None),
                today(),
            )
        })
        .unwrap();
    let e = store
        .write(|w| {
            accounting::add_entry(
                w,
                c,
                entry(date(2026, 11, 27), Purpose::RequiredByLaw, None),
                today(),
            )
        })
        .unwrap_err();
    assert_eq!(fields(e), ["disclosed_on"]);
    let e = store
        .write(|w| {
            accounting::add_entry(
                w,
                c,
                entry(date(2026, 5, 1), Purpose::Authorized, Some(999)),
                today(),
            )
        })
        .unwrap_err();
    assert_eq!(fields(e), ["authorization_id"]);

    let listed = store
        .read(|conn| accounting::accounting(conn, c, today()))
        .unwrap();
    let who: Vec<(&str, bool)> = listed
        .iter()
        .map(|e| (e.recipient.as_str(), e.by_hand))
        .collect();
    assert_eq!(
        who,
        [
            ("NYS Central Register, Albany NY", true),
            ("Kings County Court", false)
        ],
        "the report and the court, oldest first; not the client, the prescriber, the unsaid save, \
         the authorized entry, another client's, or one from before 2020-11-26"
    );
    assert_eq!(listed[1].information, "The clinical record (PDF)");
    assert_eq!(listed[1].on, date(2026, 11, 25), "the day in New York");
    let all = store
        .read(|conn| accounting::entries(conn, c, date(2000, 1, 1), today()))
        .unwrap();
    assert_eq!(
        all.len(),
        6,
        "every disclosure with a recipient, for the therapist"
    );
    assert!(store.verify_audit().is_ok());
    drop(dir);
}

#[test]
fn a_recipient_naming_another_clients_request_is_refused() {
    let (_dir, _folder, _kc, opened) = practice();
    let store = opened.store;
    let c = client(&store, "Rosa Díaz");
    let other = client(&store, "Ana Ruiz");
    let theirs = store
        .write(|w| access::log(w, other, copy_request(date(2026, 11, 20)), today()))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut r = to(RecipientKind::Client, "", Purpose::ClientRequest);
    if let Some(r) = r.as_mut() {
        r.access_request_id = Some(theirs);
    }
    let e = disclose(&store, out.path(), 1, c, r.clone()).unwrap_err();
    assert_eq!(fields(e), ["recipient.access_request_id"]);
    // Their own request is fine, and counts the disclosure that answered it.
    let mine = store
        .write(|w| access::log(w, c, copy_request(date(2026, 11, 20)), today()))
        .unwrap();
    if let Some(r) = r.as_mut() {
        r.access_request_id = Some(mine);
    }
    disclose(&store, out.path(), 2, c, r).unwrap();
    let req = store.read(|conn| access::get(conn, mine, today())).unwrap();
    assert_eq!(req.disclosures, 1);
    let _ = Action::Export;
}

// ---------------------------------------------------------------------------------
// The letters and the accounting, as PDFs

fn out_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/documents/records");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The text of a PDF on one line, and its pages rendered beside it for a reviewer.
fn read_pdf(path: &std::path::Path, stem: &str) -> String {
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "70", "-png"])
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
    assert!(
        !meta.contains("Rosa") && !meta.contains("Díaz"),
        "no name in the metadata: {meta}"
    );
    tool("pdftotext", &[], path)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn last_document(store: &Store) -> (String, Option<i64>) {
    store
        .read(|c| {
            Ok(c.query_row(
                "SELECT document, client_id FROM disclosure ORDER BY audit_seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap()
}

#[test]
fn a_denial_letter_states_the_basis_the_review_rights_and_how_to_complain() {
    use chrono::TimeZone;
    let (_dir, store) = practice_at(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 26, 15, 0, 0)
            .unwrap(),
    );
    let c = client(&store, "Rosa Díaz");
    let input = AccessRequestInput {
        access: AccessKind::Inspect,
        delivery: Delivery::InPerson,
        format: AccessFormat::Paper,
        records: "The notes of 2026".into(),
        ..copy_request(date(2026, 11, 20))
    };
    let id = store.write(|w| access::log(w, c, input, today())).unwrap();
    let path = out_dir().join("denial-letter.pdf");
    // No letter before the denial is recorded; nothing saved or audited.
    let before = audit_rows(&store);
    let e = kap_practice::export::access_denial_pdf(&store, id, &path, None).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert_eq!(audit_rows(&store), before);

    let deny = DenyInput {
        on: date(2026, 11, 25),
        partly: true,
        ground: DenialGround::ReferencesAnotherPerson,
        reason: "Pages about the client's sister are withheld.".into(),
    };
    store
        .write(|w| access::deny(w, id, &deny, today()))
        .unwrap();
    let name = kap_practice::export::denial_letter_name(id, today());
    assert_eq!(
        name,
        format!("access-request-{id:06}-denial-2026-11-26.pdf")
    );
    let pages = kap_practice::export::access_denial_pdf(
        &store,
        id,
        &path,
        to(RecipientKind::Client, "", Purpose::ClientRequest),
    )
    .unwrap();
    assert_eq!(pages, 1);
    assert_eq!(last_document(&store), ("access_denial".to_owned(), Some(c)));
    let text = read_pdf(&path, "denial-letter");
    for want in [
        "Denial of access",
        "To: Rosa Díaz",
        "On Nov 20, 2026 you asked to inspect the record: The notes of 2026",
        "I am denying part of your request",
        "refers to another person",
        "Pages about the client's sister are withheld.",
        "Your right to a review",
        "licensed health care professional who did not take part",
        "Medical Record Access Review Committee",
        // The practice has no address in Settings: the letter names it, and points to
        // no "address above" that the letterhead does not show.
        "Write to me at Union Square KAP.",
        "Secretary of the U.S. Department of Health and Human Services",
        "1-800-368-1019",
        "Dana Whitfield",
    ] {
        assert!(text.contains(want), "{want:?} in {text}");
    }
}

#[test]
fn an_unreviewable_denial_says_so() {
    let (_dir, _folder, _kc, opened) = practice();
    let store = opened.store;
    let c = client(&store, "Rosa Díaz");
    let id = store
        .write(|w| access::log(w, c, copy_request(date(2026, 11, 20)), today()))
        .unwrap();
    let deny = DenyInput {
        on: date(2026, 11, 25),
        partly: false,
        ground: DenialGround::PsychotherapyNotes,
        reason: "Only process notes were asked for.".into(),
    };
    store
        .write(|w| access::deny(w, id, &deny, today()))
        .unwrap();
    let path = out_dir().join("denial-unreviewable.pdf");
    kap_practice::export::access_denial_pdf(&store, id, &path, None).unwrap();
    let text = read_pdf(&path, "denial-unreviewable");
    assert!(text.contains("I am denying your request."), "{text}");
    assert!(text.contains("not subject to review"), "{text}");
    assert!(!text.contains("Review Committee"), "{text}");
}

#[test]
fn the_accounting_pdf_lists_the_accountable_disclosures_of_six_years() {
    use chrono::TimeZone;
    let (_dir, store) = practice_at(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 26, 15, 0, 0)
            .unwrap(),
    );
    let c = client(&store, "Rosa Díaz");
    let out = tempfile::tempdir().unwrap();
    disclose(
        &store,
        out.path(),
        1,
        c,
        to(RecipientKind::Prescriber, "Dr. Okafor", Purpose::Treatment),
    )
    .unwrap();
    disclose(
        &store,
        out.path(),
        2,
        c,
        to(
            RecipientKind::Other,
            "Kings County Family Court, 330 Jay St",
            Purpose::Judicial,
        ),
    )
    .unwrap();
    store
        .write(|w| {
            accounting::add_entry(
                w,
                c,
                EntryInput {
                    disclosed_on: date(2026, 3, 8),
                    recipient_kind: RecipientKind::Other,
                    recipient: "NYS Central Register, Albany NY".into(),
                    information: "Name, date of birth, the concern reported".into(),
                    purpose: Purpose::PublicHealth,
                    purpose_note: Some("A report of suspected neglect".into()),
                    authorization_id: None,
                },
                today(),
            )
        })
        .unwrap();
    let path = out_dir().join("accounting.pdf");
    let name = kap_practice::export::accounting_name(c, today());
    assert_eq!(name, format!("client-{c:06}-accounting-2026-11-26.pdf"));
    kap_practice::export::disclosure_accounting_pdf(
        &store,
        c,
        &path,
        to(RecipientKind::Client, "", Purpose::ClientRequest),
    )
    .unwrap();
    assert_eq!(
        last_document(&store),
        ("disclosure_accounting".to_owned(), Some(c))
    );
    let text = read_pdf(&path, "accounting");
    for want in [
        "Accounting of disclosures",
        "Client: Rosa Díaz",
        "from Nov 26, 2020 to Nov 26, 2026",
        "Mar 8, 2026",
        "NYS Central Register",
        "A report of suspected neglect",
        "Kings County Family Court",
        "The clinical record (PDF)",
        "A judicial or administrative proceeding",
        "first accounting in any 12 months is free",
        "Questions: write to Union Square KAP.",
    ] {
        assert!(text.contains(want), "{want:?} in {text}");
    }
    assert!(!text.contains("address above"), "{text}");
    assert!(!text.contains("Okafor"), "treatment is not listed: {text}");
}

// ---------------------------------------------------------------------------------
// Private process notes

fn session(store: &Store, client: i64) -> i64 {
    use kap_practice::appointments::{self, AppointmentInput, AppointmentKind, Location};
    store
        .write(|w| {
            appointments::book(
                w,
                AppointmentInput {
                    course_reason: None,
                    kind: AppointmentKind::Psychotherapy,
                    starts_local: date(2026, 11, 24).and_hms_opt(10, 0, 0).unwrap(),
                    duration_minutes: None,
                    location: Location::Telehealth,
                    location_note: None,
                    client_ids: vec![client],
                    notes: String::new(),
                },
            )
        })
        .unwrap()
}

#[test]
fn process_notes_are_kept_apart_from_every_routine_disclosure() {
    use kap_practice::notes::process;
    let (_dir, _folder, _kc, opened) = practice();
    let store = opened.store;
    let c = client(&store, "Rosa Díaz");
    let other = client(&store, "Ana Ruiz");
    let a = session(&store, c);
    assert_eq!(store.read(|conn| process::get(conn, a, c)).unwrap(), None);
    const SECRET: &str = "Countertransference: her silence reminded me of my sister";
    let saved = store.write(|w| process::save(w, a, c, SECRET)).unwrap();
    assert_eq!(saved.body, SECRET);
    store
        .write(|w| process::save(w, a, c, &format!("{SECRET}. Explore next time.")))
        .unwrap();
    let note = store
        .read(|conn| process::get(conn, a, c))
        .unwrap()
        .unwrap();
    assert!(note.body.ends_with("Explore next time."));

    // Only for a client who attends; never huge or with control characters.
    let before = audit_rows(&store);
    assert!(matches!(
        store.write(|w| process::save(w, a, other, "x")),
        Err(Error::NotFound(_))
    ));
    assert_eq!(
        fields(
            store
                .write(|w| process::save(w, a, c, &"x".repeat(50_001)))
                .unwrap_err()
        ),
        ["body"]
    );
    assert_eq!(
        fields(
            store
                .write(|w| process::save(w, a, c, "a\u{0}b"))
                .unwrap_err()
        ),
        ["body"]
    );
    assert_eq!(audit_rows(&store), before);

    // Not in the record PDF, the client's data export, or the practice's search.
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("record.pdf");
    kap_practice::export::client_record_pdf(&store, c, &pdf, None).unwrap();
    let text = tool("pdftotext", &[], &pdf);
    assert!(!text.contains("Countertransference"), "{text}");
    let zip = out.path().join("client.zip");
    kap_practice::export::client_zip(&store, c, &zip, None).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Countertransference"),
            "{} holds the process note",
            f.name().unwrap_or_default()
        );
    }
    let hits = store
        .read(|conn| kap_practice::search::search(conn, "countertransference", today()))
        .unwrap();
    assert!(hits.groups.is_empty(), "process notes are not searchable");
    // Each save is audited, as the process note's.
    let audited = store
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT group_concat(action) FROM audit_log WHERE entity_kind = 'process_note'",
                [],
                |r| r.get::<_, String>(0),
            )?)
        })
        .unwrap();
    assert_eq!(audited, "create,update");
    assert!(store.verify_audit().is_ok());
}

// ---------------------------------------------------------------------------------
// The notice of privacy practices

const NOTICE: &str = "# Notice of Privacy Practices\n\nThis notice describes how medical information about you may be used and disclosed and how you can get access to this information. Please review it carefully.\n\n## Your rights\n\n- Get a copy of your record\n- Ask for an accounting of disclosures\n";

#[test]
fn the_notice_is_kept_printed_and_acknowledged_by_each_client() {
    use kap_practice::records::notice::{self, AcknowledgmentInput, Notice};
    use kap_practice::records::Acknowledgment;
    let (_dir, _folder, _kc, opened) = practice();
    let store = opened.store;
    let c = client(&store, "Rosa Díaz");
    let signed = |on| AcknowledgmentInput {
        on,
        outcome: Acknowledgment::Signed,
        note: None,
    };
    // No notice yet: nothing to acknowledge, nothing to print.
    assert!(matches!(
        store.write(|w| notice::acknowledge(w, c, signed(date(2026, 11, 20)), today())),
        Err(Error::Conflict(_))
    ));
    let out = tempfile::tempdir().unwrap();
    assert!(matches!(
        kap_practice::export::privacy_notice_pdf(&store, &out.path().join("n.pdf")),
        Err(Error::Conflict(_))
    ));
    // The notice needs its text and a revision date not in the future.
    let bad = Notice {
        text: "  ".into(),
        revised_on: Some(date(2026, 11, 27)),
    };
    let mut got = fields(store.write(|w| notice::set(w, &bad, today())).unwrap_err());
    got.sort();
    assert_eq!(got, ["revised_on", "text"]);
    let n = Notice {
        text: NOTICE.into(),
        revised_on: Some(date(2026, 11, 1)),
    };
    store.write(|w| notice::set(w, &n, today())).unwrap();
    assert_eq!(store.read(notice::get).unwrap(), n);

    // Acknowledged, or declined with the effort made; never before the revision.
    assert_eq!(
        fields(
            store
                .write(|w| notice::acknowledge(w, c, signed(date(2026, 10, 31)), today()))
                .unwrap_err()
        ),
        ["on"]
    );
    let declined = AcknowledgmentInput {
        on: date(2026, 11, 20),
        outcome: Acknowledgment::Declined,
        note: None,
    };
    assert_eq!(
        fields(
            store
                .write(|w| notice::acknowledge(w, c, declined.clone(), today()))
                .unwrap_err()
        ),
        ["note"]
    );
    store
        .write(|w| {
            notice::acknowledge(
                w,
                c,
                AcknowledgmentInput {
                    note: Some("Offered at intake; she took a copy but would not sign.".into()),
                    ..declined
                },
                today(),
            )
        })
        .unwrap();
    store
        .write(|w| notice::acknowledge(w, c, signed(date(2026, 11, 24)), today()))
        .unwrap();
    let acks = store.read(|conn| notice::for_client(conn, c)).unwrap();
    assert_eq!(acks.len(), 2);
    assert_eq!(acks[0].outcome, Acknowledgment::Signed, "newest first");
    assert_eq!(acks[1].notice_revised_on, date(2026, 11, 1));

    // Printed as the practice wrote it; its save audited, about no client.
    let path = out_dir().join("privacy-notice.pdf");
    assert_eq!(
        kap_practice::export::privacy_notice_name(date(2026, 11, 1)),
        "privacy-notice-2026-11-01.pdf"
    );
    kap_practice::export::privacy_notice_pdf(&store, &path).unwrap();
    assert_eq!(last_document(&store), ("privacy_notice".to_owned(), None));
    let text = read_pdf(&path, "privacy-notice");
    for want in [
        "Notice of Privacy Practices",
        "Effective Nov 1, 2026",
        "how medical information about you may be used",
        "Your rights",
        "Ask for an accounting of disclosures",
    ] {
        assert!(text.contains(want), "{want:?} in {text}");
    }
    assert!(store.verify_audit().is_ok());
}
