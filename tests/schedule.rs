//! Appointments, session notes, follow-ups, the dashboard and the calendar export
//! through the real store.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use common::*;
use kap_practice::appointments::{
    self, AppointmentInput, AppointmentKind, AppointmentStatus, Location,
};
use kap_practice::clearance::Reason;
use kap_practice::clients::{self, ClientInput};
use kap_practice::notes::{self, NoteBody};
use kap_practice::store::Store;
use kap_practice::{calendar, dashboard, followups, Error};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

fn kap(client: i64, start: NaiveDateTime) -> AppointmentInput {
    AppointmentInput {
        course_reason: None,
        kind: AppointmentKind::KapSession,
        starts_local: start,
        duration_minutes: None,
        location: Location::KapRoom,
        location_note: None,
        client_ids: vec![client],
        notes: String::new(),
    }
}

fn book(store: &Store, a: AppointmentInput) -> Result<i64, Error> {
    store.write(|w| appointments::book(w, a))
}

#[test]
fn kap_sessions_need_clearance_and_the_room() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Leah Brandt");
    let id = book(store, kap(client, at(2026, 3, 10, 10, 0))).unwrap();
    let a = store.read(|c| appointments::get(c, id)).unwrap();
    assert_eq!(a.duration_minutes, 180, "a KAP session defaults to 3 hours");
    assert_eq!(
        a.starts_at,
        Utc.with_ymd_and_hms(2026, 3, 10, 14, 0, 0).unwrap(),
        "stored in UTC (EDT)"
    );
    assert_eq!(a.ends_local, at(2026, 3, 10, 13, 0));

    // The room is taken from 10:00 to 13:00: overlaps are refused with the time only.
    let (other, _) = cleared_client(store, "Oskar Lind");
    let err = book(store, kap(other, at(2026, 3, 10, 12, 30))).unwrap_err();
    let Error::Conflict(msg) = err else {
        panic!("expected a conflict")
    };
    assert_eq!(
        msg,
        "The KAP room is already booked from Mar 10, 2026, 10:00 AM to 1:00 PM."
    );
    assert!(
        !msg.contains("Leah") && !msg.contains("Brandt"),
        "never the other client's name"
    );
    let err = book(store, kap(other, at(2026, 3, 10, 8, 0))).unwrap_err();
    assert!(
        matches!(err, Error::Conflict(_)),
        "ending inside the other booking overlaps too"
    );
    book(store, kap(other, at(2026, 3, 10, 13, 0))).expect("back to back is fine");
    // The therapist is in the KAP session then: no telehealth or office session either.
    let mut tele = kap(other, at(2026, 3, 10, 11, 0));
    tele.kind = AppointmentKind::IntegrationSession;
    tele.location = Location::Telehealth;
    let err = book(store, tele.clone()).unwrap_err();
    let Error::Conflict(msg) = err else {
        panic!("expected a conflict")
    };
    assert_eq!(
        msg,
        "You already have an appointment from Mar 10, 2026, 10:00 AM to 1:00 PM."
    );
    let mut office = tele.clone();
    office.kind = AppointmentKind::Psychotherapy;
    office.location = Location::Other;
    assert!(matches!(book(store, office), Err(Error::Conflict(_))));
    // The prescriber holds the medical intake, so it fits beside the session.
    let mut medical = tele.clone();
    medical.kind = AppointmentKind::MedicalIntake;
    book(store, medical).expect("the therapist is not at the medical intake");
    // The check the booking form makes before Save says the same, and nothing is written.
    let said = store
        .read(|c| appointments::time_conflict(c, tele.clone(), None))
        .unwrap();
    assert_eq!(said.as_deref(), Some(msg.as_str()));
    tele.starts_local = at(2026, 3, 10, 16, 0);
    assert_eq!(
        store
            .read(|c| appointments::time_conflict(c, tele.clone(), None))
            .unwrap(),
        None,
        "free after the back-to-back session ends at 4:00 PM"
    );
    // Rescheduling an appointment does not conflict with itself.
    let moved = kap(client, at(2026, 3, 10, 10, 30));
    assert!(
        store
            .read(|c| appointments::time_conflict(c, moved.clone(), Some(id)))
            .unwrap()
            .is_some(),
        "10:30 to 1:30 still overlaps the 1:00 PM session"
    );
    let earlier = kap(client, at(2026, 3, 10, 9, 30));
    assert_eq!(
        store
            .read(|c| appointments::time_conflict(c, earlier, Some(id)))
            .unwrap(),
        None,
        "9:30 to 12:30 only overlaps the session being moved"
    );

    // A cancelled booking frees the room.
    store
        .write(|w| appointments::set_status(w, id, AppointmentStatus::Cancelled))
        .unwrap();
    book(store, kap(other, at(2026, 3, 10, 9, 0)))
        .expect("9:00 to 12:00 is free once 10:00 is cancelled");
}

