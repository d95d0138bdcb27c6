//! When questionnaires are due: a pure rule over a session and the questionnaires the
//! client has answered ([`due`], table-tested), and its loader for Home and the
//! appointment page ([`due_for_appointment`], [`due_this_week`]).
//!
//! The practice's defaults:
//! - PHQ-9 and GAD-7 at the mental-health intake, within 7 days before each KAP session,
//!   and at each integration session;
//! - PCL-5 at the mental-health intake and at every fourth KAP session (the 4th, 8th …
//!   of the client's KAP sessions), for a client whose presenting concerns include PTSD.
//!
//! A questionnaire counts for a session when it was given for that session, or answered
//! within the window before it: the `before_days` before an intake or a KAP session up to
//! its day, the day itself for an integration session. Struck-out ones never count.

use super::Instrument;
use crate::appointments::{AppointmentKind, AppointmentStatus};
use crate::clients::PresentingConcern;
use crate::store::col::date;
use crate::Result;
use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection};
use serde::Serialize;

/// The practice's schedule of measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueRules {
    /// How many days before an intake or KAP session a questionnaire still counts for it.
    pub before_days: u32,
    /// PCL-5 at every this-many-th KAP session.
    pub pcl5_every_kap: u32,
}

impl Default for DueRules {
    fn default() -> Self {
        DueRules {
            before_days: 7,
            pcl5_every_kap: 4,
        }
    }
}

/// What the rule needs to know about one client's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub appointment_id: i64,
    pub kind: AppointmentKind,
    /// The session's day in the practice's zone.
    pub day: NaiveDate,
    /// For a KAP session: its number among the client's KAP sessions (1 for the first).
    pub kap_number: Option<u32>,
    /// Whether the client's presenting concerns include PTSD.
    pub ptsd: bool,
}

/// A questionnaire the client answered (not struck out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    pub instrument: Instrument,
    pub taken_on: NaiveDate,
    pub appointment_id: Option<i64>,
}

/// The questionnaires a session calls for, whether answered or not.
pub fn called_for(s: &Session, rules: DueRules) -> Vec<Instrument> {
    let mut v = Vec::new();
    match s.kind {
        AppointmentKind::MentalHealthIntake => {
            v.extend([Instrument::Phq9, Instrument::Gad7]);
            if s.ptsd {
                v.push(Instrument::Pcl5);
            }
        }
        AppointmentKind::KapSession | AppointmentKind::GroupKapSession => {
            v.extend([Instrument::Phq9, Instrument::Gad7]);
            let nth = rules.pcl5_every_kap.max(1);
            if s.ptsd && s.kap_number.is_some_and(|n| n > 0 && n % nth == 0) {
                v.push(Instrument::Pcl5);
            }
        }
        AppointmentKind::IntegrationSession => v.extend([Instrument::Phq9, Instrument::Gad7]),
        AppointmentKind::MedicalIntake | AppointmentKind::Psychotherapy => {}
    }
    v
}

/// The first day a questionnaire answered before the session still counts for it.
pub fn window_start(s: &Session, rules: DueRules) -> NaiveDate {
    let days = match s.kind {
        AppointmentKind::IntegrationSession => 0,
        _ => rules.before_days,
    };
    s.day
        .checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN)
}

/// The questionnaires a session calls for that the client has not answered for it.
pub fn due(s: &Session, taken: &[Taken], rules: DueRules) -> Vec<Instrument> {
    let from = window_start(s, rules);
    called_for(s, rules)
        .into_iter()
        .filter(|&i| {
            !taken.iter().any(|t| {
                t.instrument == i
                    && (t.appointment_id == Some(s.appointment_id)
                        || (from..=s.day).contains(&t.taken_on))
            })
        })
        .collect()
}

/// One client's questionnaires due for one session (Home, the appointment page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct MeasuresDue {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub appointment_id: i64,
    pub kind: AppointmentKind,
    pub day: NaiveDate,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub due: Vec<Instrument>,
}

