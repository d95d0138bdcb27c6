//! Prescribers, intakes, screenings, prescriptions and consents through the real store,
//! and the clearance they add up to.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use chrono::NaiveDate;
use common::*;
use kap_practice::clearance::{self, Clearance, Reason};
use kap_practice::clients::{self, ClientInput};
use kap_practice::consent::{self, ConsentInput};
use kap_practice::intakes::{
    self, Answer, IntakeInput, IntakeKind, IntakeOutcome, Override, ScreeningAnswerInput,
    ScreeningInput,
};
use kap_practice::prescribers::{self, Credential, PrescriberInput};
use kap_practice::prescriptions::{self, Formulation, PrescriptionInput};
use kap_practice::store::Store;
use kap_practice::{Cents, Error};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn prescriber(name: &str) -> PrescriberInput {
    PrescriberInput {
        name: name.into(),
        credentials: Credential::Md,
        npi: "1234567893".into(),
        phone: Some("(212) 555-0199".into()),
        email: None,
        practice: Some("Gramercy Psychiatry".into()),
    }
}

fn intake(kind: IntakeKind, date: NaiveDate, prescriber_id: Option<i64>) -> IntakeInput {
    IntakeInput {
        kind,
        date,
        clinician: "Dana Whitfield, LCSW".into(),
        prescriber_id,
        duration_minutes: 60,
        outcome: IntakeOutcome::Cleared,
        notes: String::new(),
    }
}

/// Answers every enabled item "no", except the given ones.
fn answers(
    store: &Store,
    special: &[(&str, Answer, Option<Override>)],
) -> Vec<ScreeningAnswerInput> {
    let items = store.read(intakes::list_items).unwrap();
    items
        .iter()
        .filter(|i| i.enabled)
        .map(|i| {
            let s = special.iter().find(|(code, _, _)| *code == i.code);
            ScreeningAnswerInput {
                item_id: i.id,
                answer: s.map(|s| s.1).unwrap_or(Answer::No),
                note: None,
                override_: s.and_then(|s| s.2.clone()),
            }
        })
        .collect()
}

struct Setup {
    _dir: tempfile::TempDir,
    opened: kap_practice::folder::Opened,
    client: i64,
    prescriber: i64,
    medical: i64,
}

/// A client with everything but the screening: both intakes (Jan 10 and Jan 20, 2026),
/// a prescription and a consent.
fn setup() -> Setup {
    let (dir, _folder, _kc, opened) = practice();
    let today = d(2026, 11, 26);
    let (client, prescriber, medical) = opened
        .store
        .write(|w| {
            let mut c = ClientInput::named("Camila Ortiz");
            c.date_of_birth = Some(d(1990, 4, 2));
            let client = clients::create(w, c, today)?;
            let p = prescribers::create(w, prescriber("Ana Ruiz"))?;
            intakes::create(
                w,
                client,
                intake(IntakeKind::MentalHealth, d(2026, 1, 10), None),
                today,
            )?;
            let medical = intakes::create(
                w,
                client,
                intake(IntakeKind::Medical, d(2026, 1, 20), Some(p)),
                today,
            )?;
            prescriptions::create(
                w,
                client,
                PrescriptionInput {
                    prescriber_id: p,
                    date: d(2026, 1, 21),
                    formulation: Formulation::SublingualLozenge,
                    strength_mg: 100,
                    quantity: 6,
                    directions: "Dissolve one lozenge under the tongue in session only.".into(),
                    pharmacy: "Union Square Compounding".into(),
                    cost: Cents(10_000),
                },
                today,
            )?;
            consent::record(
                w,
                client,
                ConsentInput {
                    form_version: consent::current().version,
                    signed_on: d(2026, 1, 22),
                    typed_name: "Camila Ortiz".into(),
                    witness: "Dana Whitfield".into(),
                },
                today,
                false,
            )?;
            Ok((client, p, medical))
        })
        .unwrap();
    Setup {
        _dir: dir,
        opened,
        client,
        prescriber,
        medical,
    }
}