#[test]
fn an_uncleared_client_is_refused_with_the_reasons() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Leah Brandt");
    let err = book(store, kap(client, at(2026, 7, 10, 10, 0))).unwrap_err();
    let Error::NotCleared { client_id, reasons } = err else {
        panic!("expected not cleared")
    };
    assert_eq!(client_id, client);
    assert!(
        matches!(reasons[0].reason, Reason::IntakeExpired { .. }),
        "{reasons:?}"
    );
    assert!(reasons[0].message.contains("expired on Jul 10, 2026"));

    let bare = store
        .write(|w| clients::create(w, ClientInput::named("New Person"), today()))
        .unwrap();
    let mut group = kap(client, at(2026, 3, 12, 18, 0));
    group.kind = AppointmentKind::GroupKapSession;
    group.client_ids = vec![client, bare];
    let err = book(store, group.clone()).unwrap_err();
    assert!(
        matches!(err, Error::NotCleared { client_id, .. } if client_id == bare),
        "every group member is checked"
    );
    let mut intake = kap(bare, at(2026, 3, 12, 10, 0));
    intake.kind = AppointmentKind::MentalHealthIntake;
    intake.location = Location::Other;
    book(store, intake).expect("an intake needs no clearance");
    group.client_ids = vec![client];
    let id = book(store, group).unwrap();
    assert_eq!(
        store
            .read(|c| appointments::get(c, id))
            .unwrap()
            .duration_minutes,
        180,
        "from settings"
    );
}

#[test]
fn daylight_saving_days_in_new_york() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Leah Brandt");
    let mut a = kap(client, at(2026, 3, 8, 2, 30));
    a.kind = AppointmentKind::Psychotherapy;
    a.location = Location::Telehealth;
    let err = book(store, a.clone()).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid(f) if f.has("starts_local")),
        "2:30 AM does not exist on Mar 8: {err:?}"
    );
    a.starts_local = at(2026, 3, 8, 1, 30);
    a.duration_minutes = Some(60);
    let id = book(store, a.clone()).unwrap();
    let got = store.read(|c| appointments::get(c, id)).unwrap();
    assert_eq!(
        got.starts_at,
        Utc.with_ymd_and_hms(2026, 3, 8, 6, 30, 0).unwrap()
    );
    assert_eq!(
        got.ends_local,
        at(2026, 3, 8, 3, 30),
        "an hour later on the wall clock is 3:30 after the jump"
    );

    a.starts_local = at(2026, 11, 1, 1, 30);
    let id = book(store, a.clone()).unwrap();
    let got = store.read(|c| appointments::get(c, id)).unwrap();
    assert_eq!(
        got.starts_at,
        Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap(),
        "the first 1:30 (EDT)"
    );
    assert_eq!(
        got.ends_local,
        at(2026, 11, 1, 1, 30),
        "an hour later it is 1:30 again (EST)"
    );

    let day = store
        .read(|c| appointments::between(c, date(2026, 11, 1), date(2026, 11, 2)))
        .unwrap();
    assert_eq!(day.len(), 1, "the 25-hour day holds it once");
}

