//! Numbered, append-only migrations tracked by `PRAGMA user_version`.
//!
//! Never edit or reorder a migration that has shipped: add a new one. All pending
//! migrations run in one transaction with one audit row each, so a crash mid-way leaves
//! the database at its old version.

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
    // 0010 (audit sources and content hashes) is being written on another branch and goes
    // here when the two meet.
    include_str!("migrations/0011_disclosures.sql"),
    include_str!("migrations/0012_key_custody.sql"),
];

/// The schema version a fully migrated database has.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn run(conn: &mut Connection, now: DateTime<Utc>) -> Result<()> {
    run_to(conn, now, MIGRATIONS.len())
}

pub(super) fn run_to(conn: &mut Connection, now: DateTime<Utc>, target: usize) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(crate::Error::Conflict(
            "This practice was saved by a newer version of KAP Practice. Update the app to open it."
                .into(),
        ));
    }
    let current = current as usize;
    if current >= target {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().take(target).skip(current) {
        let version = i as i64 + 1;
        tx.execute_batch(sql)?;
        audit::append(&tx, now, Action::Migrate, EntityKind::Schema, version)?;
    }
    tx.pragma_update(None, "user_version", target as i64)?;
    tx.commit()?;
    Ok(())
}
