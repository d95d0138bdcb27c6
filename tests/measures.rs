//! Outcome measures through the real encrypted store: recording, the checks that refuse
//! bad answers and dates (nothing saved), striking out, self-report in the audit log, and
//! the PHQ-9 item 9 flag that blocks signing a later KAP note until a safety assessment
//! is documented.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use chrono::NaiveDateTime;
use common::*;
use kap_practice::appointments::{self, AppointmentInput, AppointmentKind, Location};
use kap_practice::measures::safety::{self, RiskLevel, SafetyAssessmentInput};
use kap_practice::measures::{self, Band, Instrument, MeasureInput, MeasureSource};
use kap_practice::notes;
use kap_practice::store::Store;
use kap_practice::Error;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

fn phq9(taken_on: chrono::NaiveDate, answers: [u8; 9]) -> MeasureInput {
    MeasureInput {
        instrument: Instrument::Phq9,
        taken_on,
        answers: answers.iter().map(|&a| Some(a)).collect(),
        difficulty: Some(1),
        appointment_id: None,
    }
}

fn count(store: &Store) -> i64 {
    store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM measure", [], |r| r.get(0))?))
        .unwrap()
}

fn field_error(err: &Error, field: &str) -> bool {
    matches!(err, Error::Invalid(f) if f.has(field))
}

#[test]
fn a_questionnaire_is_scored_and_bad_input_saves_nothing() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Noor Haddad");
    let record = |input: MeasureInput| {
        store.write(|w| measures::record(w, client, input, MeasureSource::Paper, today()))
    };

    let id = record(phq9(date(2026, 11, 20), [2, 2, 2, 2, 2, 2, 2, 2, 0])).unwrap();
    let m = store.read(|c| measures::get(c, id)).unwrap();
    assert_eq!(m.score.total, Some(16));
    assert_eq!(m.score.band, Some(Band::ModeratelySevere));
    assert!(!m.score.safety_flag);
    assert_eq!(m.source, MeasureSource::Paper);

    // An incomplete form is kept as incomplete, without a total.
    let mut partial = phq9(date(2026, 11, 21), [1; 9]);
    partial.answers[3] = None;
    let id = record(partial).unwrap();
    let m = store.read(|c| measures::get(c, id)).unwrap();
    assert_eq!((m.score.complete, m.score.total), (false, None));
    assert_eq!(m.answers[3], None);

    // A later complete one is compared with the baseline (the first complete one).
    let later = record(phq9(date(2026, 11, 25), [1, 1, 1, 1, 1, 1, 1, 1, 0])).unwrap();
    let list = store.read(|c| measures::for_client(c, client)).unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].id, later, "newest first");
    let change = list[0].change.clone().expect("a change from the baseline");
    assert_eq!((change.baseline, change.current, change.delta), (16, 8, -8));
    assert!(change.response && change.remission == Some(false));
    assert!(
        list[1].change.is_none() && list[2].change.is_none(),
        "incomplete and baseline"
    );
    let before = count(store);

    // (what is wrong, the field named)
    let mut out_of_range = phq9(date(2026, 11, 20), [0; 9]);
    out_of_range.answers[4] = Some(4);
    let mut too_few = phq9(date(2026, 11, 20), [0; 9]);
    too_few.answers.pop();
    let mut none_answered = phq9(date(2026, 11, 20), [0; 9]);
    none_answered.answers = vec![None; 9];
    let future = phq9(date(2026, 11, 27), [0; 9]);
    let before_birth = phq9(date(1988, 8, 7), [0; 9]);
    let mut pcl_difficulty = MeasureInput {
        instrument: Instrument::Pcl5,
        answers: vec![Some(0); 20],
        ..phq9(date(2026, 11, 20), [0; 9])
    };
    pcl_difficulty.difficulty = Some(0);
    let mut bad_difficulty = phq9(date(2026, 11, 20), [0; 9]);
    bad_difficulty.difficulty = Some(4);
    let mut not_theirs = phq9(date(2026, 11, 20), [0; 9]);
    not_theirs.appointment_id = Some(999);
    let mut year_9999 = phq9(date(2026, 11, 20), [0; 9]);
    year_9999.taken_on = date(9999, 1, 1);
    for (case, input, field) in [
        ("answer 4 on a 0-3 item", out_of_range, "answers.4"),
        ("8 answers for 9 items", too_few, "answers"),
        ("nothing answered", none_answered, "answers"),
        ("tomorrow", future, "taken_on"),
        ("before the client was born", before_birth, "taken_on"),
        ("a PCL-5 difficulty", pcl_difficulty, "difficulty"),
        ("difficulty 4", bad_difficulty, "difficulty"),
        ("another client's session", not_theirs, "appointment_id"),
        ("year 9999", year_9999, "taken_on"),
    ] {
        let err = record(input).unwrap_err();
        assert!(field_error(&err, field), "{case}: {err:?}");
    }
    assert_eq!(count(store), before, "nothing was saved");
    let err = store
        .write(|w| {
            measures::record(
                w,
                424242,
                phq9(date(2026, 11, 20), [0; 9]),
                MeasureSource::Paper,
                today(),
            )
        })
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