#[test]
fn completing_signing_amending_and_follow_ups() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Leah Brandt");
    let id = book(store, kap(client, at(2026, 3, 10, 10, 0))).unwrap();

    let note = store
        .write(|w| notes::save_draft(w, id, client, NoteBody::Kap(Box::default())))
        .unwrap();
    let err = store.write(|w| notes::sign(w, note)).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid(f) if f.has("dose") && f.has("pre_check.vitals")),
        "{err:?}"
    );
    store
        .write(|w| notes::save_draft(w, id, client, full_note()))
        .unwrap();
    let draft = store.read(|c| notes::get_by_id(c, note)).unwrap();
    assert_eq!(draft.total_mg, Some(200));
    assert!(
        draft.warnings.is_empty(),
        "a 70-minute journey is within 60 to 75 minutes"
    );

    store
        .write(|w| appointments::set_status(w, id, AppointmentStatus::Completed))
        .unwrap();
    let fu = store.read(|c| followups::for_client(c, client)).unwrap();
    assert_eq!(fu.len(), 1);
    assert_eq!(
        (fu[0].kind, fu[0].due_on),
        (
            followups::FollowUpKind::IntegrationSessionDue,
            date(2026, 3, 17)
        )
    );

    store.write(|w| notes::sign(w, note)).unwrap();
    let err = store
        .write(|w| notes::save_draft(w, id, client, full_note()))
        .unwrap_err();
    assert!(
        matches!(err, Error::Conflict(_)),
        "the core refuses to edit a signed note"
    );
    let err = store
        .write(|w| {
            w.audit(
                kap_practice::audit::Action::Update,
                kap_practice::audit::EntityKind::SessionNote,
                note,
            )?;
            Ok(w.conn()
                .execute("UPDATE session_note SET body = '{}' WHERE id = ?1", [note])?)
        })
        .unwrap_err();
    assert!(
        !matches!(err, Error::Internal(_)),
        "and so does the database: {err:?}"
    );
    store
        .write(|w| notes::amend(w, note, "Dose was 2 × 100 mg lozenges, lot 44B."))
        .unwrap();
    let signed = store.read(|c| notes::get_by_id(c, note)).unwrap();
    assert!(signed.signed_at.is_some());
    assert_eq!(signed.amendments.len(), 1);
    assert_eq!(signed.body, full_note(), "the signed text is unchanged");

    store.write(|w| followups::complete(w, fu[0].id)).unwrap();
    assert!(matches!(
        store.write(|w| followups::complete(w, fu[0].id)),
        Err(Error::Conflict(_))
    ));
    let other = store
        .write(|w| {
            followups::create(
                w,
                client,
                followups::FollowUpInput {
                    kind: followups::FollowUpKind::Call,
                    due_on: date(2026, 3, 20),
                    note: "Check in after the retreat.".into(),
                },
            )
        })
        .unwrap();
    assert!(matches!(
        store.write(|w| followups::drop_with_reason(w, other, "  ")),
        Err(Error::Invalid(_))
    ));
    store
        .write(|w| followups::drop_with_reason(w, other, "Client moved away."))
        .unwrap();
}

#[test]
fn journey_length_warns_but_does_not_refuse() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Leah Brandt");
    let id = book(store, kap(client, at(2026, 3, 10, 10, 0))).unwrap();
    let NoteBody::Kap(mut n) = full_note() else {
        unreachable!()
    };
    n.journey_end = chrono::NaiveTime::from_hms_opt(12, 10, 0);
    let note = store
        .write(|w| notes::save_draft(w, id, client, NoteBody::Kap(n)))
        .unwrap();
    let got = store.read(|c| notes::get_by_id(c, note)).unwrap();
    assert_eq!(
        got.warnings,
        vec!["The journey lasted 90 minutes; the usual length is 60 to 75 minutes.".to_string()]
    );
    store
        .write(|w| appointments::set_status(w, id, AppointmentStatus::Completed))
        .unwrap();
    store
        .write(|w| notes::sign(w, note))
        .expect("a warning does not stop signing");
}

#[test]
fn dashboard_lists_what_needs_attention() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Leah Brandt");
    let id = book(store, kap(client, at(2026, 3, 10, 10, 0))).unwrap();
    store
        .write(|w| appointments::set_status(w, id, AppointmentStatus::Completed))
        .unwrap();
    let mut later = kap(client, at(2026, 3, 12, 10, 0));
    later.kind = AppointmentKind::IntegrationSession;
    let later = book(store, later).unwrap();

    // "Now" is Mar 11, 2026, 9:00 in New York: the session ended 20 hours ago.
    let now = Utc.with_ymd_and_hms(2026, 3, 11, 13, 0, 0).unwrap();
    let d = store.read(|c| dashboard::dashboard(c, now)).unwrap();
    assert_eq!(d.today, date(2026, 3, 11));
    assert!(d.unsigned_notes.is_empty(), "not yet 24 hours");
    assert_eq!(
        d.week_appointments.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![later]
    );
    assert_eq!(d.follow_ups_this_week.len(), 1, "integration due Mar 17");

    let now = Utc.with_ymd_and_hms(2026, 3, 20, 13, 0, 0).unwrap();
    let d = store.read(|c| dashboard::dashboard(c, now)).unwrap();
    assert_eq!(d.unsigned_notes.len(), 1);
    assert!(!d.unsigned_notes[0].has_draft);
    assert_eq!(d.overdue_follow_ups.len(), 1, "due Mar 17, now Mar 20");

    // Signing the note takes it off the list; a completed medical intake (the
    // prescriber's, off-site) never asks the therapist for a note.
    let note = store
        .write(|w| notes::save_draft(w, id, client, full_note()))
        .unwrap();
    store.write(|w| notes::sign(w, note)).unwrap();
    let mut medical = kap(client, at(2026, 3, 13, 9, 0));
    medical.kind = AppointmentKind::MedicalIntake;
    medical.location = Location::Other;
    let medical = book(store, medical).unwrap();
    store
        .write(|w| appointments::set_status(w, medical, AppointmentStatus::Completed))
        .unwrap();
    let d = store.read(|c| dashboard::dashboard(c, now)).unwrap();
    assert!(d.unsigned_notes.is_empty(), "{:?}", d.unsigned_notes);
}

