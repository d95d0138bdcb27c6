//! What the chain alone cannot see, and how `verify` finds it.
//!
//! - A row changed outside the app: each audit row of the second form carries the hash of
//!   the content it recorded; [`inspect`] recomputes it for the latest such row of every
//!   entity ([`Finding::Changed`], [`Finding::Deleted`]).
//! - A schema that is not the migrations' (a trigger dropped to edit a signed note): the
//!   practice's `sqlite_master` is compared with the one the same migrations make in
//!   memory ([`Finding::Missing`], [`Finding::Extra`], [`Finding::Altered`]).
//! - A chain cut short or re-hashed: the chain's length and head are also kept outside the
//!   database (an [`Anchor`] in the OS keychain and in every backup's header); the chain
//!   must still hold the anchored row with the anchored hash ([`Finding::Truncated`],
//!   [`Finding::Rewritten`]).

use super::{content, verify, AuditSummary, GENESIS};
use crate::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// One thing `verify` found wrong. Names kinds, ids, sequence numbers and schema object
/// names, never a value from a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    /// The chain does not hash or link at this row.
    ChainBroken { seq: i64 },
    /// The row differs from what its latest audit row recorded.
    Changed { kind: String, id: i64, seq: i64 },
    /// The row is gone, though its latest audit row recorded it.
    Deleted { kind: String, id: i64, seq: i64 },
    /// A table, index, trigger or view the migrations made is not there.
    Missing { object: String, name: String },
    /// A table, index, trigger or view the migrations did not make is there.
    Extra { object: String, name: String },
    /// A schema object is there with a different definition.
    Altered { object: String, name: String },
    /// The chain is shorter than when it was anchored: its last rows were removed.
    Truncated {
        rows: i64,
        anchored_rows: i64,
        anchored_at: String,
        anchor: String,
    },
    /// The chain no longer holds the anchored row's hash: rows up to it were changed and
    /// the chain hashed again.
    Rewritten {
        seq: i64,
        anchored_at: String,
        anchor: String,
    },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::ChainBroken { seq } => {
                write!(f, "the audit log was altered at entry {seq}")
            }
            Finding::Changed { kind, id, seq } => write!(
                f,
                "{} {id} changed outside the app after audit row {seq}",
                kind.replace('_', " ")
            ),
            Finding::Deleted { kind, id, seq } => write!(
                f,
                "{} {id} deleted outside the app after audit row {seq}",
                kind.replace('_', " ")
            ),
            Finding::Missing { object, name } => write!(f, "{object} {name} was dropped"),
            Finding::Extra { object, name } => {
                write!(f, "{object} {name} was added outside the app")
            }
            Finding::Altered { object, name } => {
                write!(f, "{object} {name} was altered outside the app")
            }
            Finding::Truncated {
                rows,
                anchored_rows,
                anchored_at,
                anchor,
            } => write!(
                f,
                "the audit log was cut short: it has {rows} entries, but {anchor} recorded {anchored_rows} at {anchored_at}"
            ),
            Finding::Rewritten {
                seq,
                anchored_at,
                anchor,
            } => write!(
                f,
                "the audit log was rewritten: entry {seq} no longer has the hash {anchor} recorded at {anchored_at} (unless this practice was restored from a backup since then)"
            ),
        }
    }
}

/// The audit chain's length and head at a moment, kept outside the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub rows: i64,
    pub head: String,
    pub at: DateTime<Utc>,
}

impl Anchor {
    /// The chain's length and head as `conn` holds them now.
    pub fn of(conn: &Connection, at: DateTime<Utc>) -> Result<Anchor> {
        let last: Option<(i64, String)> = conn
            .query_row(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (rows, head) = last.unwrap_or((0, GENESIS.to_owned()));
        Ok(Anchor { rows, head, at })
    }

    /// The anchor as kept in the keychain: `{"rows":…,"head":"…","at":"…"}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Option<Anchor> {
        serde_json::from_str(s).ok()
    }
}

/// How often writes move the keychain's anchor: at most once a minute, so a burst of
/// writes does not hit the keychain each time. Locks, quitting and backups move it at
/// once ([`AnchorSchedule::keep`] with `now_anyway`).
pub const ANCHOR_INTERVAL: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// When the shell last anchored the chain in the keychain.
#[derive(Debug, Default)]
pub struct AnchorSchedule {
    last: Mutex<Option<(DateTime<Utc>, i64)>>,
}

impl AnchorSchedule {
    pub fn new() -> Self {
        Self::default()
    }

    /// True when a chain of `rows` rows should be anchored at `now`: it grew since the
    /// last anchor and a minute has passed.
    pub fn due(&self, now: DateTime<Utc>, rows: i64) -> bool {
        let last = *self.last.lock().unwrap_or_else(|p| p.into_inner());
        match last {
            None => true,
            Some((at, n)) => n != rows && now - at >= ANCHOR_INTERVAL,
        }
    }