#[test]
fn a_recorded_questionnaire_is_struck_out_never_edited() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Ines Ortega");
    let id = store
        .write(|w| {
            measures::record(
                w,
                client,
                phq9(date(2026, 11, 2), [3; 9]),
                MeasureSource::Paper,
                today(),
            )
        })
        .unwrap();
    let err = store.write(|w| measures::strike(w, id, "  ")).unwrap_err();
    assert!(field_error(&err, "strike_reason"), "{err:?}");
    store
        .write(|w| measures::strike(w, id, "Entered for the wrong client"))
        .unwrap();
    let m = store.read(|c| measures::get(c, id)).unwrap();
    assert!(m.struck_at.is_some());
    assert_eq!(
        m.strike_reason.as_deref(),
        Some("Entered for the wrong client")
    );
    let err = store
        .write(|w| measures::strike(w, id, "again"))
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    // A struck questionnaire raises no flag.
    assert!(store
        .read(|c| safety::flags_for_client(c, client))
        .unwrap()
        .is_empty());
    // The database refuses an edit that goes around the core.
    let edited = store.write(|w| {
        w.conn().execute(
            "UPDATE measure SET answers = '000000000' WHERE id = ?1",
            [id],
        )?;
        Ok(())
    });
    assert!(edited.is_err(), "the trigger refuses the edit");
    let m2 = store.read(|c| measures::get(c, id)).unwrap();
    assert_eq!(m2.answers, m.answers, "the answers are unchanged");
}

#[test]
fn self_report_answers_are_dated_today_and_audited_as_self_report() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Yuki Tanaka");
    let input = MeasureInput {
        instrument: Instrument::Gad7,
        taken_on: date(2026, 1, 1),
        answers: vec![Some(1); 7],
        difficulty: None,
        appointment_id: None,
    };
    let id = store
        .write(|w| measures::record(w, client, input, MeasureSource::SelfReport, today()))
        .unwrap();
    let m = store.read(|c| measures::get(c, id)).unwrap();
    assert_eq!(
        m.taken_on,
        today(),
        "self-report is dated the day it is answered"
    );
    assert_eq!(m.source, MeasureSource::SelfReport);
    let source: String = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT source FROM audit_log WHERE entity_kind = 'measure' AND entity_id = ?1",
                [id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(source, "self_report");
    // The next write of the window is the window's again.
    store
        .write(|w| measures::strike(w, id, "Test entry"))
        .unwrap();
    let sources: Vec<String> = store
        .read(|c| {
            let mut s = c.prepare(
                "SELECT source FROM audit_log WHERE entity_kind = 'measure' ORDER BY seq",
            )?;
            let rows = s
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })
        .unwrap();
    assert_eq!(sources, ["self_report", "window"]);
    store.verify_audit().unwrap();
}

