//! Follow-ups: nothing falls through between a journey and its integration. Completing a
//! KAP session creates "integration session due"; the therapist adds calls, check-ins and
//! referrals. Each is open, done, or dropped with a reason.

use crate::audit::{Action, EntityKind};
use crate::store::col::{bad, date, stamp};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum FollowUpKind {
    IntegrationSessionDue,
    Call,
    CheckIn,
    Referral,
    Other,
}
str_enum!(FollowUpKind {
    IntegrationSessionDue = "integration_session_due",
    Call = "call",
    CheckIn = "check_in",
    Referral = "referral",
    Other = "other",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum FollowUpStatus {
    Open,
    Done,
    Dropped,
}
str_enum!(FollowUpStatus { Open = "open", Done = "done", Dropped = "dropped" });

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct FollowUpInput {
    pub kind: FollowUpKind,
    pub due_on: NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct FollowUp {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub appointment_id: Option<i64>,
    pub kind: FollowUpKind,
    pub due_on: NaiveDate,
    pub status: FollowUpStatus,
    pub note: String,
    pub drop_reason: Option<String>,
}

fn validate_note(e: &mut FieldErrors, note: &str) {
    e.max_chars("note", "Note", note, 2000);
    e.no_control_chars("note", "Note", note, true);
}

/// Adds a follow-up the therapist sets for a client.
pub fn create(w: &mut Writer<'_>, client_id: i64, input: FollowUpInput) -> Result<i64> {
    crate::clients::require(w.conn(), client_id)?;
    let mut e = FieldErrors::new();
    validate_note(&mut e, &input.note);
    e.record_date("due_on", "The due date", input.due_on);
    e.into_result()?;
    insert(
        w,
        client_id,
        None,
        input.kind,
        input.due_on,
        input.note.trim(),
    )
}

/// The follow-up a completed appointment creates.
pub(crate) fn create_for_appointment(
    w: &mut Writer<'_>,
    client_id: i64,
    appointment_id: i64,
    kind: FollowUpKind,
    due_on: NaiveDate,
) -> Result<i64> {
    insert(w, client_id, Some(appointment_id), kind, due_on, "")
}

fn insert(
    w: &mut Writer<'_>,
    client_id: i64,
    appointment_id: Option<i64>,
    kind: FollowUpKind,
    due_on: NaiveDate,
    note: &str,
) -> Result<i64> {
    let now = stamp(w.now());
    w.conn().execute(
        "INSERT INTO follow_up (client_id, appointment_id, kind, due_on, status, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?6)",
        params![client_id, appointment_id, kind.as_str(), due_on.to_string(), note, now],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::FollowUp, id)?;
    Ok(id)
}

/// Marks an open follow-up done.
pub fn complete(w: &mut Writer<'_>, id: i64) -> Result<()> {
    close(w, id, FollowUpStatus::Done, None)
}

/// Drops an open follow-up; a reason is required.
pub fn drop_with_reason(w: &mut Writer<'_>, id: i64, reason: &str) -> Result<()> {
    let reason = reason.trim();
    let mut e = FieldErrors::new();
    e.required_text("drop_reason", "Reason", reason, 500);
    e.no_control_chars("drop_reason", "Reason", reason, true);
    e.into_result()?;
    close(w, id, FollowUpStatus::Dropped, Some(reason))
}

fn close(w: &mut Writer<'_>, id: i64, status: FollowUpStatus, reason: Option<&str>) -> Result<()> {
    let current: Option<String> = w
        .conn()
        .query_row("SELECT status FROM follow_up WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    match current.as_deref() {
        None => return Err(Error::NotFound("follow-up")),
        Some("open") => {}
        Some(_) => return Err(Error::Conflict("This follow-up is already closed.".into())),
    }
    w.conn().execute(
        "UPDATE follow_up SET status = ?2, drop_reason = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, status.as_str(), reason, stamp(w.now())],
    )?;
    w.audit(Action::Update, EntityKind::FollowUp, id)
}

const SELECT: &str =
    "SELECT f.id, f.client_id, c.legal_name, c.preferred_name, f.appointment_id, f.kind,
    f.due_on, f.status, f.note, f.drop_reason FROM follow_up f JOIN client c ON c.id = f.client_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: r.get(0)?,
        client_id: r.get(1)?,
        legal_name: r.get(2)?,
        preferred_name: r.get(3)?,
        appointment_id: r.get(4)?,
        kind: FollowUpKind::parse(&r.get::<_, String>(5)?)?,
        due_on: date(&r.get::<_, String>(6)?)?,
        status: FollowUpStatus::parse(&r.get::<_, String>(7)?).map_err(|_| bad("status"))?,
        note: r.get(8)?,
        drop_reason: r.get(9)?,
    })
}

/// Open follow-ups due from `from` through `until`, soonest first.
pub fn open_between(conn: &Connection, from: NaiveDate, until: NaiveDate) -> Result<Vec<FollowUp>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE f.status = 'open' AND f.due_on >= ?1 AND f.due_on <= ?2 ORDER BY f.due_on, f.id"
    ))?;
    let rows = stmt
        .query_map([from.to_string(), until.to_string()], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Open follow-ups due before `today`, most overdue first: `limit` of them from `offset`
/// (at most [`MAX_OVERDUE_PAGE`]), and how many there are in all. The list grows with the
/// practice's history, so Home shows a page of it.
pub fn overdue(
    conn: &Connection,
    today: NaiveDate,
    offset: u32,
    limit: u32,
) -> Result<(Vec<FollowUp>, u32)> {
    let limit = limit.clamp(1, MAX_OVERDUE_PAGE);
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE f.status = 'open' AND f.due_on < ?1 ORDER BY f.due_on, f.id LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt
        .query_map(params![today.to_string(), limit, offset], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total: u32 = conn.query_row(
        "SELECT count(*) FROM follow_up WHERE status = 'open' AND due_on < ?1",
        [today.to_string()],
        |r| r.get(0),
    )?;
    Ok((rows, total))
}

/// The most overdue follow-ups one call returns.
pub const MAX_OVERDUE_PAGE: u32 = 100;

/// A client's follow-ups, open ones first, then by due date.
pub fn for_client(conn: &Connection, client_id: i64) -> Result<Vec<FollowUp>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE f.client_id = ?1 ORDER BY f.status <> 'open', f.due_on DESC, f.id DESC"
    ))?;
    let rows = stmt
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
