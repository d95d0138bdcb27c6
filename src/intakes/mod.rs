//! Intakes: the mental-health intake with the therapist and the medical intake with a
//! prescriber, and the contraindication screening attached to a medical intake.

mod screening;

pub use screening::{
    add_item, list_items, record_screening, screenings_for_intake, set_item_enabled, Answer,
    ContraindicationItem, Override, Screening, ScreeningAnswer, ScreeningAnswerInput,
    ScreeningInput,
};

use crate::audit::{Action, EntityKind};
use crate::prescribers;
use crate::store::col::{date, stamp, time};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum IntakeKind {
    /// With the therapist.
    MentalHealth,
    /// With a prescriber, off-site; recorded for clearance.
    Medical,
}

str_enum!(IntakeKind { MentalHealth = "mental_health", Medical = "medical" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum IntakeOutcome {
    Cleared,
    NotCleared,
    Pending,
}

str_enum!(IntakeOutcome { Cleared = "cleared", NotCleared = "not_cleared", Pending = "pending" });

/// What a user records for an intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct IntakeInput {
    pub kind: IntakeKind,
    pub date: NaiveDate,
    /// Who conducted it. For a medical intake the prescriber's name is used.
    pub clinician: String,
    /// Required for a medical intake; none for a mental-health intake.
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub prescriber_id: Option<i64>,
    pub duration_minutes: u32,
    pub outcome: IntakeOutcome,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Intake {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    #[serde(flatten)]
    pub details: IntakeInput,
    /// The screenings of a medical intake, newest first; the first one counts.
    pub screenings: Vec<Screening>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn validated(conn: &Connection, mut i: IntakeInput, today: NaiveDate) -> Result<IntakeInput> {
    let mut e = FieldErrors::new();
    i.clinician = i.clinician.trim().to_owned();
    if i.date > today {
        e.add(
            "date",
            "An intake is recorded after it took place: the date cannot be in the future.",
        );
    }
    e.record_date("date", "The intake date", i.date);
    if !(5..=480).contains(&i.duration_minutes) {
        e.add(
            "duration_minutes",
            "Duration must be between 5 and 480 minutes.",
        );
    }
    e.max_chars("notes", "Notes", &i.notes, crate::clients::MAX_NOTES_CHARS);
    e.no_control_chars("notes", "Notes", &i.notes, true);
    match (i.kind, i.prescriber_id) {
        (IntakeKind::Medical, None) => e.add(
            "prescriber_id",
            "Choose the prescriber who did the medical intake.",
        ),
        (IntakeKind::Medical, Some(id)) => {
            prescribers::require_active(conn, id, "prescriber_id", &mut e)?;
            if let Ok(p) = prescribers::get(conn, id) {
                i.clinician = p.display();
            }
        }
        (IntakeKind::MentalHealth, Some(_)) => e.add(
            "prescriber_id",
            "A mental-health intake is done by the therapist, not a prescriber.",
        ),
        (IntakeKind::MentalHealth, None) => {
            e.required_text("clinician", "Clinician", &i.clinician, 200);
            e.no_control_chars("clinician", "Clinician", &i.clinician, false);
        }
    }
    e.into_result()?;
    Ok(i)
}

pub fn create(
    w: &mut Writer<'_>,
    client_id: i64,
    input: IntakeInput,
    today: NaiveDate,
) -> Result<i64> {
    crate::clients::require(w.conn(), client_id)?;
    let i = validated(w.conn(), input, today)?;
    let now = stamp(w.now());
    w.conn().execute(
        "INSERT INTO intake (client_id, kind, date, clinician, prescriber_id, duration_minutes,
            outcome, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            client_id,
            i.kind.as_str(),
            i.date.to_string(),
            i.clinician,
            i.prescriber_id,
            i.duration_minutes,
            i.outcome.as_str(),
            i.notes,
            now
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Intake, id)?;
    crate::billing::charge_intake(w, id, client_id, i.kind, i.date)?;
    Ok(id)
}

/// Updates an intake, e.g. a pending outcome that became cleared. Its kind cannot change.
pub fn update(w: &mut Writer<'_>, id: i64, input: IntakeInput, today: NaiveDate) -> Result<()> {
    let current = get(w.conn(), id)?;
    if current.details.kind != input.kind {
        return Err(Error::invalid(
            "kind",
            "An intake's kind cannot change; record a new intake instead.",
        ));
    }
    let i = validated(w.conn(), input, today)?;
    w.conn().execute(
        "UPDATE intake SET date = ?2, clinician = ?3, prescriber_id = ?4, duration_minutes = ?5,
            outcome = ?6, notes = ?7, updated_at = ?8 WHERE id = ?1",
        params![
            id,
            i.date.to_string(),
            i.clinician,
            i.prescriber_id,
            i.duration_minutes,
            i.outcome.as_str(),
            i.notes,
            stamp(w.now())
        ],
    )?;
    w.audit(Action::Update, EntityKind::Intake, id)?;
    crate::billing::move_intake_charge(w, id, i.date)
}

const COLUMNS: &str = "id, client_id, kind, date, clinician, prescriber_id, duration_minutes, outcome, notes, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Intake> {
    Ok(Intake {
        id: r.get(0)?,
        client_id: r.get(1)?,
        details: IntakeInput {
            kind: IntakeKind::parse(&r.get::<_, String>(2)?)?,
            date: date(&r.get::<_, String>(3)?)?,
            clinician: r.get(4)?,
            prescriber_id: r.get(5)?,
            duration_minutes: r.get(6)?,
            outcome: IntakeOutcome::parse(&r.get::<_, String>(7)?)?,
            notes: r.get(8)?,
        },
        screenings: Vec::new(),
        created_at: time(&r.get::<_, String>(9)?)?,
        updated_at: time(&r.get::<_, String>(10)?)?,
    })
}

pub fn get(conn: &Connection, id: i64) -> Result<Intake> {
    let mut intake = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM intake WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or(Error::NotFound("intake"))?;
    intake.screenings = screenings_for_intake(conn, id)?;
    Ok(intake)
}

/// A client's intakes, newest first, each with its screenings.
pub fn for_client(conn: &Connection, client_id: i64) -> Result<Vec<Intake>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM intake WHERE client_id = ?1 ORDER BY date DESC, id DESC"
    ))?;
    let mut intakes = stmt
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for i in &mut intakes {
        if i.details.kind == IntakeKind::Medical {
            i.screenings = screenings_for_intake(conn, i.id)?;
        }
    }
    Ok(intakes)
}

/// The client an intake belongs to.
pub fn client_of(conn: &Connection, intake_id: i64) -> Result<i64> {
    conn.query_row(
        "SELECT client_id FROM intake WHERE id = ?1",
        [intake_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(Error::NotFound("intake"))
}
