//! Table tests: every band boundary of every instrument, the PHQ-9 item 9 flag, the PCL-5
//! cluster rule, the change rules, the safety rule for signing, and the published texts.

use super::safety::{sign_block, RiskLevel, SafetyAssessment, SafetyFlag};
use super::scoring::{band, change, pcl5_clusters_met, score, Band, DEFAULT_PCL5_CUT_POINT};
use super::{definition, Instrument};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// Answers that total `total` on `instrument`, filled from the first item, all answered.
fn totalling(instrument: Instrument, total: u32) -> Vec<Option<u8>> {
    let max = u32::from(instrument.max_answer());
    let mut left = total;
    (0..instrument.item_count())
        .map(|_| {
            let a = left.min(max);
            left -= a;
            Some(a as u8)
        })
        .collect()
}

#[test]
fn phq9_bands_at_every_boundary() {
    let table = [
        (0, Band::Minimal),
        (4, Band::Minimal),
        (5, Band::Mild),
        (9, Band::Mild),
        (10, Band::Moderate),
        (14, Band::Moderate),
        (15, Band::ModeratelySevere),
        (19, Band::ModeratelySevere),
        (20, Band::Severe),
        (27, Band::Severe),
    ];
    for (total, want) in table {
        assert_eq!(band(Instrument::Phq9, total, 33), want, "PHQ-9 {total}");
        let s = score(Instrument::Phq9, &totalling(Instrument::Phq9, total), 33);
        assert_eq!(
            (s.total, s.band),
            (Some(total), Some(want)),
            "PHQ-9 {total}"
        );
    }
}

#[test]
fn gad7_bands_at_every_boundary() {
    let table = [
        (0, Band::Minimal),
        (4, Band::Minimal),
        (5, Band::Mild),
        (9, Band::Mild),
        (10, Band::Moderate),
        (14, Band::Moderate),
        (15, Band::Severe),
        (21, Band::Severe),
    ];
    for (total, want) in table {
        let s = score(Instrument::Gad7, &totalling(Instrument::Gad7, total), 33);
        assert_eq!(
            (s.total, s.band),
            (Some(total), Some(want)),
            "GAD-7 {total}"
        );
    }
}

#[test]
fn pcl5_cut_point_at_its_boundary_for_each_published_value() {
    for cut in [31, 32, 33] {
        for (total, want) in [
            (0, Band::BelowCutPoint),
            (cut - 1, Band::BelowCutPoint),
            (cut, Band::ProbablePtsd),
            (80, Band::ProbablePtsd),
        ] {
            let s = score(Instrument::Pcl5, &totalling(Instrument::Pcl5, total), cut);
            assert_eq!(
                (s.total, s.band),
                (Some(total), Some(want)),
                "PCL-5 {total} at cut-point {cut}"
            );
        }
    }
    assert_eq!(DEFAULT_PCL5_CUT_POINT, 33);
}

#[test]
fn the_highest_totals_are_the_published_ranges() {
    assert_eq!(Instrument::Phq9.max_total(), 27);
    assert_eq!(Instrument::Gad7.max_total(), 21);
    assert_eq!(Instrument::Pcl5.max_total(), 80);
}

#[test]
fn phq9_item9_above_zero_flags_whatever_the_total() {
    let mut a = vec![Some(0); 9];
    assert!(!score(Instrument::Phq9, &a, 33).safety_flag);
    for v in 1..=3 {
        a[8] = Some(v);
        let s = score(Instrument::Phq9, &a, 33);
        assert!(s.safety_flag, "item 9 = {v}");
        assert_eq!(s.band, Some(Band::Minimal), "a flag with a minimal total");
    }
    // Flagged on an incomplete form too: the answer is what matters.
    let mut partial = vec![None; 9];
    partial[8] = Some(1);
    let s = score(Instrument::Phq9, &partial, 33);
    assert!(s.safety_flag && !s.complete && s.total.is_none());
    // Item 9 unanswered: no flag. Other items high: no flag.
    let mut high = vec![Some(3); 9];
    high[8] = None;
    assert!(!score(Instrument::Phq9, &high, 33).safety_flag);
    high[8] = Some(0);
    assert!(!score(Instrument::Phq9, &high, 33).safety_flag);
    // Item 9 of the GAD-7 or PCL-5 is not this question.
    assert!(!score(Instrument::Pcl5, &[Some(4); 20], 33).safety_flag);
}

