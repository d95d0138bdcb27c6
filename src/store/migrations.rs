//! Numbered, append-only migrations tracked by `PRAGMA user_version`.
//!
//! Never edit or reorder a migration that has shipped: add a new one. All pending
//! migrations run in one transaction with one audit row each, so a crash mid-way leaves
//! the database at its old version.
//!
//! Adding a column to a table whose rows the audit log hashes (see
//! `audit::content`): make it nullable with no default, or every earlier content hash of
//! that table stops matching (NULL columns are left out of the hash).

use crate::audit::{self, Action, EntityKind};
use crate::Result;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_foundation.sql"),
    include_str!("migrations/0002_client_search.sql"),
    include_str!("migrations/0003_clearance.sql"),
    include_str!("migrations/0004_schedule_notes.sql"),
    include_str!("migrations/0005_billing.sql"),
    include_str!("migrations/0006_unsigned_notes.sql"),
    include_str!("migrations/0007_backups.sql"),
    include_str!("migrations/0008_drafts.sql"),
    include_str!("migrations/0009_billing_corrections.sql"),
    include_str!("migrations/0010_audit_integrity.sql"),
    include_str!("migrations/0011_disclosures.sql"),
    include_str!("migrations/0012_key_custody.sql"),
    include_str!("migrations/0013_measures.sql"),
    include_str!("migrations/0014_course_rules.sql"),
    include_str!("migrations/0015_search.sql"),
    include_str!("migrations/0016_indexes.sql"),
    include_str!("migrations/0017_imports.sql"),
    include_str!("migrations/0018_records_rights.sql"),
];

/// Builds, in memory, the schema the first `version` migrations make: what
/// [`crate::audit::schema_findings`] compares a practice's schema with.
pub(crate) fn expected_schema(version: i64) -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    let target = usize::try_from(version.clamp(0, SCHEMA_VERSION)).unwrap_or(0);
    run_to(&mut conn, DateTime::<Utc>::UNIX_EPOCH, target)?;
    Ok(conn)
}

/// The schema version a fully migrated database has.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What opening a practice saved by a newer version of the app says.
pub(super) fn newer_practice() -> crate::Error {
    crate::Error::Conflict(
        "This practice was saved by a newer version of KAP Practice. Update the app to open it."
            .into(),
    )
}

pub(super) fn run(conn: &mut Connection, now: DateTime<Utc>) -> Result<()> {
    run_to(conn, now, MIGRATIONS.len())
}

pub(super) fn run_to(conn: &mut Connection, now: DateTime<Utc>, target: usize) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(newer_practice());
    }
    let current = current as usize;
    if current >= target {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().take(target).skip(current) {
        let version = i as i64 + 1;
        tx.execute_batch(sql)?;
        // From migration 10 on, audit rows carry a content hash and a source, and their
        // chain hash covers both; earlier migrations' rows keep the first form.
        if version >= audit::V2_SCHEMA {
            audit::append(&tx, now, Action::Migrate, EntityKind::Schema, version, None)?;
        } else {
            audit::append_v1(&tx, now, Action::Migrate, EntityKind::Schema, version)?;
        }
    }
    tx.pragma_update(None, "user_version", target as i64)?;
    tx.commit()?;
    Ok(())
}
