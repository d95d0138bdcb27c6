//! The notice of privacy practices (45 CFR 164.520): the practice's own text, kept in
//! its settings with the date it was last revised, printable, and each client's
//! acknowledgment of receiving it, or, when they would not sign, the good-faith effort
//! made (164.520(c)(2)(ii)). Acknowledgments are kept with the record (six years,
//! 164.530(j), like the rest of it).

use super::Acknowledgment;
use crate::audit::{Action, EntityKind};
use crate::store::col::{date, stamp};
use crate::store::Writer;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

/// The most the notice may hold, in characters.
pub const MAX_TEXT: usize = 100_000;

/// The practice's notice and when it was last revised; empty until written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Notice {
    /// `# ` title, `## ` headings, `- ` bullets, paragraphs between blank lines.
    pub text: String,
    pub revised_on: Option<NaiveDate>,
}

/// The practice's notice.
pub fn get(conn: &Connection) -> Result<Notice> {
    let (text, revised): (Option<String>, Option<String>) = conn.query_row(
        "SELECT privacy_notice, privacy_notice_revised_on FROM practice WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Notice {
        text: text.unwrap_or_default(),
        revised_on: revised.map(|d| date(&d)).transpose()?,
    })
}

/// Saves the practice's notice, revised on `revised_on`.
///
/// # Errors
/// `Error::Invalid` for an empty text, one longer than [`MAX_TEXT`] or holding control
/// characters, or a revision date missing or in the future.
pub fn set(w: &mut Writer<'_>, notice: &Notice, today: NaiveDate) -> Result<()> {
    let mut e = FieldErrors::new();
    e.required_text("text", "The notice", &notice.text, MAX_TEXT);
    e.no_control_chars("text", "The notice", &notice.text, true);
    match notice.revised_on {
        None => e.add("revised_on", "Give the date the notice was last revised."),
        Some(d) if d > today => e.add("revised_on", "The revision date cannot be in the future."),
        Some(d) => e.record_date("revised_on", "The revision date", d),
    }
    e.into_result()?;
    w.conn().execute(
        "UPDATE practice SET privacy_notice = ?1, privacy_notice_revised_on = ?2 WHERE id = 1",
        params![notice.text, notice.revised_on.map(|d| d.to_string())],
    )?;
    w.audit(Action::Update, EntityKind::Practice, 1)
}

/// How a client was given the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AcknowledgmentInput {
    pub on: NaiveDate,
    pub outcome: Acknowledgment,
    /// The good-faith effort when the client declined to sign; optional otherwise.
    pub note: Option<String>,
}

/// A client's acknowledgment, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AcknowledgmentRecord {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    /// The revision of the notice the client was given.
    pub notice_revised_on: NaiveDate,
    pub on: NaiveDate,
    pub outcome: Acknowledgment,
    pub note: Option<String>,
}

/// Records that `client_id` was given the practice's current notice.
///
/// # Errors
/// `Error::NotFound` for an unknown client; `Error::Conflict` when the practice has no
/// notice yet; `Error::Invalid` for a date in the future or before the notice's
/// revision, or a declined acknowledgment without the effort made.
pub fn acknowledge(
    w: &mut Writer<'_>,
    client_id: i64,
    input: AcknowledgmentInput,
    today: NaiveDate,
) -> Result<i64> {
    crate::clients::require(w.conn(), client_id)?;
    let Some(revised) = get(w.conn())?.revised_on else {
        return Err(Error::Conflict(
            "Write the practice's notice of privacy practices in Settings first.".into(),
        ));
    };
    let note = crate::validate::clean_optional(input.note);
    let mut e = FieldErrors::new();
    e.record_date("on", "The date", input.on);
    if input.on > today {
        e.add("on", "The date cannot be in the future.");
    } else if input.on < revised {
        e.add("on", "The date is before the notice's current revision.");
    }
    if let Some(n) = &note {
        e.max_chars("note", "Note", n, 2000);
        e.no_control_chars("note", "Note", n, true);
    } else if input.outcome == Acknowledgment::Declined {
        e.add("note", "Say what was done to obtain the acknowledgment.");
    }
    e.into_result()?;
    w.conn().execute(
        "INSERT INTO privacy_acknowledgment (client_id, notice_revised_on, acknowledged_on,
             outcome, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            client_id,
            revised.to_string(),
            input.on.to_string(),
            input.outcome.as_str(),
            note,
            stamp(w.now())
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::PrivacyAcknowledgment, id)?;
    Ok(id)
}

/// A client's acknowledgments, newest first.
pub fn for_client(conn: &Connection, client_id: i64) -> Result<Vec<AcknowledgmentRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, notice_revised_on, acknowledged_on, outcome, note FROM privacy_acknowledgment
         WHERE client_id = ?1 ORDER BY acknowledged_on DESC, id DESC",
    )?;
    let rows = stmt.query_map([client_id], |r| {
        Ok(AcknowledgmentRecord {
            id: r.get(0)?,
            notice_revised_on: date(&r.get::<_, String>(1)?)?,
            on: date(&r.get::<_, String>(2)?)?,
            outcome: Acknowledgment::parse(&r.get::<_, String>(3)?)?,
            note: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
