//! A client's KAP course at a glance: the planned number of KAP sessions, then each KAP
//! session with its number, date, dose, journey time, vitals before and after, adverse
//! events, and the questionnaires nearest before and after it; and each instrument's
//! totals over time with its severity bands, for the course view's charts.
//!
//! Read in one pass over the client's KAP sessions (with their notes) and one over their
//! questionnaires; the nearest questionnaires are found by binary search ([`nearest`]).

use super::rules;
use super::scoring::{self, Band};
use super::{Instrument, Measure};
use crate::appointments::{AppointmentKind, AppointmentStatus};
use crate::audit::{Action, EntityKind};
use crate::notes::{HoldDecision, KapNote, NoteBody, Vitals};
use crate::store::col::time;
use crate::store::Writer;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

/// KAP sessions planned for a course unless the client's record says otherwise.
pub const DEFAULT_PLANNED_SESSIONS: u32 = 6;

/// One instrument's total on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Point {
    pub instrument: Instrument,
    pub taken_on: NaiveDate,
    pub total: u32,
    pub band: Band,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CourseSession {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub appointment_id: i64,
    /// 1 for the client's first KAP session.
    pub number: u32,
    pub day: NaiveDate,
    pub kind: AppointmentKind,
    pub status: AppointmentStatus,
    /// Total mg taken (strength × count, plus any booster), from the note.
    pub dose_mg: Option<u32>,
    pub booster_mg: Option<u32>,
    pub journey_minutes: Option<u32>,
    pub pre_vitals: Option<Vitals>,
    /// The reading about 40 minutes after the dose, and its time.
    pub peak_at: Option<chrono::NaiveTime>,
    pub peak_vitals: Option<Vitals>,
    pub post_vitals: Option<Vitals>,
    /// Whether the note records the dose as held (blood pressure at or above the hold
    /// threshold).
    pub held: bool,
    /// The adverse events the note records, in words.
    pub adverse_events: Vec<String>,
    pub note_signed: bool,
    /// The course's rules this session meets ([`super::rules`]): things to look at, never
    /// refusals.
    pub warnings: Vec<String>,
    /// Each instrument's nearest complete questionnaire on or before the session's day,
    /// and after it.
    pub before: Vec<Point>,
    pub after: Vec<Point>,
}

/// An instrument's totals over time and its bands (lowest total of each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Series {
    pub instrument: Instrument,
    pub max_total: u32,
    pub bands: Vec<(Band, u32)>,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Course {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub planned_sessions: u32,
    pub sessions: Vec<CourseSession>,
    /// PHQ-9, GAD-7 and PCL-5, each with at least one complete questionnaire.
    pub series: Vec<Series>,
}

/// The complete, not struck, questionnaires of `measures` as points, per instrument, by date.
pub fn points(measures: &[Measure]) -> Vec<(Instrument, Vec<Point>)> {
    Instrument::ALL
        .iter()
        .map(|&i| {
            let mut v: Vec<Point> = measures
                .iter()
                .filter(|m| m.instrument == i && m.struck_at.is_none())
                .filter_map(|m| {
                    Some(Point {
                        instrument: i,
                        taken_on: m.taken_on,
                        total: m.score.total?,
                        band: m.score.band?,
                    })
                })
                .collect();
            v.sort_by_key(|p| p.taken_on);
            (i, v)
        })
        .collect()
}

/// The last point on or before `day` and the first after it, of points sorted by date.
pub fn nearest(points: &[Point], day: NaiveDate) -> (Option<Point>, Option<Point>) {
    let split = points.partition_point(|p| p.taken_on <= day);
    (
        split.checked_sub(1).and_then(|i| points.get(i)).copied(),
        points.get(split).copied(),
    )
}

/// The adverse events a KAP note records, each in words ("Nausea", then any other).
fn adverse_words(body: &NoteBody) -> Vec<String> {
    let NoteBody::Kap(n) = body else {
        return Vec::new();
    };
    let a = &n.adverse_events;
    let mut v: Vec<String> = a
        .ticked()
        .into_iter()
        .map(|w| {
            let mut w = w.to_owned();
            w[..1].make_ascii_uppercase();
            w
        })
        .collect();
    if !a.other.trim().is_empty() {
        v.push(a.other.trim().to_owned());
    }
    v
}