#[test]
fn an_incomplete_questionnaire_has_no_total_or_band() {
    for instrument in Instrument::ALL.iter().copied() {
        let mut a = totalling(instrument, 10);
        a[0] = None;
        let s = score(instrument, &a, 33);
        assert_eq!(s.answered as usize, instrument.item_count() - 1);
        assert!(!s.complete);
        assert_eq!((s.total, s.band), (None, None), "{instrument:?}");
        assert_eq!(s.pcl5_clusters_met, None);
    }
}

/// PCL-5 answers with `n` items rated `v` in each cluster (B 1–5, C 6–7, D 8–14, E 15–20).
fn clusters(b: usize, c: usize, d: usize, e: usize, v: u8) -> Vec<Option<u8>> {
    let mut a = vec![Some(1); 20];
    for (from, n) in [(0, b), (5, c), (7, d), (14, e)] {
        for x in a.iter_mut().skip(from).take(n) {
            *x = Some(v);
        }
    }
    a
}

#[test]
fn pcl5_cluster_rule_counts_items_rated_two_or_more() {
    let table = [
        // (B, C, D, E) items rated 2, met?
        ((1, 1, 2, 2), true),
        ((5, 2, 7, 6), true),
        ((0, 1, 2, 2), false),
        ((1, 0, 2, 2), false),
        ((1, 1, 1, 2), false),
        ((1, 1, 2, 1), false),
        ((0, 0, 0, 0), false),
    ];
    for ((b, c, d, e), want) in table {
        assert_eq!(
            pcl5_clusters_met(&clusters(b, c, d, e, 2)),
            want,
            "B{b} C{c} D{d} E{e}"
        );
    }
    // Rated 1 ("A little bit") is not a symptom for the rule, however many.
    assert!(!pcl5_clusters_met(&[Some(1); 20]));
    // Met with a total under the cut-point, and the score reports both.
    let a = clusters(1, 1, 2, 2, 2);
    let s = score(Instrument::Pcl5, &a, 33);
    assert_eq!(s.total, Some(26));
    assert_eq!(s.band, Some(Band::BelowCutPoint));
    assert_eq!(s.pcl5_clusters_met, Some(true));
}

