//! Practice settings and the fee schedule through the real store.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::practice::{self, Fee, Service};
use kap_practice::{Cents, Error};

#[test]
fn new_practice_is_seeded_from_domain() {
    let (_d, _f, _k, opened) = practice();
    let s = opened.store.read(practice::get).unwrap();
    assert_eq!(s.practice_name, "Union Square KAP");
    assert_eq!(s.time_zone, "America/New_York");
    assert_eq!(s.idle_lock_minutes, 15);
    let fees: Vec<(Service, Option<Cents>)> = s
        .fee_schedule
        .iter()
        .map(|f| (f.service, f.cents))
        .collect();
    assert_eq!(
        fees,
        vec![
            (Service::MentalHealthIntake, Some(Cents(20_000))),
            (Service::MedicalIntake, Some(Cents(25_000))),
            (Service::Prescription, Some(Cents(10_000))),
            (Service::KapSession, Some(Cents(60_000))),
            (Service::GroupSession, None),
            (Service::IntegrationSession, None),
            (Service::Psychotherapy, None),
        ]
    );
}

#[test]
fn settings_update_and_validation() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let mut s = store.read(practice::get).unwrap();
    s.credentials = "LCSW".into();
    s.npi = "1234567893".into();
    s.ein = "12-3456789".into();
    s.address = "10 Union Sq E, Suite 4\nNew York, NY 10003".into();
    s.time_zone = "America/Chicago".into();
    s.fee_schedule = vec![Fee {
        service: Service::GroupSession,
        cents: Some(Cents(15_000)),
    }];
    let saved = store.write(|w| practice::update(w, s)).unwrap();
    assert_eq!(saved.fee(Service::GroupSession), Some(Cents(15_000)));
    assert_eq!(
        saved.fee_schedule.len(),
        7,
        "services left out are unset, not dropped"
    );
    assert_eq!(store.read(practice::get).unwrap(), saved);

    let mut bad = saved.clone();
    bad.npi = "1234567890".into();
    // Nine digits without the dash are accepted (and formatted); eight are not an EIN.
    bad.ein = "12345678".into();
    bad.time_zone = "Mars/Olympus".into();
    bad.idle_lock_minutes = 0;
    bad.practice_name = String::new();
    bad.fee_schedule = vec![Fee {
        service: Service::KapSession,
        cents: Some(Cents(-5)),
    }];
    let err = store.write(|w| practice::update(w, bad)).unwrap_err();
    let Error::Invalid(f) = err else {
        panic!("expected field errors")
    };
    for field in [
        "npi",
        "ein",
        "time_zone",
        "idle_lock_minutes",
        "practice_name",
        "fee_schedule.kap_session",
    ] {
        assert!(f.has(field), "{field}: {f:?}");
    }
    assert_eq!(store.read(practice::get).unwrap(), saved, "nothing saved");
}
