//! The clearance rule over boundary dates: month ends, leap years, the day before and the
//! day of expiry, intakes after the session, several intakes, overrides present and
//! absent, and 18th birthdays.

use super::*;
use IntakeKind::{Medical as Med, MentalHealth as Mh};
use IntakeOutcome::{Cleared as C, NotCleared as N, Pending as P};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn item(label: &str, answer: Answer, overridden: bool) -> ItemFact {
    ItemFact {
        label: label.into(),
        answer,
        overridden,
    }
}

fn clean_screening(on: NaiveDate) -> ScreeningFact {
    ScreeningFact {
        id: 1,
        screened_on: on,
        items: vec![
            item("Pregnancy", Answer::No, false),
            item("Psychosis", Answer::No, false),
        ],
    }
}

fn intake(id: i64, kind: IntakeKind, date: NaiveDate, outcome: IntakeOutcome) -> IntakeFact {
    let screenings = if kind == Med {
        vec![clean_screening(date)]
    } else {
        vec![]
    };
    IntakeFact {
        id,
        kind,
        date,
        outcome,
        screenings,
    }
}

/// An adult with a prescription and a current consent from long ago, and the two intakes.
fn with_intakes(mh: NaiveDate, med: NaiveDate) -> ClientFacts {
    ClientFacts {
        date_of_birth: Some(d(1980, 5, 5)),
        intakes: vec![intake(1, Mh, mh, C), intake(2, Med, med, C)],
        prescriptions: vec![d(2020, 1, 1)],
        consents: vec![ConsentFact {
            version: 1,
            signed_on: d(2020, 1, 1),
        }],
    }
}

fn base() -> ClientFacts {
    with_intakes(d(2026, 1, 10), d(2026, 1, 20))
}

enum Want {
    Until(NaiveDate),
    Not(Vec<Reason>),
}

fn expired(intake: IntakeKind, dated: NaiveDate, expired_on: NaiveDate) -> Reason {
    Reason::IntakeExpired {
        intake,
        dated,
        expired_on,
    }
}

fn unresolved(item: &str, answer: Answer) -> Reason {
    Reason::ContraindicationUnresolved {
        item: item.into(),
        answer,
    }
}