#[test]
fn a_positive_item_9_blocks_signing_a_later_kap_note_until_assessed() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Leah Brandt");
    let session = store
        .write(|w| {
            appointments::book(
                w,
                AppointmentInput {
                    course_reason: None,
                    kind: AppointmentKind::KapSession,
                    starts_local: at(2026, 3, 10, 10, 0),
                    duration_minutes: None,
                    location: Location::KapRoom,
                    location_note: None,
                    client_ids: vec![client],
                    notes: String::new(),
                },
            )
        })
        .unwrap();
    let note = store
        .write(|w| notes::save_draft(w, session, client, full_note()))
        .unwrap();
    // A flag raised after the session does not block its note; one on the day does.
    let later = store
        .write(|w| {
            measures::record(
                w,
                client,
                phq9(date(2026, 3, 11), [0, 0, 0, 0, 0, 0, 0, 0, 2]),
                MeasureSource::Paper,
                today(),
            )
        })
        .unwrap();
    let flagged = store
        .write(|w| {
            measures::record(
                w,
                client,
                phq9(date(2026, 3, 10), [0, 0, 0, 0, 0, 0, 0, 0, 1]),
                MeasureSource::Paper,
                today(),
            )
        })
        .unwrap();
    let err = store.write(|w| notes::sign(w, note)).unwrap_err();
    match &err {
        Error::Conflict(msg) => {
            assert!(
                msg.contains("Mar 10, 2026") && msg.contains("safety assessment"),
                "{msg}"
            )
        }
        other => panic!("{other:?}"),
    }
    let signed: bool = store
        .read(|c| notes::get_by_id(c, note).map(|n| n.signed_at.is_some()))
        .unwrap();
    assert!(!signed);

    // The assessment: its checks, then documented.
    let good = SafetyAssessmentInput {
        assessed_at: at(2026, 3, 10, 9, 30),
        risk_level: RiskLevel::Low,
        plan: "Passive thoughts, no plan or intent. Safety plan reviewed; crisis line 988 given."
            .into(),
        consulted: "Dr. Ames (prescriber), by phone".into(),
    };
    for (case, input, field) in [
        (
            "before the questionnaire",
            SafetyAssessmentInput {
                assessed_at: at(2026, 3, 9, 23, 0),
                ..good.clone()
            },
            "assessed_at",
        ),
        (
            "no plan",
            SafetyAssessmentInput {
                plan: " ".into(),
                ..good.clone()
            },
            "plan",
        ),
        (
            "no one named",
            SafetyAssessmentInput {
                consulted: String::new(),
                ..good.clone()
            },
            "consulted",
        ),
        (
            "in the future",
            SafetyAssessmentInput {
                assessed_at: at(2099, 1, 1, 9, 0),
                ..good.clone()
            },
            "assessed_at",
        ),
        (
            "a time the spring-forward gap skips",
            SafetyAssessmentInput {
                assessed_at: at(2026, 3, 8, 2, 30),
                ..good.clone()
            },
            "assessed_at",
        ),
    ] {
        let err = store
            .write(|w| safety::assess(w, flagged, input))
            .unwrap_err();
        assert!(field_error(&err, field), "{case}: {err:?}");
    }
    store
        .write(|w| safety::assess(w, flagged, good.clone()))
        .unwrap();
    let err = store
        .write(|w| safety::assess(w, flagged, good.clone()))
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "one assessment per flag");

    // The later flag (Mar 11) stays open, but does not block the Mar 10 session.
    let open = store.read(safety::open_flags).unwrap();
    assert_eq!(
        open.iter().map(|f| f.measure_id).collect::<Vec<_>>(),
        [later]
    );
    store.write(|w| notes::sign(w, note)).unwrap();

    // A questionnaire without a flag takes no assessment.
    let clean = store
        .write(|w| {
            measures::record(
                w,
                client,
                phq9(date(2026, 3, 12), [0; 9]),
                MeasureSource::Paper,
                today(),
            )
        })
        .unwrap();
    let err = store.write(|w| safety::assess(w, clean, good)).unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    store.verify_audit().unwrap();
}

