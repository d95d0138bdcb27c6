//! The PHQ-9 item 9 safety flag and the safety assessment that answers it.
//!
//! Any answer above 0 on PHQ-9 item 9 raises a flag, whatever the total. The flag stays
//! open until the therapist documents a safety assessment for it: when it was done, the
//! risk level, the plan, and who was consulted. While a flag dated on or before a KAP
//! session is open, that session's note cannot be signed ([`sign_block`], a pure
//! function, table-tested; `notes::sign` calls [`check_before_signing`]).

use super::Instrument;
use crate::audit::{Action, EntityKind};
use crate::store::col::{date, stamp, time};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum RiskLevel {
    Low,
    Moderate,
    High,
}
str_enum!(RiskLevel { Low = "low", Moderate = "moderate", High = "high" });

/// What the therapist documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SafetyAssessmentInput {
    /// When the assessment was done, wall time in the practice's zone.
    pub assessed_at: NaiveDateTime,
    pub risk_level: RiskLevel,
    pub plan: String,
    /// Who was consulted (a supervisor, the prescriber, a crisis line), or "No one".
    pub consulted: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SafetyAssessment {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub measure_id: i64,
    pub assessed_at: DateTime<Utc>,
    pub risk_level: RiskLevel,
    pub plan: String,
    pub consulted: String,
    pub created_at: DateTime<Utc>,
}

/// A positive PHQ-9 item 9 and its assessment, if documented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SafetyFlag {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub measure_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub taken_on: NaiveDate,
    /// The answer to item 9, 1–3.
    pub item9: u8,
    pub assessment: Option<SafetyAssessment>,
}

const MAX_TEXT: usize = 5_000;

/// Documents the safety assessment for a flagged questionnaire. One per flag; it cannot
/// be done before the questionnaire was answered, nor in the future.
pub fn assess(w: &mut Writer<'_>, measure_id: i64, input: SafetyAssessmentInput) -> Result<i64> {
    let m = super::get(w.conn(), measure_id)?;
    if !m.score.safety_flag || m.struck_at.is_some() {
        return Err(Error::Conflict(
            "This questionnaire raised no safety flag.".into(),
        ));
    }
    let done: bool = w.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM safety_assessment WHERE measure_id = ?1)",
        [measure_id],
        |r| r.get(0),
    )?;
    if done {
        return Err(Error::Conflict(
            "A safety assessment is already documented for this questionnaire.".into(),
        ));
    }
    let plan = input.plan.trim();
    let consulted = input.consulted.trim();
    let mut e = FieldErrors::new();
    e.required_text("plan", "The plan", plan, MAX_TEXT);
    e.no_control_chars("plan", "The plan", plan, true);
    e.required_text("consulted", "Who was consulted", consulted, 500);
    e.no_control_chars("consulted", "Who was consulted", consulted, false);
    let tz = crate::practice::tz(w.conn())?;
    let at = crate::appointments::time::to_utc(tz, input.assessed_at);
    match at {
        Err(_) => e.add(
            "assessed_at",
            "That time does not exist or is ambiguous on that day (a clock change): choose another.",
        ),
        Ok(at) => {
            if input.assessed_at.date() < m.taken_on {
                e.add(
                    "assessed_at",
                    "The assessment cannot be before the questionnaire was answered.",
                );
            }
            if at > w.now() {
                e.add("assessed_at", "The assessment cannot be in the future.");
            }
        }
    }
    e.into_result()?;
    let at = at.map_err(|_| Error::Conflict("invalid time".into()))?;
    w.conn().execute(
        "INSERT INTO safety_assessment (client_id, measure_id, assessed_at, risk_level, plan, consulted, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            m.client_id,
            measure_id,
            stamp(at),
            input.risk_level.as_str(),
            plan,
            consulted,
            stamp(w.now())
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::SafetyAssessment, id)?;
    Ok(id)
}

