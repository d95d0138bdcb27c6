//! Settings → Activity: the audit log read back, newest first, a page at a time, with
//! filters (one client, a date range, an action, where it came from).
//!
//! The log itself holds no names; the client a row concerns is found through the record
//! it names (an appointment's attendees, a note's client, ...) and its name is resolved
//! here only for the rows of the page being shown. Every filter is answered through an
//! index, so a page stays quick at a decade of records (`benches/decade.rs`).

use crate::audit::{Action, Source};
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{params_from_iter, types::Value, Connection};
use serde::{Deserialize, Serialize};

/// Rows per page.
pub const PAGE: i64 = 50;

/// What to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct ActivityQuery {
    /// Only rows about this client's records.
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional, type = "number"))]
    pub client_id: Option<i64>,
    /// From this day (in the practice's time zone), inclusive.
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub from: Option<NaiveDate>,
    /// To this day (in the practice's time zone), inclusive.
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub to: Option<NaiveDate>,
    /// Only this action (`view`, `export`, `update`, ...).
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub action: Option<String>,
    /// Only this source (`window`, `cli`, `automatic_backup`).
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub source: Option<String>,
    /// The page after this one: rows older than this sequence number.
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional, type = "number"))]
    pub before_seq: Option<i64>,
}

/// One row of the log, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ActivityRow {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub action: String,
    pub entity_kind: String,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub entity_id: i64,
    /// Where it came from; None for rows written before sources were recorded.
    pub source: Option<String>,
    /// The client the row concerns, when it concerns one.
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub client_id: Option<i64>,
    /// That client's name, resolved for the screen only.
    pub client_name: Option<String>,
}

/// A page of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ActivityPage {
    pub rows: Vec<ActivityRow>,
    /// Pass as `before_seq` for the next (older) page; None when this is the last.
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub next_before: Option<i64>,
}

/// How the client a row concerns is found, per kind of record: the rows to look in, the
/// column holding the record's id, and the one holding its client. One table, read both
/// ways: a row's client (for the page) and a client's records (for the filter).
const CLIENT_OF: &[(&str, &str, &str, &str)] = &[
    ("intake", "intake", "id", "client_id"),
    (
        "screening",
        "screening s JOIN intake i ON i.id = s.intake_id",
        "s.id",
        "i.client_id",
    ),
    ("prescription", "prescription", "id", "client_id"),
    ("consent", "consent", "id", "client_id"),
    // A group session has several clients: the row shows the first, the filter finds
    // it under each.
    (
        "appointment",
        "appointment_attendee",
        "appointment_id",
        "client_id",
    ),
    ("session_note", "session_note", "id", "client_id"),
    (
        "amendment",
        "amendment a JOIN session_note n ON n.id = a.note_id",
        "a.id",
        "n.client_id",
    ),
    ("follow_up", "follow_up", "id", "client_id"),
    ("measure", "measure", "id", "client_id"),
    ("safety_assessment", "safety_assessment", "id", "client_id"),
    ("charge", "charge", "id", "client_id"),
    ("invoice", "invoice", "id", "client_id"),
    ("payment", "payment", "id", "client_id"),
    ("access_request", "access_request", "id", "client_id"),
    ("authorization", "authorization", "id", "client_id"),
    ("disclosure_entry", "disclosure_entry", "id", "client_id"),
    ("process_note", "process_note", "id", "client_id"),
    (
        "privacy_acknowledgment",
        "privacy_acknowledgment",
        "id",
        "client_id",
    ),
    ("draft", "form_draft", "id", "client_id"),
];

/// The UTC instant a day in `tz` starts (the earliest, across a DST change).
fn day_start(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    match tz.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.with_timezone(&Utc)
        }
        // Midnight skipped by a DST change: the day starts an hour later.
        chrono::LocalResult::None => tz
            .from_local_datetime(&(midnight + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| midnight.and_utc()),
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    crate::store::col::stamp(t)
}

/// Checks a query: known action and source, a range that runs forwards.
fn check(q: &ActivityQuery) -> Result<()> {
    let mut e = crate::validate::FieldErrors::new();
    if let Some(a) = &q.action {
        if !Action::ALL.iter().any(|x| x.as_str() == a) {
            e.add("action", "Choose an action from the list.");
        }
    }
    if let Some(s) = &q.source {
        if !Source::ALL.iter().any(|x| x.as_str() == s) {
            e.add("source", "Choose where from the list.");
        }
    }
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if t < f {
            e.add("to", "The end date is before the start date.");
        }
    }
    if q.client_id.is_some_and(|c| c <= 0) || q.before_seq.is_some_and(|s| s <= 0) {
        return Err(Error::NotFound("client"));
    }
    e.into_result()
}