#[test]
fn the_course_lists_each_kap_session_with_its_dose_vitals_and_nearest_measures() {
    use kap_practice::measures::course;
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Tomás Ferreira");
    let book = |start: NaiveDateTime| {
        store
            .write(|w| {
                appointments::book(
                    w,
                    AppointmentInput {
                        // Only the second session is warned about (no integration
                        // session between); the first keeps no reason.
                        course_reason: Some("Integration by phone between the two.".into()),
                        kind: AppointmentKind::KapSession,
                        starts_local: start,
                        duration_minutes: None,
                        location: Location::KapRoom,
                        location_note: None,
                        client_ids: vec![client],
                        notes: String::new(),
                    },
                )
            })
            .unwrap()
    };
    let first = book(at(2026, 3, 10, 10, 0));
    let second = book(at(2026, 3, 24, 10, 0));
    store
        .write(|w| notes::save_draft(w, first, client, full_note()))
        .unwrap();
    for (day, answers) in [
        (date(2026, 3, 9), [3, 3, 2, 2, 2, 2, 2, 2, 0]),
        (date(2026, 3, 17), [2, 2, 1, 1, 1, 1, 1, 1, 0]),
        (date(2026, 3, 31), [1, 1, 0, 0, 0, 0, 0, 0, 0]),
    ] {
        store
            .write(|w| {
                measures::record(w, client, phq9(day, answers), MeasureSource::Paper, today())
            })
            .unwrap();
    }
    let c = store.read(|c| course::for_client(c, client)).unwrap();
    assert_eq!(c.planned_sessions, course::DEFAULT_PLANNED_SESSIONS);
    assert_eq!(c.sessions.len(), 2);
    let s1 = &c.sessions[0];
    assert_eq!(
        (s1.number, s1.day, s1.dose_mg),
        (1, date(2026, 3, 10), Some(200))
    );
    assert_eq!(s1.journey_minutes, Some(70));
    assert_eq!(s1.pre_vitals.as_ref().and_then(|v| v.systolic), Some(122));
    assert_eq!(s1.peak_at, chrono::NaiveTime::from_hms_opt(11, 10, 0));
    assert_eq!(s1.peak_vitals.as_ref().and_then(|v| v.systolic), Some(134));
    assert!(!s1.held);
    let totals = |v: &[course::Point]| v.iter().map(|p| p.total).collect::<Vec<_>>();
    assert_eq!(totals(&s1.before), [18]);
    assert_eq!(totals(&s1.after), [10]);
    let s2 = &c.sessions[1];
    assert_eq!((s2.number, s2.dose_mg), (2, None), "no note yet");
    assert_eq!((totals(&s2.before), totals(&s2.after)), (vec![10], vec![2]));
    assert_eq!(c.series.len(), 1, "only the PHQ-9 has points");
    assert_eq!(totals(&c.series[0].points), [18, 10, 2]);
    assert_eq!(second, s2.appointment_id);
    let reason = |id| {
        store
            .read(|c| appointments::get(c, id))
            .unwrap()
            .course_reason
    };
    assert_eq!(reason(first), None, "nothing warned: no reason kept");
    assert_eq!(
        reason(second).as_deref(),
        Some("Integration by phone between the two.")
    );
    assert!(
        s2.warnings.iter().any(|w| w.contains("No integration")),
        "{:?}",
        s2.warnings
    );

    let err = store
        .write(|w| course::set_planned_sessions(w, client, 0))
        .unwrap_err();
    assert!(field_error(&err, "planned_sessions"), "{err:?}");
    store
        .write(|w| course::set_planned_sessions(w, client, 8))
        .unwrap();
    let c = store.read(|c| course::for_client(c, client)).unwrap();
    assert_eq!(c.planned_sessions, 8);
    store.verify_audit().unwrap();
}