fn assessment_row(r: &rusqlite::Row<'_>, offset: usize) -> rusqlite::Result<SafetyAssessment> {
    Ok(SafetyAssessment {
        id: r.get(offset)?,
        measure_id: r.get(offset + 1)?,
        assessed_at: time(&r.get::<_, String>(offset + 2)?)?,
        risk_level: RiskLevel::parse(&r.get::<_, String>(offset + 3)?)?,
        plan: r.get(offset + 4)?,
        consulted: r.get(offset + 5)?,
        created_at: time(&r.get::<_, String>(offset + 6)?)?,
    })
}

const FLAGS: &str = "SELECT m.id, m.client_id, m.taken_on, m.answers,
    s.id, s.measure_id, s.assessed_at, s.risk_level, s.plan, s.consulted, s.created_at,
    c.legal_name, c.preferred_name
    FROM measure m JOIN client c ON c.id = m.client_id
    LEFT JOIN safety_assessment s ON s.measure_id = m.id
    WHERE m.safety_flag = 1 AND m.struck_at IS NULL";

fn flag_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SafetyFlag> {
    let answers: String = r.get(3)?;
    let item9 = answers
        .chars()
        .nth(8)
        .and_then(|c| c.to_digit(10))
        .unwrap_or(0) as u8;
    let assessed: Option<i64> = r.get(4)?;
    Ok(SafetyFlag {
        measure_id: r.get(0)?,
        client_id: r.get(1)?,
        legal_name: r.get(11)?,
        preferred_name: r.get(12)?,
        taken_on: date(&r.get::<_, String>(2)?)?,
        item9,
        assessment: assessed.map(|_| assessment_row(r, 4)).transpose()?,
    })
}

/// A client's safety flags, newest first, with their assessments.
pub fn flags_for_client(conn: &Connection, client_id: i64) -> Result<Vec<SafetyFlag>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{FLAGS} AND m.client_id = ?1 ORDER BY m.taken_on DESC, m.id DESC"
    ))?;
    let rows = stmt
        .query_map([client_id], flag_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every flag still waiting for its assessment, oldest first (Home).
pub fn open_flags(conn: &Connection) -> Result<Vec<SafetyFlag>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{FLAGS} AND s.id IS NULL ORDER BY m.taken_on, m.id"
    ))?;
    let rows = stmt
        .query_map([], flag_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The rule: the first open flag dated on or before the session's day, which blocks
/// signing that session's KAP note. A flag raised after the session does not block it.
pub fn sign_block(flags: &[SafetyFlag], session_day: NaiveDate) -> Option<&SafetyFlag> {
    flags
        .iter()
        .filter(|f| f.assessment.is_none() && f.taken_on <= session_day)
        .min_by_key(|f| (f.taken_on, f.measure_id))
}

/// Refuses signing a KAP note while a safety flag on or before its session is open.
pub fn check_before_signing(
    conn: &Connection,
    client_id: i64,
    session_day: NaiveDate,
) -> Result<()> {
    let flags = flags_for_client(conn, client_id)?;
    match sign_block(&flags, session_day) {
        None => Ok(()),
        Some(f) => Err(Error::Conflict(format!(
            "The {} of {} answered item 9 (thoughts of being better off dead or of self-harm) above 0. \
             Document a safety assessment on the client's Measures before signing this KAP note.",
            Instrument::Phq9.name(),
            crate::clearance::us_date(f.taken_on)
        ))),
    }
}

/// The assessment documented for a questionnaire, if any.
pub fn for_measure(conn: &Connection, measure_id: i64) -> Result<Option<SafetyAssessment>> {
    Ok(conn
        .query_row(
            "SELECT id, measure_id, assessed_at, risk_level, plan, consulted, created_at
             FROM safety_assessment WHERE measure_id = ?1",
            [measure_id],
            |r| assessment_row(r, 0),
        )
        .optional()?)
}
