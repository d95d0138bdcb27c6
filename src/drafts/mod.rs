//! Form drafts: what the therapist has typed into a form and not saved yet.
//!
//! Every form with free text (session notes, amendments, intakes, screenings, the client
//! form, follow-ups) saves its fields here as she types, so that nothing typed is lost to
//! a lock, a navigation or a crash. Drafts live in the encrypted database, never in the
//! webview's own storage, whose files on disk are not encrypted.
//!
//! A draft is the form's fields exactly as typed (a JSON object the UI owns), because a
//! half-typed time or amount would not pass the record's own validation. It is not part of
//! the clinical record: it becomes one only when the form is saved, and is then discarded.
//!
//! Invariants: one draft per form and target; the target names the record by ids only, so
//! the audit log and the table's keys hold no typed text; every save and discard is
//! audited, and a run of saves of one draft while she types is one audit row.

use crate::audit::{Action, EntityKind};
use crate::store::col::{stamp, time as parse_time};
use crate::store::{Store, Writer};
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// The most a draft's fields may hold, in bytes of JSON: more than any form's limits.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// The longest target.
pub const MAX_TARGET_CHARS: usize = 80;

/// Which form a draft belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum DraftForm {
    SessionNote,
    Amendment,
    Intake,
    Screening,
    Client,
    FollowUp,
    /// Private process notes of one session (`appointment:<id>:client:<id>`).
    ProcessNote,
}
crate::str_enum::str_enum!(DraftForm {
    SessionNote = "session_note",
    Amendment = "amendment",
    Intake = "intake",
    Screening = "screening",
    Client = "client",
    FollowUp = "follow_up",
    ProcessNote = "process_note",
});

/// Which draft: a form and the record it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DraftKey {
    pub form: DraftForm,
    /// The record, by ids only: lower-case letters, digits, `:`, `_` and `-`, such as
    /// `appointment:12:client:3` or `new`.
    pub target: String,
}

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Draft {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub form: DraftForm,
    pub target: String,
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub client_id: Option<i64>,
    /// The form's fields as typed: a JSON object.
    pub body: String,
    pub updated_at: DateTime<Utc>,
}

/// Checks a key and a body; nothing here echoes what was typed.
pub fn validate(key: &DraftKey, body: &str) -> Result<()> {
    let mut e = FieldErrors::new();
    check_target(&mut e, &key.target);
    if body.len() > MAX_BODY_BYTES {
        e.add(
            "body",
            "This draft is too long to keep; shorten the text or save the form.",
        );
    } else if !matches!(
        serde_json::from_str::<serde_json::Value>(body),
        Ok(serde_json::Value::Object(_))
    ) {
        e.add("body", "A draft holds a form's fields.");
    }
    e.into_result()
}

fn check_target(e: &mut FieldErrors, target: &str) {
    let shape = !target.is_empty()
        && target.chars().count() <= MAX_TARGET_CHARS
        && target
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, ':' | '_' | '-'));
    if !shape {
        e.add(
            "target",
            "A draft's target names a record by its ids only (letters a–z, digits, ':', '_', '-').",
        );
    }
}

/// Saves (creates or replaces) the draft for `key`, linked to `client_id` when the form is
/// about a client. Returns the draft as stored.
pub fn save(
    w: &mut Writer<'_>,
    key: &DraftKey,
    client_id: Option<i64>,
    body: &str,
) -> Result<Draft> {
    validate(key, body)?;
    if let Some(id) = client_id {
        crate::clients::require(w.conn(), id)?;
    }
    let now = stamp(w.now());
    let existing: Option<i64> = w
        .conn()
        .query_row(
            "SELECT id FROM form_draft WHERE form = ?1 AND target = ?2",
            params![key.form.as_str(), key.target],
            |r| r.get(0),
        )
        .optional()?;
    let id = match existing {
        Some(id) => {
            w.conn().execute(
                "UPDATE form_draft SET body = ?2, client_id = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, body, client_id, now],
            )?;
            w.audit_coalesced(Action::Update, EntityKind::Draft, id)?;
            id
        }
        None => {
            w.conn().execute(
                "INSERT INTO form_draft (form, target, client_id, body, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![key.form.as_str(), key.target, client_id, body, now],
            )?;
            let id = w.conn().last_insert_rowid();
            w.audit(Action::Create, EntityKind::Draft, id)?;
            id
        }
    };
    get_by_id(w.conn(), id)
}