#[test]
fn a_self_report_sitting_is_checked_before_the_laptop_changes_hands() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Yuki Tanaka");
    let plan = |a: Option<i64>, i: &[Instrument]| {
        store.read(|c| measures::self_report_plan(c, client, a, i))
    };
    assert_eq!(
        plan(
            None,
            &[Instrument::Gad7, Instrument::Phq9, Instrument::Gad7]
        )
        .unwrap(),
        [Instrument::Gad7, Instrument::Phq9],
        "each once, in the order chosen"
    );
    assert!(field_error(&plan(None, &[]).unwrap_err(), "instruments"));
    assert!(field_error(
        &plan(Some(999), &[Instrument::Phq9]).unwrap_err(),
        "appointment_id"
    ));
    let err = store
        .read(|c| measures::self_report_plan(c, 424242, None, &[Instrument::Phq9]))
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

fn booking(
    kind: AppointmentKind,
    client: i64,
    start: NaiveDateTime,
    reason: Option<&str>,
) -> AppointmentInput {
    AppointmentInput {
        course_reason: reason.map(str::to_owned),
        kind,
        starts_local: start,
        duration_minutes: None,
        location: if kind == AppointmentKind::IntegrationSession {
            Location::Telehealth
        } else {
            Location::KapRoom
        },
        location_note: None,
        client_ids: vec![client],
        notes: String::new(),
    }
}

fn appointment_count(store: &Store) -> i64 {
    store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM appointment", [], |r| r.get(0))?))
        .unwrap()
}

#[test]
fn booking_a_kap_session_the_course_warns_about_needs_a_reason() {
    use AppointmentKind::{IntegrationSession, KapSession};
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Ines Duarte");
    let book = |input: AppointmentInput| store.write(|w| appointments::book(w, input));
    let warnings = |input: AppointmentInput| {
        store
            .read(|c| appointments::booking_warnings(c, input, None))
            .unwrap()
    };

    book(booking(KapSession, client, at(2026, 3, 2, 10, 0), None)).unwrap();
    // The second KAP session with no integration session between: warned, refused
    // without a reason, nothing saved.
    let before = appointment_count(store);
    let second = booking(KapSession, client, at(2026, 3, 4, 10, 0), None);
    let said = warnings(second.clone());
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("No integration session") && said[0].contains("Mar 2, 2026"));
    let err = book(second.clone()).unwrap_err();
    assert!(field_error(&err, "course_reason"), "{err:?}");
    let blank = AppointmentInput {
        course_reason: Some("  ".into()),
        ..second.clone()
    };
    assert!(field_error(&book(blank).unwrap_err(), "course_reason"));
    assert_eq!(appointment_count(store), before, "nothing saved");

    // An integration session between answers it; no reason is needed or kept.
    book(booking(
        IntegrationSession,
        client,
        at(2026, 3, 3, 15, 0),
        None,
    ))
    .unwrap();
    assert!(warnings(second.clone()).is_empty());
    let second = book(second).unwrap();

    // A third within 7 days (Mar 2, 4 and 6): warned even with an integration between.
    book(booking(
        IntegrationSession,
        client,
        at(2026, 3, 5, 15, 0),
        None,
    ))
    .unwrap();
    let third = booking(KapSession, client, at(2026, 3, 6, 10, 0), None);
    let said = warnings(third.clone());
    assert_eq!(said, ["This would be a third KAP session within 7 days."]);
    assert!(field_error(
        &book(third.clone()).unwrap_err(),
        "course_reason"
    ));
    let why = "Travelling abroad for a month from the 9th; prescriber agrees.";
    let third = book(AppointmentInput {
        course_reason: Some(why.into()),
        ..third
    })
    .unwrap();
    let got = store.read(|c| appointments::get(c, third)).unwrap();
    assert_eq!(got.course_reason.as_deref(), Some(why));

    // Moved to the next week, nothing warns: the reason goes.
    store
        .write(|w| {
            appointments::reschedule(
                w,
                third,
                booking(KapSession, client, at(2026, 3, 12, 10, 0), Some(why)),
            )
        })
        .unwrap();
    let got = store.read(|c| appointments::get(c, third)).unwrap();
    assert_eq!(got.course_reason, None);
    // Moving the second to the day after the third warns: no integration session
    // between them (the change does not count itself).
    let moved = booking(KapSession, client, at(2026, 3, 13, 10, 0), None);
    let err = store
        .write(|w| appointments::reschedule(w, second, moved))
        .unwrap_err();
    assert!(field_error(&err, "course_reason"), "{err:?}");
    // Other kinds are never warned about.
    assert!(warnings(booking(
        IntegrationSession,
        client,
        at(2026, 3, 13, 10, 0),
        None
    ))
    .is_empty());
    store.verify_audit().unwrap();
}