#[test]
fn change_rules_response_remission_and_meaningful_change() {
    // (instrument, baseline, current, response, remission, meaningful)
    let table = [
        (Instrument::Phq9, 20, 10, true, Some(false), None),
        (Instrument::Phq9, 20, 11, false, Some(false), None),
        (Instrument::Phq9, 21, 10, true, Some(false), None),
        (Instrument::Phq9, 9, 4, true, Some(true), None),
        (Instrument::Phq9, 9, 5, false, Some(false), None),
        (Instrument::Phq9, 0, 0, false, Some(true), None),
        (Instrument::Phq9, 4, 12, false, Some(false), None),
        (Instrument::Gad7, 14, 7, true, Some(false), None),
        (Instrument::Gad7, 14, 8, false, Some(false), None),
        (Instrument::Gad7, 6, 4, false, Some(true), None),
        (Instrument::Pcl5, 50, 40, false, None, Some(true)),
        (Instrument::Pcl5, 50, 41, false, None, Some(false)),
        (Instrument::Pcl5, 50, 25, true, None, Some(true)),
        (Instrument::Pcl5, 30, 40, false, None, Some(true)),
        (Instrument::Pcl5, 30, 39, false, None, Some(false)),
    ];
    for (instrument, baseline, current, response, remission, meaningful) in table {
        let c = change(instrument, baseline, current);
        assert_eq!(
            (c.response, c.remission, c.clinically_meaningful),
            (response, remission, meaningful),
            "{instrument:?} {baseline} -> {current}"
        );
        assert_eq!(c.delta, current as i32 - baseline as i32);
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn flag(id: i64, taken_on: NaiveDate, assessed: bool) -> SafetyFlag {
    SafetyFlag {
        measure_id: id,
        client_id: 1,
        legal_name: "A client".into(),
        preferred_name: None,
        taken_on,
        item9: 1,
        assessment: assessed.then(|| SafetyAssessment {
            id,
            measure_id: id,
            assessed_at: chrono::DateTime::UNIX_EPOCH,
            risk_level: RiskLevel::Low,
            plan: "plan".into(),
            consulted: "No one".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
        }),
    }
}

#[test]
fn an_open_flag_on_or_before_the_session_blocks_signing_its_kap_note() {
    let session = d(2026, 11, 1); // the day clocks go back in New York
    let table: [(&str, Vec<SafetyFlag>, Option<i64>); 7] = [
        ("no flags", vec![], None),
        (
            "flag the day before",
            vec![flag(1, d(2026, 10, 31), false)],
            Some(1),
        ),
        ("flag the same day", vec![flag(1, session, false)], Some(1)),
        (
            "flag the day after",
            vec![flag(1, d(2026, 11, 2), false)],
            None,
        ),
        ("assessed", vec![flag(1, d(2026, 10, 31), true)], None),
        (
            "the oldest open one is named",
            vec![
                flag(2, d(2026, 10, 30), false),
                flag(1, d(2026, 10, 1), false),
            ],
            Some(1),
        ),
        (
            "an assessed flag does not hide an open one",
            vec![
                flag(2, d(2026, 10, 30), true),
                flag(1, d(2025, 1, 1), false),
            ],
            Some(1),
        ),
    ];
    for (case, flags, want) in table {
        assert_eq!(
            sign_block(&flags, session).map(|f| f.measure_id),
            want,
            "{case}"
        );
    }
}

#[test]
fn the_published_texts_are_pinned() {
    let files = [
        (
            Instrument::Phq9,
            include_bytes!("../../assets/measures/phq9.json").as_slice(),
            "11a8f2274c8cc2856d1ccb19aba05db01ed963f019582601f50f00e2b9232855",
        ),
        (
            Instrument::Gad7,
            include_bytes!("../../assets/measures/gad7.json").as_slice(),
            "a51a1437bb8dc18c19c5b70dc36db600f6b15cbeb89927ee02467ad34bc9da59",
        ),
        (
            Instrument::Pcl5,
            include_bytes!("../../assets/measures/pcl5.json").as_slice(),
            "8f69a60579a8337498fedc79fa9aac57b36db4004e2734ef8c588968eaee3f0b",
        ),
    ];
    for (instrument, bytes, sha) in files {
        let got: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            got, sha,
            "assets/measures/{}.json changed: check it word for word against the published form, then update this hash",
            instrument.as_str()
        );
        let def = definition(instrument);
        assert_eq!(def.instrument, instrument);
        assert_eq!(def.items.len(), instrument.item_count());
        let values: Vec<u8> = def.options.iter().map(|o| o.value).collect();
        assert_eq!(values, (0..=instrument.max_answer()).collect::<Vec<_>>());
        assert_eq!(def.difficulty.is_some(), instrument.asks_difficulty());
        if let Some(q) = &def.difficulty {
            assert_eq!(q.options.len(), 4);
        }
    }
    assert_eq!(
        definition(Instrument::Phq9).items[8],
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    );
}

mod due_rules {
    use super::d;
    use crate::appointments::AppointmentKind as K;
    use crate::measures::due::{due, DueRules, Session, Taken};
    use crate::measures::Instrument::{self, Gad7, Pcl5, Phq9};

    fn session(kind: K, day: chrono::NaiveDate, kap_number: Option<u32>, ptsd: bool) -> Session {
        Session {
            appointment_id: 10,
            kind,
            day,
            kap_number,
            ptsd,
        }
    }

    fn taken(instrument: Instrument, taken_on: chrono::NaiveDate) -> Taken {
        Taken {
            instrument,
            taken_on,
            appointment_id: None,
        }
    }

    #[test]
    fn what_each_session_calls_for_and_when_an_answer_counts() {
        // A KAP session on Sunday Nov 8, 2026, the week after the clocks went back
        // (Nov 1), and one on Sunday Mar 14, 2027, the week the clocks go forward (Mar 14).
        let kap = d(2026, 11, 8);
        let spring = d(2027, 3, 14);
        let r = DueRules::default();
        let table: Vec<(&str, Session, Vec<Taken>, Vec<Instrument>)> = vec![
            (
                "KAP, nothing answered",
                session(K::KapSession, kap, Some(1), false),
                vec![],
                vec![Phq9, Gad7],
            ),
            (
                "KAP, answered 7 days before (the window's first day, across the DST change)",
                session(K::KapSession, kap, Some(1), false),
                vec![taken(Phq9, d(2026, 11, 1)), taken(Gad7, d(2026, 11, 1))],
                vec![],
            ),
            (
                "KAP, answered 8 days before: too early",
                session(K::KapSession, kap, Some(1), false),
                vec![taken(Phq9, d(2026, 10, 31)), taken(Gad7, kap)],
                vec![Phq9],
            ),
            (
                "KAP, answered the day after: too late",
                session(K::KapSession, kap, Some(1), false),
                vec![taken(Phq9, d(2026, 11, 9)), taken(Gad7, d(2026, 11, 9))],
                vec![Phq9, Gad7],
            ),
            (
                "KAP in the spring-forward week, answered the Sunday before",
                session(K::KapSession, spring, Some(2), false),
                vec![taken(Phq9, d(2027, 3, 7)), taken(Gad7, d(2027, 3, 8))],
                vec![],
            ),
            (
                "KAP, given for this session on another day",
                session(K::KapSession, kap, Some(1), false),
                vec![
                    Taken {
                        instrument: Phq9,
                        taken_on: d(2026, 10, 1),
                        appointment_id: Some(10),
                    },
                    Taken {
                        instrument: Gad7,
                        taken_on: d(2026, 10, 1),
                        appointment_id: Some(11),
                    },
                ],
                vec![Gad7],
            ),
            (
                "PTSD, 3rd KAP session: no PCL-5",
                session(K::KapSession, kap, Some(3), true),
                vec![],
                vec![Phq9, Gad7],
            ),
            (
                "PTSD, 4th KAP session: PCL-5",
                session(K::KapSession, kap, Some(4), true),
                vec![],
                vec![Phq9, Gad7, Pcl5],
            ),
            (
                "PTSD, 8th group KAP session: PCL-5",
                session(K::GroupKapSession, kap, Some(8), true),
                vec![],
                vec![Phq9, Gad7, Pcl5],
            ),
            (
                "no PTSD, 4th KAP session: no PCL-5",
                session(K::KapSession, kap, Some(4), false),
                vec![],
                vec![Phq9, Gad7],
            ),
            (
                "intake, PTSD",
                session(K::MentalHealthIntake, kap, None, true),
                vec![],
                vec![Phq9, Gad7, Pcl5],
            ),
            (
                "intake, no PTSD",
                session(K::MentalHealthIntake, kap, None, false),
                vec![],
                vec![Phq9, Gad7],
            ),
            (
                "integration: the day itself counts",
                session(K::IntegrationSession, kap, None, false),
                vec![taken(Phq9, kap), taken(Gad7, kap)],
                vec![],
            ),
            (
                "integration: the day before does not",
                session(K::IntegrationSession, kap, None, false),
                vec![taken(Phq9, d(2026, 11, 7)), taken(Gad7, kap)],
                vec![Phq9],
            ),
            (
                "medical intake: none",
                session(K::MedicalIntake, kap, None, true),
                vec![],
                vec![],
            ),
            (
                "psychotherapy: none",
                session(K::Psychotherapy, kap, None, true),
                vec![],
                vec![],
            ),
        ];
        for (case, s, t, want) in table {
            assert_eq!(due(&s, &t, r), want, "{case}");
        }
    }
}

mod course_nearest {
    use super::d;
    use crate::measures::course::{nearest, Point};
    use crate::measures::{Band, Instrument};

    fn p(day: chrono::NaiveDate, total: u32) -> Point {
        Point {
            instrument: Instrument::Phq9,
            taken_on: day,
            total,
            band: Band::Mild,
        }
    }

    #[test]
    fn the_nearest_questionnaires_before_and_after_a_session() {
        let pts = [
            p(d(2026, 3, 1), 20),
            p(d(2026, 3, 8), 15),
            p(d(2026, 3, 15), 9),
        ];
        let total = |x: Option<Point>| x.map(|p| p.total);
        let table = [
            ("before all", d(2026, 2, 28), None, Some(20)),
            (
                "on the first day: it is before",
                d(2026, 3, 1),
                Some(20),
                Some(15),
            ),
            ("between", d(2026, 3, 10), Some(15), Some(9)),
            ("on the last day", d(2026, 3, 15), Some(9), None),
            ("after all", d(2026, 4, 1), Some(9), None),
        ];
        for (case, day, before, after) in table {
            let (b, a) = nearest(&pts, day);
            assert_eq!((total(b), total(a)), (before, after), "{case}");
        }
        assert_eq!(nearest(&[], d(2026, 3, 1)), (None, None));
    }
}

mod course_rules {
    use super::d;
    use crate::measures::rules::{
        above_prescription, at_or_above_hold, local_day, no_integration_since_last,
        third_within_7_days, DEFAULT_HOLD,
    };
    use chrono::{TimeZone, Utc};
    use chrono_tz::America::New_York;

    #[test]
    fn a_third_kap_session_within_any_7_days() {
        // The week the clocks go back in New York (Sunday Nov 1, 2026) and the week they go
        // forward (Sunday Mar 14, 2027): calendar days, not 168-hour spans.
        let table = [
            (
                "two others in the same 7 days",
                vec![d(2026, 10, 27), d(2026, 10, 30)],
                d(2026, 11, 1),
                true,
            ),
            (
                "the first of them 7 days before: outside",
                vec![d(2026, 10, 25), d(2026, 10, 30)],
                d(2026, 11, 1),
                false,
            ),
            (
                "the window reaches forward too",
                vec![d(2026, 11, 3), d(2026, 11, 7)],
                d(2026, 11, 1),
                true,
            ),
            (
                "one before, one after, 6 days apart",
                vec![d(2026, 10, 29), d(2026, 11, 4)],
                d(2026, 11, 1),
                true,
            ),
            (
                "one before, one after, 7 days apart",
                vec![d(2026, 10, 28), d(2026, 11, 4)],
                d(2026, 11, 1),
                false,
            ),
            (
                "spring forward week",
                vec![d(2027, 3, 9), d(2027, 3, 12)],
                d(2027, 3, 15),
                true,
            ),
            (
                "only one other",
                vec![d(2026, 10, 31)],
                d(2026, 11, 1),
                false,
            ),
            ("none", vec![], d(2026, 11, 1), false),
        ];
        for (case, others, day, want) in table {
            assert_eq!(third_within_7_days(&others, day), want, "{case}");
        }
    }

    #[test]
    fn a_kap_session_with_no_integration_since_the_last() {
        let at = |y, m, day, h| {
            New_York
                .with_ymd_and_hms(y, m, day, h, 0, 0)
                .single()
                .unwrap()
                .with_timezone(&Utc)
        };
        let prev = at(2026, 10, 29, 10);
        let next = at(2026, 11, 5, 10);
        let table = [
            (
                "no earlier KAP session: the first needs none",
                vec![],
                vec![],
                false,
            ),
            ("none since the last", vec![prev], vec![], true),
            (
                "one between, across the DST change",
                vec![prev],
                vec![at(2026, 11, 2, 10)],
                false,
            ),
            (
                "one before the last does not count",
                vec![prev],
                vec![at(2026, 10, 28, 10)],
                true,
            ),
            (
                "one after this session does not count",
                vec![prev],
                vec![at(2026, 11, 6, 10)],
                true,
            ),
            (
                "a later KAP session is not 'the last'",
                vec![at(2026, 11, 20, 10)],
                vec![],
                false,
            ),
        ];
        for (case, kaps, ints, want) in table {
            assert_eq!(
                no_integration_since_last(&kaps, &ints, next),
                want,
                "{case}"
            );
        }
        // 1:30 on the night the clocks go back is still Nov 1 in New York.
        let late = Utc.with_ymd_and_hms(2026, 11, 1, 6, 30, 0).unwrap();
        assert_eq!(local_day(late, New_York), d(2026, 11, 1));
    }

    #[test]
    fn blood_pressure_hold_and_dose_above_the_prescription() {
        let table = [
            (139, 89, false),
            (140, 80, true),
            (120, 90, true),
            (139, 90, true),
            (180, 110, true),
        ];
        for (s, di, want) in table {
            assert_eq!(at_or_above_hold(s, di, DEFAULT_HOLD), want, "{s}/{di}");
        }
        assert!(!above_prescription(100, 100));
        assert!(above_prescription(101, 100));
        assert!(!above_prescription(50, 100));
    }
}