#[test]
fn table() {
    use Want::*;
    let current = 1;
    let cases: Vec<(&str, ClientFacts, NaiveDate, Want)> = vec![
        (
            "both intakes in date",
            base(),
            d(2026, 3, 1),
            Until(d(2026, 7, 9)),
        ),
        (
            "DOMAIN: Jan 10 clears up to and including Jul 9",
            base(),
            d(2026, 7, 9),
            Until(d(2026, 7, 9)),
        ),
        (
            "DOMAIN: not on Jul 10",
            base(),
            d(2026, 7, 10),
            Not(vec![expired(Mh, d(2026, 1, 10), d(2026, 7, 10))]),
        ),
        (
            "session on the intake's own day",
            base(),
            d(2026, 1, 20),
            Until(d(2026, 7, 9)),
        ),
        (
            "medical expired too",
            base(),
            d(2026, 7, 20),
            Not(vec![
                expired(Mh, d(2026, 1, 10), d(2026, 7, 10)),
                expired(Med, d(2026, 1, 20), d(2026, 7, 20)),
            ]),
        ),
        (
            "medical decides when older",
            with_intakes(d(2026, 2, 1), d(2026, 1, 5)),
            d(2026, 3, 1),
            Until(d(2026, 7, 4)),
        ),
        (
            "Aug 31 + 6 months = Feb 28: day before",
            with_intakes(d(2025, 8, 31), d(2025, 9, 15)),
            d(2026, 2, 27),
            Until(d(2026, 2, 27)),
        ),
        (
            "Aug 31 + 6 months = Feb 28: expiry day",
            with_intakes(d(2025, 8, 31), d(2025, 9, 15)),
            d(2026, 2, 28),
            Not(vec![expired(Mh, d(2025, 8, 31), d(2026, 2, 28))]),
        ),
        (
            "Aug 31 + 6 months = Feb 29 in a leap year: day before",
            with_intakes(d(2023, 8, 31), d(2023, 9, 15)),
            d(2024, 2, 28),
            Until(d(2024, 2, 28)),
        ),
        (
            "Aug 31 + 6 months = Feb 29 in a leap year: expiry day",
            with_intakes(d(2023, 8, 31), d(2023, 9, 15)),
            d(2024, 2, 29),
            Not(vec![expired(Mh, d(2023, 8, 31), d(2024, 2, 29))]),
        ),
        (
            "Mar 31 + 6 months = Sep 30",
            with_intakes(d(2026, 3, 31), d(2026, 4, 1)),
            d(2026, 9, 29),
            Until(d(2026, 9, 29)),
        ),
        (
            "Mar 31 expiry day Sep 30",
            with_intakes(d(2026, 3, 31), d(2026, 4, 1)),
            d(2026, 9, 30),
            Not(vec![expired(Mh, d(2026, 3, 31), d(2026, 9, 30))]),
        ),
        (
            "Dec 31 + 6 months = Jun 30 (across a year)",
            with_intakes(d(2025, 12, 31), d(2026, 1, 2)),
            d(2026, 6, 29),
            Until(d(2026, 6, 29)),
        ),
        (
            "leap-day intake Feb 29 expires Aug 29",
            with_intakes(d(2024, 2, 29), d(2024, 3, 1)),
            d(2024, 8, 29),
            Not(vec![expired(Mh, d(2024, 2, 29), d(2024, 8, 29))]),
        ),
        (
            "leap-day intake clears Aug 28",
            with_intakes(d(2024, 2, 29), d(2024, 3, 1)),
            d(2024, 8, 28),
            Until(d(2024, 8, 28)),
        ),
        (
            "intake dated after the session does not count",
            with_intakes(d(2026, 5, 1), d(2026, 1, 20)),
            d(2026, 4, 1),
            Not(vec![Reason::IntakeMissing { intake: Mh }]),
        ),
        (
            "both intakes after the session",
            with_intakes(d(2026, 5, 1), d(2026, 5, 2)),
            d(2026, 4, 30),
            Not(vec![
                Reason::IntakeMissing { intake: Mh },
                Reason::IntakeMissing { intake: Med },
            ]),
        ),
        (
            "an older cleared intake counts when a newer one is after the session",
            {
                let mut f = base();
                f.intakes.push(intake(3, Mh, d(2026, 5, 1), P));
                f
            },
            d(2026, 4, 1),
            Until(d(2026, 7, 9)),
        ),
        (
            "a newer pending intake blocks an older cleared one",
            {
                let mut f = base();
                f.intakes.push(intake(3, Mh, d(2026, 3, 1), P));
                f
            },
            d(2026, 4, 1),
            Not(vec![Reason::IntakeNotCleared {
                intake: Mh,
                dated: d(2026, 3, 1),
                outcome: P,
            }]),
        ),
        (
            "a newer not-cleared medical intake blocks",
            {
                let mut f = base();
                f.intakes.push(intake(3, Med, d(2026, 3, 1), N));
                f
            },
            d(2026, 4, 1),
            Not(vec![Reason::IntakeNotCleared {
                intake: Med,
                dated: d(2026, 3, 1),
                outcome: N,
            }]),
        ),
        (
            "a newer cleared intake renews an expired one",
            {
                let mut f = base();
                f.intakes.push(intake(3, Mh, d(2026, 7, 1), C));
                f.intakes.push(intake(4, Med, d(2026, 7, 2), C));
                f
            },
            d(2026, 8, 1),
            Until(d(2026, 12, 31)),
        ),
        (
            "same date: the later-recorded intake decides (pending)",
            {
                let mut f = base();
                f.intakes.push(intake(9, Mh, d(2026, 1, 10), P));
                f
            },
            d(2026, 2, 1),
            Not(vec![Reason::IntakeNotCleared {
                intake: Mh,
                dated: d(2026, 1, 10),
                outcome: P,
            }]),
        ),
        (
            "only a pending intake",
            {
                let mut f = base();
                f.intakes[0].outcome = P;
                f
            },
            d(2026, 2, 1),
            Not(vec![Reason::IntakeNotCleared {
                intake: Mh,
                dated: d(2026, 1, 10),
                outcome: P,
            }]),
        ),
        (
            "medical intake without a screening",
            {
                let mut f = base();
                f.intakes[1].screenings.clear();
                f
            },
            d(2026, 2, 1),
            Not(vec![Reason::ScreeningMissing {
                dated: d(2026, 1, 20),
            }]),
        ),
        (
            "a yes without an override",
            {
                let mut f = base();
                f.intakes[1].screenings[0].items[0] = item("Pregnancy", Answer::Yes, false);
                f
            },
            d(2026, 2, 1),
            Not(vec![unresolved("Pregnancy", Answer::Yes)]),
        ),
        (
            "an unknown without an override",
            {
                let mut f = base();
                f.intakes[1].screenings[0].items[1] = item("Psychosis", Answer::Unknown, false);
                f
            },
            d(2026, 2, 1),
            Not(vec![unresolved("Psychosis", Answer::Unknown)]),
        ),
        (
            "a yes with an override",
            {
                let mut f = base();
                f.intakes[1].screenings[0].items[0] = item("Pregnancy", Answer::Yes, true);
                f
            },
            d(2026, 2, 1),
            Until(d(2026, 7, 9)),
        ),
        (
            "a newer screening without the override supersedes",
            {
                let mut f = base();
                f.intakes[1].screenings[0].items[0] =
                    item("Cardiovascular problems", Answer::Yes, true);
                f.intakes[1].screenings.push(ScreeningFact {
                    id: 2,
                    screened_on: d(2026, 1, 25),
                    items: vec![item("Cardiovascular problems", Answer::Yes, false)],
                });
                f
            },
            d(2026, 2, 1),
            Not(vec![unresolved("Cardiovascular problems", Answer::Yes)]),
        ),
        (
            "a screening dated after the session does not count",
            {
                let mut f = base();
                f.intakes[1].screenings[0].screened_on = d(2026, 3, 1);
                f
            },
            d(2026, 2, 1),
            Not(vec![Reason::ScreeningMissing {
                dated: d(2026, 1, 20),
            }]),
        ),
        (
            "no consent",
            {
                let mut f = base();
                f.consents.clear();
                f
            },
            d(2026, 2, 1),
            Not(vec![Reason::ConsentMissing]),
        ),
        (
            "consent signed after the session",
            {
                let mut f = base();
                f.consents = vec![ConsentFact {
                    version: 1,
                    signed_on: d(2026, 2, 2),
                }];
                f
            },
            d(2026, 2, 1),
            Not(vec![Reason::ConsentMissing]),
        ),
        (
            "consent signed on the session day",
            {
                let mut f = base();
                f.consents = vec![ConsentFact {
                    version: 1,
                    signed_on: d(2026, 2, 1),
                }];
                f
            },
            d(2026, 2, 1),
            Until(d(2026, 7, 9)),
        ),
        (
            "no prescription",
            {
                let mut f = base();
                f.prescriptions.clear();
                f
            },
            d(2026, 2, 1),
            Not(vec![Reason::PrescriptionMissing]),
        ),
        (
            "prescription dated after the session",
            {
                let mut f = base();
                f.prescriptions = vec![d(2026, 2, 5)];
                f
            },
            d(2026, 2, 1),
            Not(vec![Reason::PrescriptionMissing]),
        ),
        (
            "18th birthday on the session date",
            {
                let mut f = base();
                f.date_of_birth = Some(d(2008, 2, 1));
                f
            },
            d(2026, 2, 1),
            Until(d(2026, 7, 9)),
        ),
        (
            "the day before the 18th birthday",
            {
                let mut f = base();
                f.date_of_birth = Some(d(2008, 2, 2));
                f
            },
            d(2026, 2, 1),
            Not(vec![Reason::Underage {
                turns_18_on: d(2026, 2, 2),
            }]),
        ),
        (
            "born Feb 29: still 17 on Feb 28",
            {
                let mut f = base();
                f.date_of_birth = Some(d(2008, 2, 29));
                f
            },
            d(2026, 2, 28),
            Not(vec![Reason::Underage {
                turns_18_on: d(2026, 3, 1),
            }]),
        ),
        (
            "born Feb 29: 18 on Mar 1",
            {
                let mut f = base();
                f.date_of_birth = Some(d(2008, 2, 29));
                f
            },
            d(2026, 3, 1),
            Until(d(2026, 7, 9)),
        ),
        (
            "no date of birth",
            {
                let mut f = base();
                f.date_of_birth = None;
                f
            },
            d(2026, 2, 1),
            Not(vec![Reason::DateOfBirthMissing]),
        ),
        (
            "nothing on record: every reason, in order",
            ClientFacts::default(),
            d(2026, 2, 1),
            Not(vec![
                Reason::DateOfBirthMissing,
                Reason::IntakeMissing { intake: Mh },
                Reason::IntakeMissing { intake: Med },
                Reason::ConsentMissing,
                Reason::PrescriptionMissing,
            ]),
        ),
    ];
    assert!(
        cases.len() >= 30,
        "the issue asks for at least 30 boundary cases"
    );
    for (name, facts, session, want) in cases {
        let got = clearance(&facts, session, current);
        match want {
            Until(until) => assert_eq!(got, Clearance::Cleared { until }, "{name}"),
            Not(reasons) => assert_eq!(got, Clearance::NotCleared { reasons }, "{name}"),
        }
    }
}