/// A KAP note as `kap_note` makes it, changed by `f`.
fn kap_with(f: impl FnOnce(&mut kap_practice::notes::KapNote)) -> notes::NoteBody {
    let mut body = kap_note("To rest.");
    if let notes::NoteBody::Kap(n) = &mut body {
        f(n);
    }
    body
}

#[test]
fn a_kap_note_records_the_hold_decision_the_reading_after_the_dose_and_a_stronger_dose() {
    use kap_practice::measures::settings::{self, CourseSettings};
    use kap_practice::notes::{HoldDecision, Vitals};
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Ravi Menon");
    let mut sessions = Vec::new();
    for (i, day) in [2, 9, 16, 23].into_iter().enumerate() {
        let start = at(2026, 3, day, 10, 0);
        let id = store
            .write(|w| {
                appointments::book(
                    w,
                    booking(
                        AppointmentKind::KapSession,
                        client,
                        start,
                        (i > 0).then_some("Integration by phone."),
                    ),
                )
            })
            .unwrap();
        sessions.push(id);
    }
    let draft = |session: i64, body: notes::NoteBody| {
        store.write(|w| notes::save_draft(w, session, client, body))
    };
    let sign = |note: i64| store.write(|w| notes::sign(w, note));
    let high = Vitals {
        systolic: Some(146),
        diastolic: Some(88),
        heart_rate: Some(80),
    };

    // A reading after the dose taken before the dose: a field error, nothing saved.
    let early = kap_with(|n| n.peak_at = chrono::NaiveTime::from_hms_opt(10, 15, 0));
    let err = draft(sessions[0], early).unwrap_err();
    assert!(field_error(&err, "peak_at"), "{err:?}");
    assert!(store
        .read(|c| notes::get(c, sessions[0], client))
        .unwrap()
        .is_none());
    // Half a reading cannot be signed.
    let half = kap_with(|n| n.peak_vitals.heart_rate = None);
    let note = draft(sessions[0], half).unwrap();
    assert!(field_error(&sign(note).unwrap_err(), "peak_vitals"));

    // At or above the hold threshold: the decision is needed, and why it went ahead.
    let note = draft(sessions[0], kap_with(|n| n.pre_check.vitals = high.clone())).unwrap();
    let err = sign(note).unwrap_err();
    assert!(field_error(&err, "hold_decision"), "{err:?}");
    let msg = format!("{err:?}");
    assert!(msg.contains("146/88") && msg.contains("140/90"), "{msg}");
    let proceeded = |reason: &str| {
        let (reason, high) = (reason.to_owned(), high.clone());
        kap_with(move |n| {
            n.pre_check.vitals = high;
            n.hold_decision = Some(HoldDecision::Proceeded);
            n.hold_reason = reason;
        })
    };
    draft(sessions[0], proceeded("")).unwrap();
    assert!(field_error(&sign(note).unwrap_err(), "hold_reason"));
    draft(
        sessions[0],
        proceeded("Rechecked after 10 minutes: 134/84; prescriber agreed."),
    )
    .unwrap();
    sign(note).unwrap();

    // Held: no dose is recorded, and none is needed to sign.
    let held_with_dose = kap_with(|n| {
        n.pre_check.vitals = high.clone();
        n.hold_decision = Some(HoldDecision::Held);
    });
    let err = draft(sessions[1], held_with_dose).unwrap_err();
    assert!(field_error(&err, "hold_decision"), "{err:?}");
    let held = kap_with(|n| {
        n.pre_check.vitals = high.clone();
        n.hold_decision = Some(HoldDecision::Held);
        n.dose.count = None;
        n.dose.taken_at = None;
        n.peak_at = None;
        n.peak_vitals = Vitals::default();
        n.journey_start = None;
        n.journey_end = None;
    });
    let note = draft(sessions[1], held).unwrap();
    sign(note).unwrap();

    // A strength above the prescription's 100 mg needs a reason.
    let stronger = |reason: &str| {
        let reason = reason.to_owned();
        kap_with(move |n| {
            n.dose.strength_mg = Some(150);
            n.dose.count = Some(1);
            n.dose_reason = reason;
        })
    };
    let note = draft(sessions[2], stronger("")).unwrap();
    let err = sign(note).unwrap_err();
    assert!(field_error(&err, "dose_reason"), "{err:?}");
    draft(
        sessions[2],
        stronger("New prescription for 150 mg on its way."),
    )
    .unwrap();
    sign(note).unwrap();

    // A higher threshold in the settings: the same reading needs no decision.
    let bad = CourseSettings {
        hold_systolic: 90,
        ..CourseSettings::default()
    };
    assert!(field_error(
        &store.write(|w| settings::set(w, bad)).unwrap_err(),
        "hold_systolic"
    ));
    let inverted = CourseSettings {
        hold_systolic: 120,
        hold_diastolic: 125,
        ..CourseSettings::default()
    };
    assert!(field_error(
        &store.write(|w| settings::set(w, inverted)).unwrap_err(),
        "hold_diastolic"
    ));
    assert_eq!(
        store.read(settings::get).unwrap(),
        CourseSettings::default(),
        "nothing saved"
    );
    let raised = CourseSettings {
        hold_systolic: 150,
        hold_diastolic: 95,
        ..CourseSettings::default()
    };
    store.write(|w| settings::set(w, raised)).unwrap();
    assert_eq!(store.read(settings::get).unwrap(), raised);
    let note = draft(sessions[3], kap_with(|n| n.pre_check.vitals = high.clone())).unwrap();
    sign(note).unwrap();

    // The course shows what was decided.
    let c = store
        .read(|c| measures::course::for_client(c, client))
        .unwrap();
    assert!(c.sessions[1].held);
    assert_eq!(c.sessions[1].dose_mg, None);
    assert!(
        c.sessions[2]
            .warnings
            .iter()
            .any(|w| w.contains("150 mg") && w.contains("New prescription")),
        "{:?}",
        c.sessions[2].warnings
    );
    store.verify_audit().unwrap();
}

