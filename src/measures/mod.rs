//! Outcome measures: PHQ-9, GAD-7 and PCL-5, given at intake and through a KAP course.
//!
//! The questionnaires' texts are data (`assets/measures/`, embedded at build time and
//! served to the UI by [`definition`]); scoring is [`scoring`], pure and table-tested.
//! A recorded questionnaire is immutable: a mistake is corrected by striking it out with
//! a reason ([`strike`]) and entering it again. Answers entered by the therapist from
//! paper and answers the client gave in self-report mode are told apart in the row and
//! in the audit log (`Source::SelfReport`).
//!
//! [`safety`]: a PHQ-9 item 9 answered above 0 raises a flag that a documented safety
//! assessment answers; until then no KAP note for a session on or after it is signed.

pub mod course;
pub mod due;
pub mod rules;
pub mod safety;
pub mod scoring;
pub mod settings;
#[cfg(test)]
mod tests;

use crate::audit::{Action, EntityKind, Source};
use crate::store::col::{bad, date, stamp, time};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub use scoring::{Band, Change, Score};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Instrument {
    Phq9,
    Gad7,
    Pcl5,
}
str_enum!(Instrument { Phq9 = "phq9", Gad7 = "gad7", Pcl5 = "pcl5" });

impl Instrument {
    pub fn item_count(self) -> usize {
        match self {
            Instrument::Phq9 => 9,
            Instrument::Gad7 => 7,
            Instrument::Pcl5 => 20,
        }
    }

    /// The highest answer an item takes (the lowest is 0).
    pub fn max_answer(self) -> u8 {
        match self {
            Instrument::Phq9 | Instrument::Gad7 => 3,
            Instrument::Pcl5 => 4,
        }
    }

    /// The highest total.
    pub fn max_total(self) -> u32 {
        self.item_count() as u32 * u32::from(self.max_answer())
    }

    /// Whether the form asks the difficulty question (recorded, not scored).
    pub fn asks_difficulty(self) -> bool {
        self != Instrument::Pcl5
    }

    pub fn name(self) -> &'static str {
        match self {
            Instrument::Phq9 => "PHQ-9",
            Instrument::Gad7 => "GAD-7",
            Instrument::Pcl5 => "PCL-5",
        }
    }
}

/// Who entered the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum MeasureSource {
    /// The therapist, from the client's paper form.
    Paper,
    /// The client, on this laptop in self-report mode.
    SelfReport,
}
str_enum!(MeasureSource { Paper = "paper", SelfReport = "self_report" });

/// One answer option as the form prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AnswerOption {
    pub value: u8,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DifficultyQuestion {
    pub question: String,
    /// Labels for the answers 0 to 3.
    pub options: Vec<String>,
}

/// A questionnaire's published text (`assets/measures/<instrument>.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Definition {
    pub instrument: Instrument,
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub instructions: Option<String>,
    pub stem: String,
    pub options: Vec<AnswerOption>,
    pub items: Vec<String>,
    #[serde(default)]
    pub difficulty: Option<DifficultyQuestion>,
    pub source: String,
    pub licence: String,
    pub form: String,
}

fn parse_definition(json: &str) -> Definition {
    // The files are part of the build and pinned by tests: a broken one is a build defect.
    serde_json::from_str(json).expect("assets/measures holds valid definitions")
}

/// The published text of an instrument.
pub fn definition(instrument: Instrument) -> &'static Definition {
    static DEFS: OnceLock<[Definition; 3]> = OnceLock::new();
    let defs = DEFS.get_or_init(|| {
        [
            parse_definition(include_str!("../../assets/measures/phq9.json")),
            parse_definition(include_str!("../../assets/measures/gad7.json")),
            parse_definition(include_str!("../../assets/measures/pcl5.json")),
        ]
    });
    match instrument {
        Instrument::Phq9 => &defs[0],
        Instrument::Gad7 => &defs[1],
        Instrument::Pcl5 => &defs[2],
    }
}

/// What the therapist (or the client, in self-report mode) records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct MeasureInput {
    pub instrument: Instrument,
    /// The day the client answered.
    pub taken_on: NaiveDate,
    /// One per item, in the form's order; `null` for an item left unanswered.
    pub answers: Vec<Option<u8>>,
    /// PHQ-9 and GAD-7: the difficulty question, 0–3, or none.
    pub difficulty: Option<u8>,
    /// The session it was given for, if any.
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub appointment_id: Option<i64>,
}

/// A recorded questionnaire with its score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Measure {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub appointment_id: Option<i64>,
    pub instrument: Instrument,
    pub taken_on: NaiveDate,
    pub answers: Vec<Option<u8>>,
    pub difficulty: Option<u8>,
    pub source: MeasureSource,
    pub score: Score,
    /// Against the client's baseline of this instrument (their first complete one that is
    /// not struck out), for a later complete one; see [`with_changes`].
    pub change: Option<Change>,
    /// Struck out as entered in error: when and why. A struck measure is kept, shown
    /// crossed out, and left out of scores, charts, flags and due dates.
    pub struck_at: Option<DateTime<Utc>>,
    pub strike_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Answers as stored: one character per item, the digit or `-` for unanswered.