#[test]
fn consent_versions() {
    let mut f = base();
    assert_eq!(
        clearance(&f, d(2026, 2, 1), 2),
        Clearance::NotCleared {
            reasons: vec![Reason::ConsentOutdated {
                signed_version: 1,
                current_version: 2
            }]
        },
        "a form of an older version does not count once the form changes"
    );
    f.consents.push(ConsentFact {
        version: 2,
        signed_on: d(2026, 1, 30),
    });
    assert!(
        clearance(&f, d(2026, 2, 1), 2).is_cleared(),
        "re-signed on the new version"
    );
}

#[test]
fn messages_are_plain_english() {
    let cases = [
        (expired(Mh, d(2026, 1, 10), d(2026, 7, 10)), "The mental-health intake of Jan 10, 2026 expired on Jul 10, 2026; a new one is needed."),
        (Reason::IntakeMissing { intake: Med }, "No medical intake is on record on or before this date."),
        (unresolved("Pregnancy", Answer::Yes), "Contraindication \"Pregnancy\" is answered yes and has no prescriber override."),
        (Reason::IntakeNotCleared { intake: Med, dated: d(2026, 3, 3), outcome: P }, "The latest medical intake (on Mar 3, 2026) is still pending."),
        (Reason::ConsentOutdated { signed_version: 1, current_version: 2 }, "The signed consent is form version 1; the client must sign the current version 2."),
        (Reason::Underage { turns_18_on: d(2027, 3, 1) }, "The client is under 18 on this date; KAP is for adults (turns 18 on Mar 1, 2027)."),
    ];
    for (reason, text) in cases {
        assert_eq!(reason.message(), text);
    }
}