fn check(s: &Setup, on: NaiveDate) -> Clearance {
    s.opened
        .store
        .read(|c| clearance::check(c, s.client, on))
        .unwrap()
}

#[test]
fn screening_with_override_clears_and_a_new_screening_without_it_does_not() {
    let s = setup();
    let store = &s.opened.store;
    assert_eq!(
        check(&s, d(2026, 2, 1)),
        Clearance::NotCleared {
            reasons: vec![Reason::ScreeningMissing {
                dated: d(2026, 1, 20)
            }]
        }
    );

    let ov = Override {
        rationale: "Well-controlled on medication; BP 118/76 today.".into(),
        prescriber_id: s.prescriber,
        date: d(2026, 1, 20),
    };
    let first = answers(store, &[("cardiovascular", Answer::Yes, Some(ov))]);
    store
        .write(|w| {
            intakes::record_screening(
                w,
                s.medical,
                ScreeningInput {
                    screened_on: d(2026, 1, 20),
                    answers: first,
                },
                d(2026, 11, 26),
            )
        })
        .unwrap();
    assert_eq!(
        check(&s, d(2026, 2, 1)),
        Clearance::Cleared {
            until: d(2026, 7, 9)
        }
    );

    let second = answers(store, &[("cardiovascular", Answer::Yes, None)]);
    store
        .write(|w| {
            intakes::record_screening(
                w,
                s.medical,
                ScreeningInput {
                    screened_on: d(2026, 1, 25),
                    answers: second,
                },
                d(2026, 11, 26),
            )
        })
        .unwrap();
    assert_eq!(
        check(&s, d(2026, 2, 1)),
        Clearance::NotCleared {
            reasons: vec![Reason::ContraindicationUnresolved {
                item: "Cardiovascular problems".into(),
                answer: Answer::Yes
            }]
        },
        "the newer screening without the override decides, naming the item"
    );
    let record = store
        .read(|c| clearance::record(c, s.client, d(2026, 2, 1)))
        .unwrap();
    assert_eq!(
        record.intakes[0].screenings.len(),
        2,
        "both screenings are kept"
    );
    assert!(record.clearance.reasons[0]
        .message
        .contains("Cardiovascular problems"));
}

#[test]
fn screening_validation_refuses_incomplete_or_wrong_answers() {
    let s = setup();
    let store = &s.opened.store;
    let today = d(2026, 11, 26);
    let mut partial = answers(store, &[]);
    let missing = partial.pop().unwrap().item_id;
    let err = store
        .write(|w| {
            intakes::record_screening(
                w,
                s.medical,
                ScreeningInput {
                    screened_on: today,
                    answers: partial,
                },
                today,
            )
        })
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid(f) if f.has(&format!("answers.{missing}"))),
        "{err:?}"
    );

    let bad_override = Override {
        rationale: "  ".into(),
        prescriber_id: 999,
        date: d(2027, 1, 1),
    };
    let mut all = answers(store, &[]);
    let first = all[0].item_id;
    all[0].override_ = Some(bad_override);
    let err = store
        .write(|w| {
            intakes::record_screening(
                w,
                s.medical,
                ScreeningInput {
                    screened_on: today,
                    answers: all,
                },
                today,
            )
        })
        .unwrap_err();
    let Error::Invalid(f) = err else {
        panic!("expected field errors")
    };
    for field in [
        "override",
        "override.rationale",
        "override.prescriber_id",
        "override.date",
    ] {
        assert!(f.has(&format!("answers.{first}.{field}")), "{field}: {f:?}");
    }

    let mental_health = store
        .read(|c| intakes::for_client(c, s.client))
        .unwrap()
        .into_iter()
        .find(|i| i.details.kind == IntakeKind::MentalHealth)
        .unwrap();
    let err = store
        .write(|w| {
            intakes::record_screening(
                w,
                mental_health.id,
                ScreeningInput {
                    screened_on: today,
                    answers: answers(store, &[]),
                },
                today,
            )
        })
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid(_)),
        "screenings belong to medical intakes"
    );
    assert!(
        store
            .read(|c| intakes::screenings_for_intake(c, s.medical))
            .unwrap()
            .is_empty(),
        "nothing stored"
    );
}

