//! Contraindication screening: a checklist (data, not code) answered yes, no or unknown
//! with a note per item, at a medical intake. A "yes" or "unknown" blocks clearance unless
//! a prescriber records an override with a written rationale and a date. A screening is
//! final once recorded; a later one supersedes it.

use crate::audit::{Action, EntityKind};
use crate::prescribers;
use crate::store::col::{date, stamp, time};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::{clean_optional, FieldErrors};
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// One item of the practice's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ContraindicationItem {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub code: String,
    pub label: String,
    /// Whether new screenings ask about it.
    pub enabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Answer {
    Yes,
    No,
    Unknown,
}

str_enum!(Answer { Yes = "yes", No = "no", Unknown = "unknown" });

/// A prescriber's decision that a positive or unknown item does not block KAP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Override {
    pub rationale: String,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub prescriber_id: i64,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ScreeningAnswerInput {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub item_id: i64,
    pub answer: Answer,
    pub note: Option<String>,
    #[serde(rename = "override")]
    #[cfg_attr(feature = "ts-export", ts(rename = "override"))]
    pub override_: Option<Override>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ScreeningInput {
    pub screened_on: NaiveDate,
    /// One answer for every enabled checklist item.
    pub answers: Vec<ScreeningAnswerInput>,
}

/// A recorded answer, with the item's label as it was when screened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ScreeningAnswer {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub item_id: i64,
    pub label: String,
    pub answer: Answer,
    pub note: Option<String>,
    #[serde(rename = "override")]
    #[cfg_attr(feature = "ts-export", ts(rename = "override"))]
    pub override_: Option<Override>,
    /// The overriding prescriber's name and credentials, for display.
    pub override_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Screening {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub intake_id: i64,
    pub screened_on: NaiveDate,
    pub answers: Vec<ScreeningAnswer>,
    pub created_at: DateTime<Utc>,
}

/// The whole checklist in order, enabled and not.
pub fn list_items(conn: &Connection) -> Result<Vec<ContraindicationItem>> {
    let mut stmt = conn
        .prepare("SELECT id, code, label, enabled FROM contraindication ORDER BY position, id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ContraindicationItem {
                id: r.get(0)?,
                code: r.get(1)?,
                label: r.get(2)?,
                enabled: r.get::<_, i64>(3)? == 1,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Switches an item on or off for future screenings.
pub fn set_item_enabled(w: &mut Writer<'_>, id: i64, enabled: bool) -> Result<()> {
    let n = w.conn().execute(
        "UPDATE contraindication SET enabled = ?2 WHERE id = ?1",
        params![id, i64::from(enabled)],
    )?;
    if n == 0 {
        return Err(Error::NotFound("checklist item"));
    }
    w.audit(Action::Update, EntityKind::Contraindication, id)
}

/// Adds a practice-defined item to the checklist, switched on.
pub fn add_item(w: &mut Writer<'_>, label: &str) -> Result<i64> {
    let label = label.trim();
    let mut e = FieldErrors::new();
    e.required_text("label", "Item", label, 200);
    e.no_control_chars("label", "Item", label, false);
    e.into_result()?;
    let exists: Option<i64> = w
        .conn()
        .query_row(
            "SELECT id FROM contraindication WHERE lower(label) = lower(?1)",
            [label],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(Error::invalid(
            "label",
            "The checklist already has this item.",
        ));
    }
    let (next_id, position): (i64, i64) = w.conn().query_row(
        "SELECT coalesce(max(id), 0) + 1, coalesce(max(position), 0) + 10 FROM contraindication",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    w.conn().execute(
        "INSERT INTO contraindication (id, code, label, enabled, position) VALUES (?1, ?2, ?3, 1, ?4)",
        params![next_id, format!("practice_{next_id}"), label, position],
    )?;
    w.audit(Action::Create, EntityKind::Contraindication, next_id)?;
    Ok(next_id)
}

/// Records a screening of a medical intake. Every enabled item must be answered exactly
/// once; an override only for a "yes" or "unknown", with a rationale, an active
/// prescriber and a date no later than today.
pub fn record_screening(
    w: &mut Writer<'_>,
    intake_id: i64,
    input: ScreeningInput,
    today: NaiveDate,
) -> Result<i64> {
    let kind: Option<String> = w
        .conn()
        .query_row("SELECT kind FROM intake WHERE id = ?1", [intake_id], |r| {
            r.get(0)
        })
        .optional()?;
    match kind.as_deref() {
        None => return Err(Error::NotFound("intake")),
        Some("medical") => {}
        Some(_) => {
            return Err(Error::invalid(
                "intake_id",
                "Contraindications are screened at the medical intake.",
            ))
        }
    }
    let items = list_items(w.conn())?;
    let mut e = FieldErrors::new();
    if input.screened_on > today {
        e.add("screened_on", "The screening date cannot be in the future.");
    }
    e.record_date("screened_on", "The screening date", input.screened_on);
    let mut answers = Vec::with_capacity(input.answers.len());
    for a in input.answers {
        let field = format!("answers.{}", a.item_id);
        let Some(item) = items.iter().find(|it| it.id == a.item_id) else {
            e.add(&field, "This item is not on the checklist.");
            continue;
        };
        if !item.enabled {
            e.add(&field, "This item is switched off in the checklist.");
        }
        if answers
            .iter()
            .any(|(it, _): &(&ContraindicationItem, _)| it.id == a.item_id)
        {
            e.add(field, "Each item is answered once.");
        }
        let note = clean_optional(a.note);
        if let Some(n) = &note {
            e.max_chars(&format!("answers.{}.note", a.item_id), "Note", n, 2000);
            e.no_control_chars(&format!("answers.{}.note", a.item_id), "Note", n, true);
        }
        let ov = match a.override_ {
            Some(mut o) => {
                let f = format!("answers.{}.override", a.item_id);
                o.rationale = o.rationale.trim().to_owned();
                if a.answer == Answer::No {
                    e.add(
                        &f,
                        "Only a \"yes\" or \"unknown\" answer can be overridden.",
                    );
                }
                e.required_text(&format!("{f}.rationale"), "Rationale", &o.rationale, 4000);
                e.no_control_chars(&format!("{f}.rationale"), "Rationale", &o.rationale, true);
                prescribers::require_active(
                    w.conn(),
                    o.prescriber_id,
                    &format!("{f}.prescriber_id"),
                    &mut e,
                )?;
                if o.date > today {
                    e.add(
                        format!("{f}.date"),
                        "The override date cannot be in the future.",
                    );
                }
                Some(o)
            }
            None => None,
        };
        answers.push((item, (a.answer, note, ov)));
    }
    for item in items.iter().filter(|it| it.enabled) {
        if !answers.iter().any(|(it, _)| it.id == item.id) {
            e.add(format!("answers.{}", item.id), "Answer yes, no or unknown.");
        }
    }
    e.into_result()?;

    w.conn().execute(
        "INSERT INTO screening (intake_id, screened_on, created_at) VALUES (?1, ?2, ?3)",
        params![intake_id, input.screened_on.to_string(), stamp(w.now())],
    )?;
    let id = w.conn().last_insert_rowid();
    for (item, (answer, note, ov)) in &answers {
        w.conn().execute(
            "INSERT INTO screening_answer (screening_id, contraindication_id, label, answer, note,
                override_rationale, override_prescriber_id, override_date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                item.id,
                item.label,
                answer.as_str(),
                note,
                ov.as_ref().map(|o| o.rationale.as_str()),
                ov.as_ref().map(|o| o.prescriber_id),
                ov.as_ref().map(|o| o.date.to_string()),
            ],
        )?;
    }
    w.audit(Action::Create, EntityKind::Screening, id)?;
    Ok(id)
}

/// The screenings of one intake, newest first.
pub fn screenings_for_intake(conn: &Connection, intake_id: i64) -> Result<Vec<Screening>> {
    let mut stmt = conn.prepare(
        "SELECT id, screened_on, created_at FROM screening WHERE intake_id = ?1 ORDER BY id DESC",
    )?;
    let heads = stmt
        .query_map([intake_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut answers_stmt = conn.prepare(
        "SELECT a.contraindication_id, a.label, a.answer, a.note, a.override_rationale,
                a.override_prescriber_id, a.override_date, p.name, p.credentials
         FROM screening_answer a
         JOIN contraindication c ON c.id = a.contraindication_id
         LEFT JOIN prescriber p ON p.id = a.override_prescriber_id
         WHERE a.screening_id = ?1 ORDER BY c.position, c.id",
    )?;
    let mut out = Vec::with_capacity(heads.len());
    for (id, screened_on, created_at) in heads {
        let answers = answers_stmt
            .query_map([id], |r| {
                let rationale: Option<String> = r.get(4)?;
                let override_ = match rationale {
                    Some(rationale) => Some(Override {
                        rationale,
                        prescriber_id: r.get(5)?,
                        date: date(&r.get::<_, String>(6)?)?,
                    }),
                    None => None,
                };
                let by = match (
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ) {
                    (Some(n), Some(c)) => Some(format!("{n}, {c}")),
                    _ => None,
                };
                Ok(ScreeningAnswer {
                    item_id: r.get(0)?,
                    label: r.get(1)?,
                    answer: Answer::parse(&r.get::<_, String>(2)?)?,
                    note: r.get(3)?,
                    override_,
                    override_by: by,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(Screening {
            id,
            intake_id,
            screened_on: date(&screened_on)?,
            answers,
            created_at: time(&created_at)?,
        });
    }
    Ok(out)
}