/// Home shows the ten most overdue follow-ups and how many there are; the rest page in,
/// most overdue first. Due today is not overdue; done and dropped ones are never counted.
#[test]
fn overdue_follow_ups_page_most_overdue_first() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Leah Brandt");
    let today = date(2026, 3, 20);
    let due = |days_before: u64| today - chrono::Days::new(days_before);
    // 25 overdue (1 to 25 days), one due today, one done and one dropped long ago.
    let mut ids = Vec::new();
    for back in [
        0u64, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
        24, 25, 400, 401,
    ] {
        let id = store
            .write(|w| {
                followups::create(
                    w,
                    client,
                    followups::FollowUpInput {
                        kind: followups::FollowUpKind::Call,
                        due_on: due(back),
                        note: String::new(),
                    },
                )
            })
            .unwrap();
        ids.push((back, id));
    }
    store.write(|w| followups::complete(w, ids[26].1)).unwrap();
    store
        .write(|w| followups::drop_with_reason(w, ids[27].1, "Moved away."))
        .unwrap();

    let cases: [(u32, u32, &[u64]); 4] = [
        (0, 10, &[25, 24, 23, 22, 21, 20, 19, 18, 17, 16]),
        (10, 10, &[15, 14, 13, 12, 11, 10, 9, 8, 7, 6]),
        (20, 10, &[5, 4, 3, 2, 1]),
        (25, 10, &[]),
    ];
    for (offset, limit, want) in cases {
        let (page, total) = store
            .read(|c| followups::overdue(c, today, offset, limit))
            .unwrap();
        assert_eq!(total, 25, "due today, done and dropped are not overdue");
        let got: Vec<NaiveDate> = page.iter().map(|f| f.due_on).collect();
        let want: Vec<NaiveDate> = want.iter().map(|&b| due(b)).collect();
        assert_eq!(got, want, "offset {offset}");
    }
    // A limit beyond the most one call returns is held to it, and 0 returns one.
    let (page, _) = store
        .read(|c| followups::overdue(c, today, 0, u32::MAX))
        .unwrap();
    assert_eq!(page.len(), 25);
    let (page, _) = store.read(|c| followups::overdue(c, today, 0, 0)).unwrap();
    assert_eq!(page.len(), 1);

    // Home: the first ten and the count; due today is this week's.
    let now = Utc.with_ymd_and_hms(2026, 3, 20, 16, 0, 0).unwrap();
    let d = store.read(|c| dashboard::dashboard(c, now)).unwrap();
    assert_eq!(d.overdue_follow_ups.len(), 10);
    assert_eq!(d.overdue_total, 25);
    assert_eq!(d.overdue_follow_ups[0].due_on, due(25));
    assert_eq!(
        d.follow_ups_this_week
            .iter()
            .map(|f| f.due_on)
            .collect::<Vec<_>>(),
        vec![today]
    );
}

#[test]
fn calendar_export_leaves_names_out_unless_asked() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Leah Brandt");
    book(store, kap(client, at(2026, 3, 10, 10, 0))).unwrap();
    let cancelled = book(
        store,
        AppointmentInput {
            course_reason: Some("Booked while the date of the first is settled.".into()),
            ..kap(client, at(2026, 3, 11, 10, 0))
        },
    )
    .unwrap();
    store
        .write(|w| appointments::set_status(w, cancelled, AppointmentStatus::Cancelled))
        .unwrap();

    let plain = store
        .read(|c| calendar::export_ics(c, date(2026, 3, 9), date(2026, 3, 16), false))
        .unwrap();
    assert!(plain.starts_with("BEGIN:VCALENDAR"));
    assert_eq!(
        plain.matches("BEGIN:VEVENT").count(),
        1,
        "cancelled sessions are left out"
    );
    assert!(plain.contains("SUMMARY:KAP session"));
    assert!(plain.contains("DTSTART:20260310T140000Z"));
    assert!(
        !plain.contains("Leah") && !plain.contains("Brandt"),
        "no names by default"
    );
    let named = store
        .read(|c| calendar::export_ics(c, date(2026, 3, 9), date(2026, 3, 16), true))
        .unwrap();
    assert!(named.contains("SUMMARY:KAP session: Leah Brandt"));
    let parsed: icalendar::Calendar = plain.parse().expect("valid iCalendar");
    assert_eq!(parsed.components.len(), 1);
}