#[test]
fn screenings_are_final_in_the_database() {
    let s = setup();
    let store = &s.opened.store;
    let today = d(2026, 11, 26);
    store
        .write(|w| {
            intakes::record_screening(
                w,
                s.medical,
                ScreeningInput {
                    screened_on: today,
                    answers: answers(store, &[]),
                },
                today,
            )
        })
        .unwrap();
    let err = store
        .write(|w| {
            w.audit(
                kap_practice::audit::Action::Update,
                kap_practice::audit::EntityKind::Screening,
                1,
            )?;
            Ok(w.conn()
                .execute("UPDATE screening_answer SET answer = 'yes'", [])?)
        })
        .unwrap_err();
    assert!(
        !matches!(err, Error::Internal(_)),
        "the trigger refuses: {err:?}"
    );
}

#[test]
fn checklist_items_are_data() {
    let s = setup();
    let store = &s.opened.store;
    let items = store.read(intakes::list_items).unwrap();
    assert_eq!(items.len(), 16);
    assert_eq!(
        items.iter().filter(|i| i.enabled).count(),
        8,
        "the eight of DOMAIN.md are on"
    );
    let glaucoma = items.iter().find(|i| i.code == "glaucoma").unwrap();
    assert!(!glaucoma.enabled);
    store
        .write(|w| intakes::set_item_enabled(w, glaucoma.id, true))
        .unwrap();
    let id = store
        .write(|w| intakes::add_item(w, "Recent stroke"))
        .unwrap();
    assert!(matches!(
        store.write(|w| intakes::add_item(w, "recent STROKE")),
        Err(Error::Invalid(_))
    ));
    // A screening must now answer both new items.
    let today = d(2026, 11, 26);
    let enabled: Vec<i64> = store
        .read(intakes::list_items)
        .unwrap()
        .iter()
        .filter(|i| i.enabled)
        .map(|i| i.id)
        .collect();
    assert!(enabled.contains(&id) && enabled.contains(&glaucoma.id));
    store
        .write(|w| {
            intakes::record_screening(
                w,
                s.medical,
                ScreeningInput {
                    screened_on: today,
                    answers: answers(store, &[]),
                },
                today,
            )
        })
        .unwrap();
}

#[test]
fn prescribers_validate_and_archive() {
    let s = setup();
    let store = &s.opened.store;
    let mut bad = prescriber("");
    bad.npi = "1234567890".into();
    bad.email = Some("nope".into());
    let err = store.write(|w| prescribers::create(w, bad)).unwrap_err();
    let Error::Invalid(f) = err else { panic!() };
    assert!(f.has("name") && f.has("npi") && f.has("email"));
    store
        .write(|w| prescribers::set_archived(w, s.prescriber, true))
        .unwrap();
    assert!(store
        .read(|c| prescribers::list(c, false))
        .unwrap()
        .is_empty());
    assert_eq!(
        store.read(|c| prescribers::list(c, true)).unwrap().len(),
        1,
        "archived, never deleted"
    );
    let today = d(2026, 11, 26);
    let err = store
        .write(|w| {
            intakes::create(
                w,
                s.client,
                intake(IntakeKind::Medical, today, Some(s.prescriber)),
                today,
            )
        })
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid(f) if f.has("prescriber_id")),
        "archived prescribers take no new records"
    );
    // Their past records still show their name.
    let record = store
        .read(|c| clearance::record(c, s.client, today))
        .unwrap();
    assert_eq!(record.prescriptions[0].prescriber, "Ana Ruiz, MD");
}