#[test]
fn the_practice_settings_decide_when_questionnaires_are_due() {
    use kap_practice::measures::due;
    use kap_practice::measures::settings::{self, CourseSettings};
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Maya Cohen");
    let session = store
        .write(|w| {
            appointments::book(
                w,
                booking(
                    AppointmentKind::KapSession,
                    client,
                    at(2026, 3, 10, 10, 0),
                    None,
                ),
            )
        })
        .unwrap();
    let gad7 = MeasureInput {
        instrument: Instrument::Gad7,
        taken_on: date(2026, 3, 5),
        answers: vec![Some(1); 7],
        difficulty: Some(1),
        appointment_id: None,
    };
    // Item 9 stays 0: no safety flag.
    for input in [phq9(date(2026, 3, 5), [1, 1, 1, 1, 1, 1, 1, 1, 0]), gad7] {
        store
            .write(|w| measures::record(w, client, input, MeasureSource::Paper, today()))
            .unwrap();
    }
    let due_now = || {
        store
            .read(|c| due::for_appointment(c, session))
            .unwrap()
            .into_iter()
            .find(|a| a.client_id == client)
            .map(|a| a.due)
            .unwrap_or_default()
    };
    // Five days before the session: within the default 7 days, nothing is due.
    assert!(due_now().is_empty(), "{:?}", due_now());
    // With 3 days, the same questionnaires are too early: both are due again.
    let three = CourseSettings {
        measures_before_days: 3,
        ..CourseSettings::default()
    };
    store.write(|w| settings::set(w, three)).unwrap();
    assert_eq!(due_now(), [Instrument::Phq9, Instrument::Gad7]);
}