/// The client's KAP course.
pub fn for_client(conn: &Connection, client_id: i64) -> Result<Course> {
    let (legal_name, preferred_name, planned): (String, Option<String>, Option<u32>) = conn
        .query_row(
            "SELECT legal_name, preferred_name, kap_sessions_planned FROM client WHERE id = ?1",
            [client_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Error::NotFound("client"),
            e => e.into(),
        })?;
    let settings = super::settings::get(conn)?;
    let (cut, hold) = (settings.pcl5_cut_point, settings.hold());
    let measures = super::for_client(conn, client_id)?;
    let by_instrument = points(&measures);
    let tz = crate::practice::tz(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, a.kind, a.status, a.starts_at, n.body, n.signed_at
         FROM appointment a
         JOIN appointment_attendee t ON t.appointment_id = a.id AND t.client_id = ?1
         LEFT JOIN session_note n ON n.appointment_id = a.id AND n.client_id = ?1
         WHERE a.kind IN ('kap_session', 'group_kap_session') AND a.status IN {}
         ORDER BY a.starts_at, a.id",
        AppointmentStatus::holding_sql()
    ))?;
    type Row = (i64, String, String, String, Option<String>, Option<String>);
    let rows = stmt
        .query_map(params![client_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    let starts: Vec<chrono::DateTime<chrono::Utc>> = rows
        .iter()
        .map(|r| time(&r.3))
        .collect::<rusqlite::Result<_>>()?;
    let days: Vec<NaiveDate> = starts.iter().map(|&t| rules::local_day(t, tz)).collect();
    let integrations = completed_integrations(conn, client_id)?;
    let prescriptions = crate::prescriptions::for_client(conn, client_id)?;
    let mut sessions = Vec::with_capacity(rows.len());
    for (n, (id, kind, status, _, body, signed_at)) in rows.into_iter().enumerate() {
        let day = days[n];
        let body: Option<NoteBody> = body
            .map(|b| serde_json::from_str(&b).map_err(|_| Error::Corrupt))
            .transpose()?;
        let kap = match &body {
            Some(NoteBody::Kap(k)) => Some(k.as_ref()),
            _ => None,
        };
        let (mut before, mut after) = (Vec::new(), Vec::new());
        for (_, pts) in &by_instrument {
            let (b, a) = nearest(pts, day);
            before.extend(b);
            after.extend(a);
        }
        let mut warnings = Vec::new();
        let others: Vec<NaiveDate> = days
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != n)
            .map(|(_, &d)| d)
            .collect();
        if rules::third_within_7_days(&others, day) {
            warnings.push("A third KAP session within 7 days.".to_owned());
        }
        if rules::no_integration_since_last(&starts, &integrations, starts[n]) {
            warnings.push("No integration session since the previous KAP session.".to_owned());
        }
        if let Some(k) = kap {
            let v = &k.pre_check.vitals;
            if let (Some(sys), Some(dia)) = (v.systolic, v.diastolic) {
                if rules::at_or_above_hold(sys, dia, hold) {
                    let decision = match k.hold_decision {
                        Some(HoldDecision::Held) => " The dose was held.".to_owned(),
                        Some(HoldDecision::Proceeded) => {
                            format!(" The dose went ahead: {}", k.hold_reason.trim())
                        }
                        None => String::new(),
                    };
                    warnings.push(format!(
                        "Blood pressure before the dose {sys}/{dia}, at or above the hold threshold {}/{}.{decision}",
                        hold.systolic, hold.diastolic
                    ));
                }
            }
            let rx = crate::clearance::newest_on(&prescriptions, day);
            if let (Some(given), Some(rx)) = (k.dose.strength_mg, rx) {
                if rules::above_prescription(given, rx.details.strength_mg) {
                    let why = match k.dose_reason.trim() {
                        "" => String::new(),
                        r => format!(" Why: {r}"),
                    };
                    warnings.push(format!(
                        "A {given} mg dose strength, above the prescription's {} mg.{why}",
                        rx.details.strength_mg
                    ));
                }
            }
        }
        sessions.push(CourseSession {
            appointment_id: id,
            number: n as u32 + 1,
            day,
            kind: AppointmentKind::parse(&kind)?,
            status: AppointmentStatus::parse(&status)?,
            dose_mg: body.as_ref().and_then(NoteBody::total_mg),
            booster_mg: kap.and_then(|k| k.dose.booster_mg),
            journey_minutes: kap.and_then(KapNote::journey_minutes),
            pre_vitals: kap.map(|k| k.pre_check.vitals.clone()),
            peak_at: kap.and_then(|k| k.peak_at),
            peak_vitals: kap
                .filter(|k| k.peak_at.is_some())
                .map(|k| k.peak_vitals.clone()),
            post_vitals: kap.map(|k| k.post_vitals.clone()),
            held: kap.is_some_and(|k| k.hold_decision == Some(HoldDecision::Held)),
            adverse_events: body.as_ref().map(adverse_words).unwrap_or_default(),
            note_signed: signed_at.is_some(),
            warnings,
            before,
            after,
        });
    }
    let series = by_instrument
        .into_iter()
        .filter(|(_, pts)| !pts.is_empty())
        .map(|(i, pts)| Series {
            instrument: i,
            max_total: i.max_total(),
            bands: scoring::bands(i, cut),
            points: pts,
        })
        .collect();
    Ok(Course {
        client_id,
        legal_name,
        preferred_name,
        planned_sessions: planned.unwrap_or(DEFAULT_PLANNED_SESSIONS),
        sessions,
        series,
    })
}

/// When the client's completed integration sessions started.
fn completed_integrations(
    conn: &Connection,
    client_id: i64,
) -> Result<Vec<chrono::DateTime<chrono::Utc>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.starts_at FROM appointment a
         JOIN appointment_attendee t ON t.appointment_id = a.id AND t.client_id = ?1
         WHERE a.kind = 'integration_session' AND a.status = 'completed'",
    )?;
    let rows = stmt
        .query_map([client_id], |r| time(&r.get::<_, String>(0)?))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Sets how many KAP sessions the client's course plans (1 to 50).
pub fn set_planned_sessions(w: &mut Writer<'_>, client_id: i64, planned: u32) -> Result<()> {
    crate::clients::require(w.conn(), client_id)?;
    let mut e = FieldErrors::new();
    if !(1..=50).contains(&planned) {
        e.add("planned_sessions", "Plan between 1 and 50 KAP sessions.");
    }
    e.into_result()?;
    w.conn().execute(
        "UPDATE client SET kap_sessions_planned = ?2 WHERE id = ?1",
        params![client_id, planned],
    )?;
    w.audit(Action::Update, EntityKind::Client, client_id)
}