fn encode_answers(answers: &[Option<u8>]) -> String {
    answers
        .iter()
        .map(|a| match a {
            Some(v) => char::from(b'0' + v),
            None => '-',
        })
        .collect()
}

fn decode_answers(s: &str) -> rusqlite::Result<Vec<Option<u8>>> {
    s.chars()
        .map(|c| match c {
            '-' => Ok(None),
            '0'..='4' => Ok(Some(c as u8 - b'0')),
            _ => Err(bad("answers")),
        })
        .collect()
}

/// The practice's PCL-5 cut-point.
pub fn pcl5_cut_point(conn: &Connection) -> Result<u32> {
    let v: Option<u32> = conn.query_row(
        "SELECT pcl5_cut_point FROM practice WHERE id = 1",
        [],
        |r| r.get(0),
    )?;
    Ok(v.unwrap_or(scoring::DEFAULT_PCL5_CUT_POINT))
}

/// Checks answers and dates; field errors name `answers.N` (from 0), `taken_on`,
/// `difficulty` and `appointment_id`.
pub fn check(
    conn: &Connection,
    client_id: i64,
    input: &MeasureInput,
    today: NaiveDate,
) -> Result<()> {
    let mut e = FieldErrors::new();
    let n = input.instrument.item_count();
    if input.answers.len() != n {
        e.add(
            "answers",
            format!(
                "The {} has {n} questions; {} answers were given.",
                input.instrument.name(),
                input.answers.len()
            ),
        );
    }
    let max = input.instrument.max_answer();
    for (i, a) in input.answers.iter().enumerate() {
        if matches!(a, Some(v) if *v > max) {
            e.add(
                format!("answers.{i}"),
                format!("Choose an answer from 0 to {max}."),
            );
        }
    }
    if input.answers.iter().all(Option::is_none) {
        e.add("answers", "Answer at least one question.");
    }
    match input.difficulty {
        Some(_) if !input.instrument.asks_difficulty() => {
            e.add("difficulty", "The PCL-5 has no difficulty question.")
        }
        Some(d) if d > 3 => e.add("difficulty", "Choose an answer from 0 to 3."),
        _ => {}
    }
    e.record_date("taken_on", "The date", input.taken_on);
    if input.taken_on > today {
        e.add(
            "taken_on",
            "A questionnaire is recorded after it was answered: the date cannot be in the future.",
        );
    }
    let dob: Option<Option<String>> = conn
        .query_row(
            "SELECT date_of_birth FROM client WHERE id = ?1",
            [client_id],
            |r| r.get(0),
        )
        .optional()?;
    let dob = dob.ok_or(Error::NotFound("client"))?;
    if let Some(dob) = dob.as_deref().map(date).transpose()? {
        if input.taken_on < dob {
            e.add("taken_on", "The date is before the client's date of birth.");
        }
    }
    if let Some(a) = input.appointment_id {
        if !attends(conn, a, client_id)? {
            e.add(
                "appointment_id",
                "That session is not one of this client's.",
            );
        }
    }
    e.into_result()
}

/// The questionnaires a client self-report sitting will ask, checked before the laptop
/// changes hands: the client exists, the session (if any) is theirs, at least one
/// questionnaire, each once, in the order chosen.
pub fn self_report_plan(
    conn: &Connection,
    client_id: i64,
    appointment_id: Option<i64>,
    instruments: &[Instrument],
) -> Result<Vec<Instrument>> {
    crate::clients::require(conn, client_id)?;
    let mut plan: Vec<Instrument> = Vec::new();
    for &i in instruments {
        if !plan.contains(&i) {
            plan.push(i);
        }
    }
    let mut e = FieldErrors::new();
    if plan.is_empty() {
        e.add("instruments", "Choose at least one questionnaire.");
    }
    if let Some(a) = appointment_id {
        if !attends(conn, a, client_id)? {
            e.add(
                "appointment_id",
                "That session is not one of this client's.",
            );
        }
    }
    e.into_result()?;
    Ok(plan)
}

fn attends(conn: &Connection, appointment_id: i64, client_id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM appointment_attendee WHERE appointment_id = ?1 AND client_id = ?2)",
        params![appointment_id, client_id],
        |r| r.get(0),
    )?)
}