    /// Anchors the store's chain in the keychain when due, or whenever `now_anyway`.
    /// Returns the anchor saved, if one was. A keychain that cannot be reached is not an
    /// error: the anchor in the next backup still stands.
    pub fn keep(
        &self,
        store: &crate::store::Store,
        keychain: &crate::key::Keychain,
        practice_id: &str,
        now: DateTime<Utc>,
        now_anyway: bool,
    ) -> Result<Option<Anchor>> {
        let anchor = store.read(|c| Anchor::of(c, now))?;
        if !now_anyway && !self.due(now, anchor.rows) {
            return Ok(None);
        }
        if keychain.save_anchor(practice_id, &anchor).is_err() {
            return Ok(None);
        }
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some((now, anchor.rows));
        Ok(Some(anchor))
    }
}

fn normalize(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

type Schema = BTreeMap<String, (String, Option<String>)>;

fn schema_of(conn: &Connection) -> Result<Schema> {
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(1)?,
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(2)?.map(|s| normalize(&s)),
                ),
            ))
        })?
        .collect::<rusqlite::Result<Schema>>()?;
    Ok(rows)
}

/// Compares the schema (every table, index, trigger and view) with the one the
/// migrations up to the database's own version make.
pub fn schema_findings(conn: &Connection) -> Result<Vec<Finding>> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let expected = schema_of(&crate::store::expected_schema(version)?)?;
    let actual = schema_of(conn)?;
    let mut out = Vec::new();
    for (name, (object, sql)) in &expected {
        match actual.get(name) {
            None => out.push(Finding::Missing {
                object: object.clone(),
                name: name.clone(),
            }),
            Some((o, s)) if o != object || s != sql => out.push(Finding::Altered {
                object: object.clone(),
                name: name.clone(),
            }),
            Some(_) => {}
        }
    }
    for (name, (object, _)) in &actual {
        if !expected.contains_key(name) {
            out.push(Finding::Extra {
                object: object.clone(),
                name: name.clone(),
            });
        }
    }
    Ok(out)
}

/// Checks the chain against an anchor kept outside the database.
pub fn anchor_findings(
    conn: &Connection,
    summary_rows: i64,
    anchor: &Anchor,
    anchor_name: &str,
) -> Result<Vec<Finding>> {
    if anchor.rows <= 0 {
        return Ok(Vec::new());
    }
    let anchored_at = anchor.at.to_rfc3339_opts(SecondsFormat::Secs, true);
    if summary_rows < anchor.rows {
        return Ok(vec![Finding::Truncated {
            rows: summary_rows,
            anchored_rows: anchor.rows,
            anchored_at,
            anchor: anchor_name.to_owned(),
        }]);
    }
    let hash: Option<String> = conn
        .query_row(
            "SELECT hash FROM audit_log WHERE seq = ?1",
            [anchor.rows],
            |r| r.get(0),
        )
        .optional()?;
    if hash.as_deref() != Some(anchor.head.as_str()) {
        return Ok(vec![Finding::Rewritten {
            seq: anchor.rows,
            anchored_at,
            anchor: anchor_name.to_owned(),
        }]);
    }
    Ok(Vec::new())
}

/// What [`inspect`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    /// The chain as walked; None when it is broken (see the findings).
    pub chain: Option<AuditSummary>,
    /// Everything wrong, in the order: chain, anchors, schema, rows.
    pub findings: Vec<Finding>,
}

/// Everything `verify` checks above the file's own integrity: the chain, each anchor
/// given (named for the message, e.g. "the keychain"), the schema, and the content of
/// every entity's latest audited row.
pub fn inspect(conn: &Connection, anchors: &[(&str, &Anchor)]) -> Result<Inspection> {
    let mut findings = Vec::new();
    let chain = match verify(conn) {
        Ok(s) => Some(s),
        Err(Error::AuditBroken(seq)) => {
            findings.push(Finding::ChainBroken { seq });
            None
        }
        Err(e) => return Err(e),
    };
    let rows: i64 = match &chain {
        Some(s) => s.rows,
        None => conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?,
    };
    for (name, anchor) in anchors {
        findings.extend(anchor_findings(conn, rows, anchor, name)?);
    }
    findings.extend(schema_findings(conn)?);
    let has_content = conn
        .prepare("SELECT content_hash FROM audit_log LIMIT 0")
        .is_ok();
    if has_content {
        for m in content::mismatches(conn)? {
            findings.push(if m.absent {
                Finding::Deleted {
                    kind: m.kind,
                    id: m.id,
                    seq: m.seq,
                }
            } else {
                Finding::Changed {
                    kind: m.kind,
                    id: m.id,
                    seq: m.seq,
                }
            });
        }
    }
    Ok(Inspection { chain, findings })
}
