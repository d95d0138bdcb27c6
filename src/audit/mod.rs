//! The audit log: every write and every view of a client's record, hash-chained.
//!
//! A row holds a sequence number, the UTC time, the action, the entity kind and its id:
//! never a name, a note or any value a user typed. Each row's hash is SHA-256 over the
//! previous row's hash and this row's fields, so changing, inserting or removing a row
//! breaks the chain at that row, and [`verify`] names it.
//!
//! From schema version 10 ([`V2_SCHEMA`]) each row also carries the content hash of the
//! row it records ([`content`]) and where the action came from ([`Source`]), both
//! covered by the chain hash. [`integrity`] checks what the chain alone cannot see: rows
//! changed outside the app, a schema that is not the migrations' (a dropped trigger), and
//! a chain cut short or re-hashed since its last [`Anchor`] kept outside the database.

pub mod content;
pub mod integrity;

pub use integrity::{inspect, Anchor, AnchorSchedule, Finding};

use crate::str_enum::str_enum;
use crate::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The schema version whose migration row is the first of the second row form (content
/// hash and source covered by the chain hash).
pub const V2_SCHEMA: i64 = 10;

/// Where an action came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The app's window.
    Window,
    /// The command-line tool.
    Cli,
    /// The app's automatic daily backup.
    AutomaticBackup,
    /// The client, answering a questionnaire in self-report mode.
    SelfReport,
}

str_enum!(Source {
    Window = "window",
    Cli = "cli",
    AutomaticBackup = "automatic_backup",
    SelfReport = "self_report",
});

/// The hash that stands before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Archive,
    Unarchive,
    View,
    Migrate,
    ChangePassphrase,
    Sign,
    Export,
    Void,
    Backup,
    Restore,
    /// A form draft thrown away (by the user, or because the form was saved).
    Discard,
    /// A correcting entry that cancels an earlier one (a payment recorded by mistake).
    Reverse,
    /// Records brought in from a file (a client list, a practice export).
    Import,
}

/// What it was done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Schema,
    Practice,
    FeeSchedule,
    Client,
    Key,
    Prescriber,
    Intake,
    Screening,
    Contraindication,
    Prescription,
    Consent,
    Appointment,
    SessionNote,
    Amendment,
    FollowUp,
    Charge,
    Invoice,
    Payment,
    BillingProfile,
    /// A backup file; the id is the audit sequence number the backup holds up to.
    Backup,
    /// A form draft: typed but not yet saved.
    Draft,
    /// An outcome questionnaire (PHQ-9, GAD-7, PCL-5).
    Measure,
    /// The safety assessment a positive PHQ-9 item 9 needs.
    SafetyAssessment,
    /// One import of records from a file (`import_batch`).
    ImportBatch,
    /// A request to inspect or copy the record.
    AccessRequest,
    /// A release-of-information authorization.
    Authorization,
    /// A disclosure made outside the app, entered by hand.
    DisclosureEntry,
    /// Private process notes (psychotherapy notes) of one session.
    ProcessNote,
    /// A client's acknowledgment of the notice of privacy practices.
    PrivacyAcknowledgment,
}

str_enum!(Action {
    Create = "create",
    Update = "update",
    Archive = "archive",
    Unarchive = "unarchive",
    View = "view",
    Migrate = "migrate",
    ChangePassphrase = "change_passphrase",
    Sign = "sign",
    Export = "export",
    Void = "void",
    Backup = "backup",
    Restore = "restore",
    Discard = "discard",
    Reverse = "reverse",
    Import = "import",
});

str_enum!(EntityKind {
    Schema = "schema",
    Practice = "practice",
    FeeSchedule = "fee_schedule",
    Client = "client",
    Key = "key",
    Prescriber = "prescriber",
    Intake = "intake",
    Screening = "screening",
    Contraindication = "contraindication",
    Prescription = "prescription",
    Consent = "consent",
    Appointment = "appointment",
    SessionNote = "session_note",
    Amendment = "amendment",
    FollowUp = "follow_up",
    Charge = "charge",
    Invoice = "invoice",
    Payment = "payment",
    BillingProfile = "billing_profile",
    Backup = "backup",
    Draft = "draft",
    Measure = "measure",
    SafetyAssessment = "safety_assessment",
    ImportBatch = "import_batch",
    AccessRequest = "access_request",
    Authorization = "authorization",
    DisclosureEntry = "disclosure_entry",
    ProcessNote = "process_note",
    PrivacyAcknowledgment = "privacy_acknowledgment",
});

/// The second row form: the first form's fields, then the content hash and the source
/// ("-" when there is none: neither can be "-").
#[allow(clippy::too_many_arguments)]
fn row_hash_v2(
    prev: &str,
    seq: i64,
    at: &str,
    action: &str,
    kind: &str,
    id: i64,
    content: Option<&str>,
    source: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    for part in [
        "v2",
        prev,
        &seq.to_string(),
        at,
        action,
        kind,
        &id.to_string(),
        content.unwrap_or("-"),
        source.unwrap_or("-"),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

fn row_hash(prev: &str, seq: i64, at: &str, action: &str, kind: &str, id: i64) -> String {
    let mut h = Sha256::new();
    // Fields are separated by a byte none of them can contain.
    for part in [prev, &seq.to_string(), at, action, kind, &id.to_string()] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

fn last(conn: &Connection) -> Result<(i64, String)> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_owned()),
    })
}

