//! Private process notes: the therapist's own notes of a session (psychotherapy notes,
//! 45 CFR 164.501), one per client and appointment, kept in their own table apart from
//! the session note. They are in no routine disclosure: not in the client's record or
//! data export, an access request's copy, a superbill or a summary for the prescriber,
//! and not in the practice's search. They should hold the therapist's impressions, not
//! what belongs in the session note (medication, session times, modalities, test
//! results, diagnosis, functional status, plan, symptoms, prognosis, progress): the
//! editor says so; the law leaves that judgment to the therapist.

use crate::audit::{Action, EntityKind};
use crate::store::col::{stamp, time};
use crate::store::Writer;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// The most a process note may hold, in characters.
pub const MAX_BODY: usize = 50_000;

/// One session's process notes for one client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ProcessNote {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub appointment_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Refuses unless the client attends the appointment.
fn require_attendee(conn: &Connection, appointment_id: i64, client_id: i64) -> Result<()> {
    let found: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM appointment_attendee WHERE appointment_id = ?1 AND client_id = ?2",
            params![appointment_id, client_id],
            |r| r.get(0),
        )
        .optional()?;
    found.map(drop).ok_or(Error::NotFound("appointment"))
}

/// The process notes of `client_id` for `appointment_id`, if any were written.
///
/// # Errors
/// `Error::NotFound` when the client does not attend the appointment.
pub fn get(conn: &Connection, appointment_id: i64, client_id: i64) -> Result<Option<ProcessNote>> {
    require_attendee(conn, appointment_id, client_id)?;
    let row = conn
        .query_row(
            "SELECT body, created_at, updated_at FROM process_note
             WHERE appointment_id = ?1 AND client_id = ?2",
            params![appointment_id, client_id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?;
    row.map(|(body, c, u)| {
        Ok(ProcessNote {
            appointment_id,
            client_id,
            body,
            created_at: time(&c)?,
            updated_at: time(&u)?,
        })
    })
    .transpose()
}

/// Writes the process notes of `client_id` for `appointment_id` (creating them the first
/// time); each save is audited as the process note's create or update.
///
/// # Errors
/// `Error::NotFound` when the client does not attend the appointment; `Error::Invalid`
/// on `body` when it is longer than [`MAX_BODY`] or holds control characters.
pub fn save(
    w: &mut Writer<'_>,
    appointment_id: i64,
    client_id: i64,
    body: &str,
) -> Result<ProcessNote> {
    require_attendee(w.conn(), appointment_id, client_id)?;
    let mut e = FieldErrors::new();
    e.max_chars("body", "Process notes", body, MAX_BODY);
    e.no_control_chars("body", "Process notes", body, true);
    e.into_result()?;
    let now = stamp(w.now());
    let existing: Option<i64> = w
        .conn()
        .query_row(
            "SELECT id FROM process_note WHERE appointment_id = ?1 AND client_id = ?2",
            params![appointment_id, client_id],
            |r| r.get(0),
        )
        .optional()?;
    let (id, action) = match existing {
        Some(id) => {
            w.conn().execute(
                "UPDATE process_note SET body = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, body, now],
            )?;
            (id, Action::Update)
        }
        None => {
            w.conn().execute(
                "INSERT INTO process_note (appointment_id, client_id, body, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![appointment_id, client_id, body, now],
            )?;
            (w.conn().last_insert_rowid(), Action::Create)
        }
    };
    w.audit(action, EntityKind::ProcessNote, id)?;
    get(w.conn(), appointment_id, client_id)?.ok_or(Error::Internal("a saved process note is gone"))
}