/// A page of the log, newest first.
pub fn page(conn: &Connection, q: &ActivityQuery) -> Result<ActivityPage> {
    check(q)?;
    let tz = crate::practice::tz(conn)?;
    let mut wheres: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let arg = |v: Value, args: &mut Vec<Value>| {
        args.push(v);
        format!("?{}", args.len())
    };
    // With days to filter by, the page is ordered by time (then entry), which the time
    // index gives directly; otherwise by entry. The two agree but for a clock set back.
    let by_time = q.from.is_some() || q.to.is_some();
    if let Some(before) = q.before_seq {
        let p = arg(Value::Integer(before), &mut args);
        if by_time {
            wheres.push(format!(
                "(l.at, l.seq) < ((SELECT at FROM audit_log WHERE seq = {p}), {p})"
            ));
        } else {
            wheres.push(format!("l.seq < {p}"));
        }
    }
    if let Some(from) = q.from {
        let p = arg(Value::Text(stamp(day_start(tz, from))), &mut args);
        wheres.push(format!("l.at >= {p}"));
    }
    if let Some(to) = q.to {
        let next = to.succ_opt().unwrap_or(to);
        let p = arg(Value::Text(stamp(day_start(tz, next))), &mut args);
        wheres.push(format!("l.at < {p}"));
    }
    if let Some(a) = &q.action {
        let p = arg(Value::Text(a.clone()), &mut args);
        wheres.push(format!("l.action = {p}"));
    }
    if let Some(s) = &q.source {
        let p = arg(Value::Text(s.clone()), &mut args);
        wheres.push(format!("l.source = {p}"));
    }
    if let Some(c) = q.client_id {
        let p = arg(Value::Integer(c), &mut args);
        let mut any = vec![format!("(l.entity_kind = 'client' AND l.entity_id = {p})")];
        for (kind, from, id, client) in CLIENT_OF {
            any.push(format!(
                "(l.entity_kind = '{kind}' AND l.entity_id IN (SELECT {id} FROM {from} WHERE {client} = {p}))"
            ));
        }
        // Documents and exports name their client in the disclosure record.
        any.push(format!(
            "l.seq IN (SELECT audit_seq FROM disclosure WHERE client_id = {p})"
        ));
        wheres.push(format!("({})", any.join(" OR ")));
    }
    let sql = format!(
        "SELECT l.seq, l.at, l.action, l.entity_kind, l.entity_id, l.source
         FROM audit_log l {} ORDER BY {} LIMIT {}",
        if wheres.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", wheres.join(" AND "))
        },
        if by_time {
            "l.at DESC, l.seq DESC"
        } else {
            "l.seq DESC"
        },
        PAGE + 1
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows: Vec<ActivityRow> = stmt
        .query_map(params_from_iter(args.iter()), |r| {
            Ok(ActivityRow {
                seq: r.get(0)?,
                at: crate::store::col::time(&r.get::<_, String>(1)?)?,
                action: r.get(2)?,
                entity_kind: r.get(3)?,
                entity_id: r.get(4)?,
                source: r.get(5)?,
                client_id: None,
                client_name: None,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let next_before = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    resolve_clients(conn, &mut rows)?;
    Ok(ActivityPage { rows, next_before })
}

/// Fills in the client each row concerns, and its name, for the rows of one page.
fn resolve_clients(conn: &Connection, rows: &mut [ActivityRow]) -> Result<()> {
    use rusqlite::OptionalExtension;
    for row in rows.iter_mut() {
        let mut client = if row.entity_kind == "client" {
            Some(row.entity_id)
        } else {
            match CLIENT_OF.iter().find(|(k, ..)| *k == row.entity_kind) {
                Some((_, from, id, client)) => conn
                    .prepare_cached(&format!(
                        "SELECT {client} FROM {from} WHERE {id} = ?1 ORDER BY {client} LIMIT 1"
                    ))?
                    .query_row([row.entity_id], |r| r.get::<_, Option<i64>>(0))
                    .optional()?
                    .flatten(),
                None => None,
            }
        };
        if client.is_none() && row.action == "export" {
            client = conn
                .prepare_cached("SELECT client_id FROM disclosure WHERE audit_seq = ?1")?
                .query_row([row.seq], |r| r.get::<_, Option<i64>>(0))
                .optional()?
                .flatten();
        }
        if let Some(id) = client {
            row.client_name = conn
                .prepare_cached("SELECT legal_name FROM client WHERE id = ?1")?
                .query_row([id], |r| r.get::<_, String>(0))
                .optional()?;
            row.client_id = row.client_name.as_ref().map(|_| id);
        }
    }
    Ok(())
}
