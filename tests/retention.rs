//! Record retention under New York's rule: six years after the last contact, a minor's
//! record also until age 22; and the last contact as the store knows it.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use common::*;
use kap_practice::appointments::{
    self, AppointmentInput, AppointmentKind, AppointmentStatus, Attendance, Location,
};
use kap_practice::clients::{self, ClientInput};
use kap_practice::intakes::{self, IntakeInput, IntakeKind, IntakeOutcome};
use kap_practice::retention::{destroy_not_before, load, years_after, RetentionRule};
use kap_practice::store::Store;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

#[test]
fn the_new_york_rule_at_its_boundaries() {
    use RetentionRule::{SixYearsAfterLastContact as Six, UntilAge22 as Age22};
    // (last contact, date of birth, destroy not before, rule)
    let cases: [(&str, Option<&str>, &str, RetentionRule); 15] = [
        ("2026-03-14", None, "2032-03-14", Six),
        ("2026-12-31", None, "2032-12-31", Six),
        ("2026-01-01", None, "2032-01-01", Six),
        // Feb 29 with no Feb 29 six years on: March 1, a day longer, never shorter.
        ("2024-02-29", None, "2030-03-01", Six),
        // Feb 28 stays Feb 28, also into a leap year.
        ("2026-02-28", None, "2032-02-28", Six),
        // An adult: the 22nd birthday passed long ago.
        ("2026-03-14", Some("1987-09-14"), "2032-03-14", Six),
        // A client of 13 at the last contact: 22 comes after six years.
        ("2026-03-14", Some("2012-05-01"), "2034-05-01", Age22),
        // 16 at the last contact, born the same day: both fall on one day; six years.
        ("2026-03-14", Some("2010-03-14"), "2032-03-14", Six),
        // A day younger: the 22nd birthday is one day later.
        ("2026-03-14", Some("2010-03-15"), "2032-03-15", Age22),
        // A day older: six years.
        ("2026-03-14", Some("2010-03-13"), "2032-03-14", Six),
        // Born on Feb 29: the 22nd birthday in a year without one is March 1.
        ("2020-06-01", Some("2008-02-29"), "2030-03-01", Age22),
        ("2026-06-01", Some("2008-02-29"), "2032-06-01", Six),
        // Born on Feb 29 and last seen on a Feb 29: both land on March 1, 2030.
        ("2024-02-29", Some("2008-02-29"), "2030-03-01", Six),
        // An infant.
        ("2026-03-14", Some("2026-01-01"), "2048-01-01", Age22),
        // Seventeen and a half: still a minor at the last contact, but six years win.
        ("2026-03-14", Some("2008-09-01"), "2032-03-14", Six),
    ];
    for (last, dob, want, rule) in cases {
        let r = destroy_not_before(d(last), dob.map(d));
        assert_eq!(
            (r.destroy_not_before, r.rule),
            (d(want), rule),
            "last contact {last}, born {dob:?}"
        );
        assert_eq!(r.last_contact, d(last));
        assert!(
            r.destroy_not_before >= years_after(d(last), 6),
            "never less than six years"
        );
    }
}

#[test]
fn years_after_keeps_the_day_and_moves_feb_29_to_march_1() {
    assert_eq!(years_after(d("2024-02-29"), 4), d("2028-02-29"));
    assert_eq!(years_after(d("2024-02-29"), 1), d("2025-03-01"));
    assert_eq!(years_after(d("2023-03-01"), 1), d("2024-03-01"));
    assert_eq!(years_after(d("2025-02-28"), 3), d("2028-02-28"));
}

