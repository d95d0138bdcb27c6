//! The clearance rule over arbitrary facts. Stored dates are years 1900 to 2199 (the core
//! refuses others); the session date is anything a request can carry. Nothing may panic,
//! a clearance is never granted with reasons against it, and `until` is never before the
//! session it clears.

#![no_main]

use chrono::NaiveDate;
use kap_practice::clearance::{
    clearance, Clearance, ClientFacts, ConsentFact, IntakeFact, ItemFact, ScreeningFact,
};
use kap_practice::intakes::{Answer, IntakeKind, IntakeOutcome};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    date_of_birth: Option<u16>,
    intakes: Vec<Intake>,
    prescriptions: Vec<u16>,
    consents: Vec<(u8, u16)>,
    session: i32,
    current_consent: u8,
}

#[derive(Debug, Arbitrary)]
struct Intake {
    id: i64,
    medical: bool,
    date: u16,
    outcome: u8,
    screenings: Vec<(i64, u16, Vec<(u8, bool)>)>,
}

/// A stored date: days from 1900-01-01, within the years the core stores.
fn stored(days: u16) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
    start + chrono::Days::new(u64::from(days) % (300 * 365))
}

fn answer(n: u8) -> Answer {
    [Answer::Yes, Answer::No, Answer::Unknown][usize::from(n % 3)]
}

fuzz_target!(|input: Input| {
    let facts = ClientFacts {
        date_of_birth: input.date_of_birth.map(stored),
        intakes: input
            .intakes
            .iter()
            .map(|i| IntakeFact {
                id: i.id,
                kind: if i.medical {
                    IntakeKind::Medical
                } else {
                    IntakeKind::MentalHealth
                },
                date: stored(i.date),
                outcome: [
                    IntakeOutcome::Cleared,
                    IntakeOutcome::NotCleared,
                    IntakeOutcome::Pending,
                ][usize::from(i.outcome % 3)],
                screenings: i
                    .screenings
                    .iter()
                    .map(|(id, on, items)| ScreeningFact {
                        id: *id,
                        screened_on: stored(*on),
                        items: items
                            .iter()
                            .enumerate()
                            .map(|(n, (a, overridden))| ItemFact {
                                label: format!("item {n}"),
                                answer: answer(*a),
                                overridden: *overridden,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        prescriptions: input.prescriptions.iter().copied().map(stored).collect(),
        consents: input
            .consents
            .iter()
            .map(|(v, on)| ConsentFact {
                version: u32::from(*v % 4),
                signed_on: stored(*on),
            })
            .collect(),
    };
    // Any date chrono can hold, as `check_clearance` accepts it.
    let Some(session) = NaiveDate::from_num_days_from_ce_opt(input.session) else {
        return;
    };
    match clearance(&facts, session, u32::from(input.current_consent % 4)) {
        Clearance::Cleared { until } => {
            assert!(until >= session, "cleared until before the session")
        }
        Clearance::NotCleared { reasons } => {
            assert!(!reasons.is_empty(), "refused without a reason")
        }
    }
});