/// The draft for `key`, if one is kept.
pub fn get(conn: &Connection, key: &DraftKey) -> Result<Option<Draft>> {
    let mut e = FieldErrors::new();
    check_target(&mut e, &key.target);
    e.into_result()?;
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM form_draft WHERE form = ?1 AND target = ?2",
            params![key.form.as_str(), key.target],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| get_by_id(conn, id)).transpose()
}

fn get_by_id(conn: &Connection, id: i64) -> Result<Draft> {
    let (form, target, client_id, body, updated): (String, String, Option<i64>, String, String) =
        conn.query_row(
            "SELECT form, target, client_id, body, updated_at FROM form_draft WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
    Ok(Draft {
        id,
        form: DraftForm::parse(&form)?,
        target,
        client_id,
        body,
        updated_at: parse_time(&updated)?,
    })
}

/// Throws the draft for `key` away (the form was saved, or the therapist chose to discard
/// it), audited. [`Error::NotFound`] when there is none.
pub fn discard(w: &mut Writer<'_>, key: &DraftKey) -> Result<()> {
    let draft = get(w.conn(), key)?.ok_or(Error::NotFound("draft"))?;
    w.conn()
        .execute("DELETE FROM form_draft WHERE id = ?1", [draft.id])?;
    w.audit(Action::Discard, EntityKind::Draft, draft.id)
}

/// Discards the draft for `key` if there is one; returns whether there was. Discarding
/// nothing writes nothing (a form saved without a draft, such as one saved at once).
pub fn discard_if_any(store: &Store, key: &DraftKey) -> Result<bool> {
    if store.read(|c| get(c, key))?.is_none() {
        return Ok(false);
    }
    match store.write(|w| discard(w, key)) {
        Ok(()) => Ok(true),
        Err(Error::NotFound(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// What the therapist has left unsaved, newest first: for the home page and a client's
/// page (with `client_id`). Bodies are left out.
pub fn list(conn: &Connection, client_id: Option<i64>) -> Result<Vec<DraftSummary>> {
    let mut stmt = conn.prepare(
        "SELECT d.id, d.form, d.target, d.client_id, c.legal_name, c.preferred_name, d.updated_at
         FROM form_draft d LEFT JOIN client c ON c.id = d.client_id
         WHERE ?1 IS NULL OR d.client_id = ?1
         ORDER BY d.updated_at DESC, d.id DESC LIMIT 100",
    )?;
    let rows = stmt
        .query_map([client_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, form, target, client_id, legal, preferred, updated)| {
            Ok(DraftSummary {
                id,
                form: DraftForm::parse(&form)?,
                target,
                client_id,
                legal_name: legal,
                preferred_name: preferred,
                updated_at: parse_time(&updated)?,
            })
        })
        .collect()
}

/// A draft without its fields, to list what is unsaved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DraftSummary {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub form: DraftForm,
    pub target: String,
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub client_id: Option<i64>,
    pub legal_name: Option<String>,
    pub preferred_name: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(target: &str) -> DraftKey {
        DraftKey {
            form: DraftForm::SessionNote,
            target: target.into(),
        }
    }

    #[test]
    fn targets_hold_ids_only() {
        for ok in ["new", "appointment:12:client:3", "client:7", "note_4-amend"] {
            assert!(
                validate(&key(ok), "{}").is_ok(),
                "{ok} names a record by ids"
            );
        }
        let long = "a".repeat(MAX_TARGET_CHARS + 1);
        for bad in [
            "",
            "Client:7",
            "client 7",
            "María",
            "a/b",
            "x\u{0}",
            long.as_str(),
        ] {
            assert!(
                validate(&key(bad), "{}").is_err(),
                "{bad:?} could carry typed text"
            );
        }
    }

    #[test]
    fn bodies_are_bounded_json_objects() {
        assert!(validate(&key("new"), r#"{"intention":"À la fois"}"#).is_ok());
        for bad in ["", "[]", "\"text\"", "{", "null"] {
            assert!(validate(&key("new"), bad).is_err(), "{bad:?} is not a form");
        }
        let huge = format!(r#"{{"t":"{}"}}"#, "x".repeat(MAX_BODY_BYTES));
        assert!(validate(&key("new"), &huge).is_err(), "bounded in size");
    }
}