/// Records a questionnaire. `source` says who entered it: self-report answers are also
/// audited with `Source::SelfReport`, and their date is today.
pub fn record(
    w: &mut Writer<'_>,
    client_id: i64,
    input: MeasureInput,
    source: MeasureSource,
    today: NaiveDate,
) -> Result<i64> {
    crate::clients::require(w.conn(), client_id)?;
    let input = match source {
        MeasureSource::SelfReport => MeasureInput {
            taken_on: today,
            ..input
        },
        MeasureSource::Paper => input,
    };
    check(w.conn(), client_id, &input, today)?;
    let cut = pcl5_cut_point(w.conn())?;
    let s = scoring::score(input.instrument, &input.answers, cut);
    w.conn().execute(
        "INSERT INTO measure (client_id, appointment_id, instrument, taken_on, answers, difficulty,
            total, safety_flag, source, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            client_id,
            input.appointment_id,
            input.instrument.as_str(),
            input.taken_on.to_string(),
            encode_answers(&input.answers),
            input.difficulty,
            s.total,
            s.safety_flag,
            source.as_str(),
            stamp(w.now()),
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    if source == MeasureSource::SelfReport {
        w.set_source(Source::SelfReport);
    }
    w.audit(Action::Create, EntityKind::Measure, id)?;
    Ok(id)
}

/// Strikes out a questionnaire entered in error; the reason is required. It stays in the
/// record, crossed out.
pub fn strike(w: &mut Writer<'_>, id: i64, reason: &str) -> Result<()> {
    let reason = reason.trim();
    let mut e = FieldErrors::new();
    e.required_text("strike_reason", "Reason", reason, 500);
    e.no_control_chars("strike_reason", "Reason", reason, true);
    e.into_result()?;
    let struck: Option<Option<String>> = w
        .conn()
        .query_row("SELECT struck_at FROM measure WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    match struck {
        None => return Err(Error::NotFound("questionnaire")),
        Some(Some(_)) => {
            return Err(Error::Conflict(
                "This questionnaire is already struck out.".into(),
            ))
        }
        Some(None) => {}
    }
    w.conn().execute(
        "UPDATE measure SET struck_at = ?2, strike_reason = ?3 WHERE id = ?1",
        params![id, stamp(w.now()), reason],
    )?;
    w.audit(Action::Void, EntityKind::Measure, id)
}

const SELECT: &str = "SELECT id, client_id, appointment_id, instrument, taken_on, answers,
    difficulty, source, struck_at, strike_reason, created_at FROM measure";

fn from_row(r: &rusqlite::Row<'_>, cut: u32) -> rusqlite::Result<Measure> {
    let instrument = Instrument::parse(&r.get::<_, String>(3)?)?;
    let answers = decode_answers(&r.get::<_, String>(5)?)?;
    Ok(Measure {
        id: r.get(0)?,
        client_id: r.get(1)?,
        appointment_id: r.get(2)?,
        instrument,
        taken_on: date(&r.get::<_, String>(4)?)?,
        score: scoring::score(instrument, &answers, cut),
        change: None,
        answers,
        difficulty: r.get(6)?,
        source: MeasureSource::parse(&r.get::<_, String>(7)?)?,
        struck_at: r
            .get::<_, Option<String>>(8)?
            .as_deref()
            .map(time)
            .transpose()?,
        strike_reason: r.get(9)?,
        created_at: time(&r.get::<_, String>(10)?)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Measure> {
    let cut = pcl5_cut_point(conn)?;
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], |r| {
        from_row(r, cut)
    })
    .optional()?
    .ok_or(Error::NotFound("questionnaire"))
}

/// A client's questionnaires, newest first (struck ones included, marked), each later
/// complete one with its change from the baseline.
pub fn for_client(conn: &Connection, client_id: i64) -> Result<Vec<Measure>> {
    let cut = pcl5_cut_point(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE client_id = ?1 ORDER BY taken_on DESC, id DESC"
    ))?;
    let rows = stmt
        .query_map([client_id], |r| from_row(r, cut))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(with_changes(rows))
}

/// Sets each measure's change from its instrument's baseline: the earliest complete one
/// not struck out (by date, then by entry). The baseline itself and incomplete or struck
/// ones get none.
pub fn with_changes(mut measures: Vec<Measure>) -> Vec<Measure> {
    for instrument in Instrument::ALL.iter().copied() {
        let counts = |m: &Measure| {
            m.instrument == instrument && m.struck_at.is_none() && m.score.total.is_some()
        };
        let Some((base_id, base_total)) = measures
            .iter()
            .filter(|m| counts(m))
            .min_by_key(|m| (m.taken_on, m.id))
            .and_then(|m| Some((m.id, m.score.total?)))
        else {
            continue;
        };
        for m in measures.iter_mut().filter(|m| counts(m) && m.id != base_id) {
            m.change = m
                .score
                .total
                .map(|t| scoring::change(instrument, base_total, t));
        }
    }
    measures
}

/// The client a questionnaire belongs to.
pub fn client_of(conn: &Connection, id: i64) -> Result<i64> {
    conn.query_row("SELECT client_id FROM measure WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or(Error::NotFound("questionnaire"))
}