/// The client's questionnaires (not struck out) answered from `from` on, or given for
/// the appointment whatever their day.
fn taken_for(
    conn: &Connection,
    client_id: i64,
    from: NaiveDate,
    appointment_id: i64,
) -> Result<Vec<Taken>> {
    let mut stmt = conn.prepare_cached(
        "SELECT instrument, taken_on, appointment_id FROM measure
         WHERE client_id = ?1 AND struck_at IS NULL AND (taken_on >= ?2 OR appointment_id = ?3)",
    )?;
    let rows = stmt
        .query_map(params![client_id, from.to_string(), appointment_id], |r| {
            Ok(Taken {
                instrument: Instrument::parse(&r.get::<_, String>(0)?)?,
                taken_on: date(&r.get::<_, String>(1)?)?,
                appointment_id: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn has_ptsd(conn: &Connection, client_id: i64) -> Result<bool> {
    let concerns: String = conn.query_row(
        "SELECT presenting_concerns FROM client WHERE id = ?1",
        [client_id],
        |r| r.get(0),
    )?;
    let list: Vec<PresentingConcern> = serde_json::from_str(&concerns).unwrap_or_default();
    Ok(list.contains(&PresentingConcern::Ptsd))
}

/// The session's number among the client's KAP sessions that hold their slot.
fn kap_number(conn: &Connection, client_id: i64, appointment_id: i64) -> Result<u32> {
    Ok(conn.query_row(
        &format!(
            "SELECT count(*) FROM appointment a
             JOIN appointment_attendee t ON t.appointment_id = a.id AND t.client_id = ?1
             WHERE a.kind IN ('kap_session', 'group_kap_session') AND a.status IN {}
               AND a.starts_at <= (SELECT starts_at FROM appointment WHERE id = ?2)",
            AppointmentStatus::holding_sql()
        ),
        params![client_id, appointment_id],
        |r| r.get(0),
    )?)
}

/// What one client's session calls for under the practice's `rules`
/// ([`super::settings`]) that is not answered yet.
pub fn due_for(
    conn: &Connection,
    rules: DueRules,
    appointment_id: i64,
    kind: AppointmentKind,
    day: NaiveDate,
    client_id: i64,
) -> Result<Vec<Instrument>> {
    let session = Session {
        appointment_id,
        kind,
        day,
        kap_number: if kind.is_kap() {
            Some(kap_number(conn, client_id, appointment_id)?)
        } else {
            None
        },
        ptsd: has_ptsd(conn, client_id)?,
    };
    if called_for(&session, rules).is_empty() {
        return Ok(Vec::new());
    }
    let taken = taken_for(
        conn,
        client_id,
        window_start(&session, rules),
        appointment_id,
    )?;
    Ok(due(&session, &taken, rules))
}

/// Every scheduled session's due questionnaires among `appointments` (Home: today and
/// this week), in their order; sessions with nothing due are left out.
pub fn due_among(
    conn: &Connection,
    appointments: &[crate::appointments::Appointment],
) -> Result<Vec<MeasuresDue>> {
    let rules = super::settings::get(conn)?.due_rules();
    let mut out = Vec::new();
    for a in appointments
        .iter()
        .filter(|a| a.status == AppointmentStatus::Scheduled)
    {
        let day = a.starts_local.date();
        for t in &a.attendees {
            let due = due_for(conn, rules, a.id, a.kind, day, t.client_id)?;
            if !due.is_empty() {
                out.push(MeasuresDue {
                    appointment_id: a.id,
                    kind: a.kind,
                    day,
                    client_id: t.client_id,
                    legal_name: t.legal_name.clone(),
                    preferred_name: t.preferred_name.clone(),
                    due,
                });
            }
        }
    }
    Ok(out)
}

/// One client's questionnaires and open safety flags for one session (the appointment
/// page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AttendeeMeasures {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    /// Called for by the session and not answered for it yet (none once it is over).
    pub due: Vec<Instrument>,
    /// PHQ-9 item 9 flags on or before the session's day with no assessment: they block
    /// signing a KAP note for it.
    pub open_flags: Vec<super::safety::SafetyFlag>,
}

/// What the appointment page shows about measures, client by client.
pub fn for_appointment(conn: &Connection, appointment_id: i64) -> Result<Vec<AttendeeMeasures>> {
    let a = crate::appointments::get(conn, appointment_id)?;
    let rules = super::settings::get(conn)?.due_rules();
    let day = a.starts_local.date();
    let mut out = Vec::new();
    for t in &a.attendees {
        let due = if a.status == AppointmentStatus::Scheduled {
            due_for(conn, rules, a.id, a.kind, day, t.client_id)?
        } else {
            Vec::new()
        };
        let open_flags = super::safety::flags_for_client(conn, t.client_id)?
            .into_iter()
            .filter(|f| f.assessment.is_none() && f.taken_on <= day)
            .collect();
        out.push(AttendeeMeasures {
            client_id: t.client_id,
            due,
            open_flags,
        });
    }
    Ok(out)
}