/// A practice whose store's clock the test sets (it starts at `at`).
fn store_at(at: DateTime<Utc>) -> (tempfile::TempDir, Store, Arc<AtomicI64>) {
    let (dir, folder, _k, opened) = practice();
    drop(opened);
    let key = kap_practice::key::KeyFile::read(&folder.key_path())
        .unwrap()
        .unwrap(&passphrase(PASSPHRASE))
        .unwrap();
    let clock = Arc::new(AtomicI64::new(at.timestamp()));
    let c = clock.clone();
    let store = Store::open_with_clock(
        &folder.db_path(),
        &key,
        Arc::new(move || DateTime::from_timestamp(c.load(Ordering::SeqCst), 0).unwrap()),
    )
    .unwrap();
    (dir, store, clock)
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn psychotherapy(client: i64, start: &str) -> AppointmentInput {
    AppointmentInput {
        course_reason: None,
        kind: AppointmentKind::Psychotherapy,
        starts_local: at(start),
        duration_minutes: None,
        location: Location::Telehealth,
        location_note: None,
        client_ids: vec![client],
        notes: String::new(),
    }
}

#[test]
fn the_last_contact_is_the_latest_thing_that_happened() {
    // Created at 02:00 UTC on March 10, 2020: still March 9 in New York.
    let (_dir, store, clock) = store_at(utc("2020-03-10T02:00:00Z"));
    let client = store
        .write(|w| {
            let mut c = ClientInput::named("Rosa Delgado");
            c.date_of_birth = Some(d("1990-05-05"));
            clients::create(w, c, d("2020-03-09"))
        })
        .unwrap();
    let now = utc("2026-11-26T15:00:00Z");
    clock.store(now.timestamp(), Ordering::SeqCst);
    let last = |now| store.read(|c| load(c, client, now)).unwrap();
    let r = last(now);
    assert_eq!(
        r.last_contact,
        d("2020-03-09"),
        "only the record's creation"
    );
    assert_eq!(r.destroy_not_before, d("2026-03-09"));

    let book = |start: &str| {
        store
            .write(|w| appointments::book(w, psychotherapy(client, start)))
            .unwrap()
    };
    // A session on June 1, 2021 (scheduled, never marked: it has begun, so it counts).
    book("2021-06-01 10:00");
    assert_eq!(last(now).last_contact, d("2021-06-01"));
    // A late evening session: 23:30 in New York is the next day in UTC; the day is New York's.
    book("2021-11-05 23:30");
    assert_eq!(last(now).last_contact, d("2021-11-05"));
    // Cancelled, late-cancelled and missed sessions are no contact.
    for (start, status) in [
        ("2022-01-10 10:00", AppointmentStatus::Cancelled),
        ("2022-02-10 10:00", AppointmentStatus::LateCancelled),
        ("2022-03-10 10:00", AppointmentStatus::NoShow),
    ] {
        let id = book(start);
        store
            .write(|w| appointments::set_status(w, id, status))
            .unwrap();
    }
    assert_eq!(last(now).last_contact, d("2021-11-05"));
    // A completed session the client was marked absent from is no contact either.
    let id = book("2022-04-10 10:00");
    store
        .write(|w| {
            appointments::set_status(w, id, AppointmentStatus::Completed)?;
            appointments::set_attendance(w, id, client, Attendance::Absent)
        })
        .unwrap();
    assert_eq!(last(now).last_contact, d("2021-11-05"));
    // An intake later than every session.
    store
        .write(|w| {
            intakes::create(
                w,
                client,
                IntakeInput {
                    kind: IntakeKind::MentalHealth,
                    date: d("2022-05-02"),
                    clinician: "Dana Whitfield".into(),
                    prescriber_id: None,
                    duration_minutes: 60,
                    outcome: IntakeOutcome::Pending,
                    notes: String::new(),
                },
                d("2022-05-02"),
            )
        })
        .unwrap();
    let r = last(now);
    assert_eq!(r.last_contact, d("2022-05-02"));
    assert_eq!(r.destroy_not_before, d("2028-05-02"));
    assert_eq!(r.rule, RetentionRule::SixYearsAfterLastContact);

    // A session booked for the future counts only once it has begun.
    book("2027-01-15 09:00");
    assert_eq!(last(now).last_contact, d("2022-05-02"));
    let later = utc("2027-01-15T14:00:00Z"); // 09:00 in New York
    assert_eq!(last(later).last_contact, d("2027-01-15"));
    assert_eq!(
        last(utc("2027-01-15T13:59:59Z")).last_contact,
        d("2022-05-02")
    );

    // Archiving changes nothing: the record is kept, and for as long.
    store.write(|w| clients::archive(w, client)).unwrap();
    assert_eq!(last(now).destroy_not_before, d("2028-05-02"));
}

#[test]
fn a_minor_is_kept_until_22() {
    let (_dir, store, _clock) = store_at(utc("2026-03-14T15:00:00Z"));
    let client = store
        .write(|w| {
            let mut c = ClientInput::named("Theo Park");
            c.date_of_birth = Some(d("2012-05-01"));
            clients::create(w, c, d("2026-03-14"))
        })
        .unwrap();
    let r = store
        .read(|c| load(c, client, utc("2026-03-20T12:00:00Z")))
        .unwrap();
    assert_eq!(r.last_contact, d("2026-03-14"));
    assert_eq!(r.destroy_not_before, d("2034-05-01"));
    assert_eq!(r.rule, RetentionRule::UntilAge22);
}

#[test]
fn an_unknown_client_is_not_found() {
    let (_dir, store, _clock) = store_at(utc("2026-03-14T15:00:00Z"));
    let err = store
        .read(|c| load(c, 4242, utc("2026-03-20T12:00:00Z")))
        .unwrap_err();
    assert!(matches!(err, kap_practice::Error::NotFound(_)), "{err:?}");
}