/// Appends one row chained to the last, with the content hash of the row it records as
/// the database holds it now (none for views and exports, which change nothing). Call
/// only inside a write transaction, after the write it records.
pub(crate) fn append(
    conn: &Connection,
    at: DateTime<Utc>,
    action: Action,
    kind: EntityKind,
    id: i64,
    source: Option<Source>,
) -> Result<()> {
    let (seq, prev) = last(conn)?;
    let content = match action {
        Action::View | Action::Export => None,
        _ => content::hash(conn, kind, id)?,
    };
    let at = at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let source = source.map(Source::as_str);
    let hash = row_hash_v2(
        &prev,
        seq,
        &at,
        action.as_str(),
        kind.as_str(),
        id,
        content.as_deref(),
        source,
    );
    conn.execute(
        "INSERT INTO audit_log (seq, at, action, entity_kind, entity_id, prev_hash, hash,
            content_hash, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            seq,
            at,
            action.as_str(),
            kind.as_str(),
            id,
            prev,
            hash,
            content,
            source
        ],
    )?;
    Ok(())
}

/// Appends a row of the first form: only the migrations before [`V2_SCHEMA`] write these.
pub(crate) fn append_v1(
    conn: &Connection,
    at: DateTime<Utc>,
    action: Action,
    kind: EntityKind,
    id: i64,
) -> Result<()> {
    let (seq, prev) = last(conn)?;
    let at = at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let hash = row_hash(&prev, seq, &at, action.as_str(), kind.as_str(), id);
    conn.execute(
        "INSERT INTO audit_log (seq, at, action, entity_kind, entity_id, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![seq, at, action.as_str(), kind.as_str(), id, prev, hash],
    )?;
    Ok(())
}

/// Whether the chain's newest row already records `action` on this entity: a run of the
/// same change (a draft saved again and again while the therapist types) is then one row.
pub(crate) fn head_is(
    conn: &Connection,
    action: Action,
    kind: EntityKind,
    id: i64,
) -> Result<bool> {
    let head: Option<(String, String, i64)> = conn
        .query_row(
            "SELECT action, entity_kind, entity_id FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(head.is_some_and(|(a, k, i)| a == action.as_str() && k == kind.as_str() && i == id))
}

/// The result of a successful walk of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditSummary {
    /// Number of rows walked.
    pub rows: i64,
    /// The hash of the last row (the chain's head), or [`GENESIS`] when empty.
    pub head: String,
}

/// One audit row as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub action: String,
    pub entity_kind: String,
    pub entity_id: i64,
}

/// Walks the whole chain. [`Error::AuditBroken`] names the first sequence number whose
/// row does not hash to its stored hash, does not chain to its predecessor, or is out of
/// sequence.
///
/// Rows up to the migration to [`V2_SCHEMA`] are of the first form (no content hash, no
/// source); from that migration's row on every row is of the second. A row of the first
/// form after it, or one before it holding a content hash or a source, breaks the chain:
/// a row cannot be passed off as the older form to escape the newer hash.
pub fn verify(conn: &Connection) -> Result<AuditSummary> {
    let has_v2 = conn
        .prepare("SELECT content_hash, source FROM audit_log LIMIT 0")
        .is_ok();
    let sql = if has_v2 {
        "SELECT seq, at, action, entity_kind, entity_id, prev_hash, hash, content_hash, source
         FROM audit_log ORDER BY seq"
    } else {
        "SELECT seq, at, action, entity_kind, entity_id, prev_hash, hash, NULL, NULL
         FROM audit_log ORDER BY seq"
    };
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut count = 0i64;
    let mut second_form = false;
    let v2_id = V2_SCHEMA.to_string();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let action: String = r.get(2)?;
        let kind: String = r.get(3)?;
        let id: i64 = r.get(4)?;
        let prev: String = r.get(5)?;
        let hash: String = r.get(6)?;
        let content: Option<String> = r.get(7)?;
        let source: Option<String> = r.get(8)?;
        if seq != expected_seq || prev != expected_prev {
            return Err(Error::AuditBroken(seq.min(expected_seq)));
        }
        if !second_form
            && action == Action::Migrate.as_str()
            && kind == EntityKind::Schema.as_str()
            && id.to_string() == v2_id
        {
            second_form = true;
        }
        let computed = if second_form {
            row_hash_v2(
                &prev,
                seq,
                &at,
                &action,
                &kind,
                id,
                content.as_deref(),
                source.as_deref(),
            )
        } else {
            if content.is_some() || source.is_some() {
                return Err(Error::AuditBroken(seq));
            }
            row_hash(&prev, seq, &at, &action, &kind, id)
        };
        if computed != hash {
            return Err(Error::AuditBroken(seq));
        }
        expected_prev = hash;
        expected_seq += 1;
        count += 1;
    }
    Ok(AuditSummary {
        rows: count,
        head: expected_prev,
    })
}

/// The most recent rows for one entity, newest first.
pub fn for_entity(
    conn: &Connection,
    kind: EntityKind,
    id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, action, entity_kind, entity_id FROM audit_log
         WHERE entity_kind = ?1 AND entity_id = ?2 ORDER BY seq DESC LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![kind.as_str(), id, limit], |r| {
            Ok(AuditRow {
                seq: r.get(0)?,
                at: r.get(1)?,
                action: r.get(2)?,
                entity_kind: r.get(3)?,
                entity_id: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