#[test]
fn expiry_arithmetic() {
    let cases = [
        (d(2026, 1, 10), d(2026, 7, 10)),
        (d(2025, 8, 31), d(2026, 2, 28)),
        (d(2023, 8, 31), d(2024, 2, 29)),
        (d(2026, 3, 31), d(2026, 9, 30)),
        (d(2026, 5, 31), d(2026, 11, 30)),
        (d(2026, 12, 31), d(2027, 6, 30)),
        (d(2024, 2, 29), d(2024, 8, 29)),
    ];
    for (intake, expires) in cases {
        assert_eq!(intake_expires_on(intake), expires, "{intake}");
    }
}

/// The deciding intake and screening, at the edges: on the session date counts, a day
/// later does not; of two on one date the later recorded decides; the other kind never.
#[test]
fn deciding_intake_and_screening() {
    use IntakeKind::{Medical, MentalHealth};
    use IntakeOutcome::{Cleared, Pending};
    let intakes = vec![
        intake(1, Medical, d(2027, 1, 10), Cleared),
        intake(2, Medical, d(2027, 3, 1), Pending),
        intake(5, Medical, d(2027, 3, 1), Cleared),
        intake(3, MentalHealth, d(2027, 2, 1), Cleared),
        intake(4, Medical, d(2027, 4, 2), Pending),
    ];
    let table: &[(IntakeKind, NaiveDate, Option<i64>)] = &[
        (Medical, d(2027, 1, 9), None),
        (Medical, d(2027, 1, 10), Some(1)),
        (Medical, d(2027, 2, 28), Some(1)),
        (Medical, d(2027, 3, 1), Some(5)),
        (Medical, d(2027, 4, 1), Some(5)),
        (Medical, d(2027, 4, 2), Some(4)),
        (MentalHealth, d(2027, 1, 31), None),
        (MentalHealth, d(2027, 2, 1), Some(3)),
        (MentalHealth, d(2099, 1, 1), Some(3)),
    ];
    for &(kind, on, want) in table {
        let got = deciding_intake(&intakes, kind, on).map(|i| i.id);
        assert_eq!(got, want, "{kind:?} on {on}");
    }

    let screenings = vec![
        ScreeningFact {
            id: 7,
            ..clean_screening(d(2027, 3, 5))
        },
        ScreeningFact {
            id: 6,
            ..clean_screening(d(2027, 3, 5))
        },
        ScreeningFact {
            id: 8,
            ..clean_screening(d(2027, 3, 20))
        },
    ];
    let table: &[(NaiveDate, Option<i64>)] = &[
        (d(2027, 3, 4), None),
        (d(2027, 3, 5), Some(7)),
        (d(2027, 3, 19), Some(7)),
        (d(2027, 3, 20), Some(8)),
    ];
    for &(on, want) in table {
        assert_eq!(
            deciding_screening(&screenings, on).map(|s| s.id),
            want,
            "{on}"
        );
    }
}

/// The expiring list's candidate window: the latest intake date whose clearance ends on
/// or before a horizon, for every horizon across leap and common years (month ends
/// clamped).
#[test]
fn the_last_intake_ending_by_a_horizon_is_exact() {
    let mut horizon = d(2023, 1, 1);
    while horizon < d(2029, 1, 1) {
        let last = super::load::last_intake_ending_by(horizon);
        let last_day = |intake: NaiveDate| intake_expires_on(intake).pred_opt().expect("a date");
        assert!(last_day(last) <= horizon, "{horizon}: {last} ends after it");
        let next = last.succ_opt().expect("a date");
        assert!(
            last_day(next) > horizon,
            "{horizon}: {next} also ends by it"
        );
        horizon = horizon.succ_opt().expect("a date");
    }
}