#[test]
fn records_validate_dates_and_amounts() {
    let s = setup();
    let store = &s.opened.store;
    let today = d(2026, 11, 26);
    let err = store
        .write(|w| {
            intakes::create(
                w,
                s.client,
                intake(IntakeKind::MentalHealth, d(2026, 11, 27), None),
                today,
            )
        })
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(f) if f.has("date")));
    let err = store
        .write(|w| {
            prescriptions::create(
                w,
                s.client,
                PrescriptionInput {
                    prescriber_id: s.prescriber,
                    date: today,
                    formulation: Formulation::Troche,
                    strength_mg: 0,
                    quantity: 0,
                    directions: String::new(),
                    pharmacy: String::new(),
                    cost: Cents(-1),
                },
                today,
            )
        })
        .unwrap_err();
    let Error::Invalid(f) = err else { panic!() };
    for field in ["strength_mg", "quantity", "directions", "pharmacy", "cost"] {
        assert!(f.has(field), "{field}");
    }
    let err = store
        .write(|w| {
            consent::record(
                w,
                s.client,
                ConsentInput {
                    form_version: 99,
                    signed_on: today,
                    typed_name: " ".into(),
                    witness: "D".into(),
                },
                today,
                false,
            )
        })
        .unwrap_err();
    let Error::Invalid(f) = err else { panic!() };
    assert!(f.has("form_version") && f.has("typed_name"));
}

#[test]
fn expiring_clearances_are_listed_soonest_first() {
    let s = setup();
    let store = &s.opened.store;
    let today = d(2026, 11, 26);
    store
        .write(|w| {
            intakes::record_screening(
                w,
                s.medical,
                ScreeningInput {
                    screened_on: d(2026, 1, 20),
                    answers: answers(store, &[]),
                },
                today,
            )
        })
        .unwrap();
    // Cleared until Jul 9, 2026: within 30 days of Jun 15, not of May 1.
    assert!(store
        .read(|c| clearance::expiring(c, d(2026, 5, 1), 30))
        .unwrap()
        .is_empty());
    let soon = store
        .read(|c| clearance::expiring(c, d(2026, 6, 15), 30))
        .unwrap();
    assert_eq!(soon.len(), 1);
    assert_eq!(
        (soon[0].client_id, soon[0].until),
        (s.client, d(2026, 7, 9))
    );
    assert!(
        store
            .read(|c| clearance::expiring(c, d(2026, 7, 10), 30))
            .unwrap()
            .is_empty(),
        "already expired"
    );
}

#[test]
fn badges_give_a_page_of_clients_their_clearance_on_a_date() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (cleared, _) = cleared_client(store, "Leah Brandt");
    let other = store
        .write(|w| {
            kap_practice::clients::create(
                w,
                kap_practice::clients::ClientInput::named("No Intakes"),
                today(),
            )
        })
        .unwrap();
    let on = d(2026, 3, 10);
    let got = store
        .read(|c| clearance::badges(c, &[other, 987_654, cleared], on))
        .unwrap();
    assert_eq!(got.len(), 2, "an unknown id is left out");
    assert_eq!(got[0].client_id, other);
    assert_eq!(got[0].cleared_until, None);
    assert!(
        got[0].reasons >= 3,
        "intakes, consent and prescription missing"
    );
    assert_eq!(got[1].client_id, cleared);
    assert_eq!(
        got[1].cleared_until,
        Some(d(2026, 7, 9)),
        "the mental-health intake of Jan 10 clears up to Jul 9"
    );
    let late = store
        .read(|c| clearance::badges(c, &[cleared], d(2026, 7, 10)))
        .unwrap();
    assert_eq!(late[0].cleared_until, None, "not cleared the day after");
    let too_many: Vec<i64> = (1..=101).collect();
    assert!(matches!(
        store.read(|c| clearance::badges(c, &too_many, on)),
        Err(Error::Invalid(_))
    ));

    // A list's page: its archived clients have no badge.
    store
        .write(|w| kap_practice::clients::archive(w, other))
        .unwrap();
    let page = store
        .read(|c| {
            kap_practice::clients::list(
                c,
                &kap_practice::clients::ClientQuery {
                    status: Some(kap_practice::clients::ClientStatus::Archived),
                    ..Default::default()
                },
                today(),
            )
        })
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let listed = store
        .read(|c| clearance::badges_of_listed(c, &page.items, on))
        .unwrap();
    assert!(listed.is_empty(), "an archived client is never cleared");
}
