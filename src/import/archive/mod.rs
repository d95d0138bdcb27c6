//! A whole-practice export (`export::practice_zip`, of this or an earlier version)
//! becoming the contents of a new practice.
//!
//! Invariants:
//! - **All or nothing, in one store transaction**: the archive is checked as it is read
//!   and any refusal rolls the whole import back, leaving the practice as it was (same
//!   rows, same audit head).
//! - **Only into a new practice**: the target may hold its settings and seeds (the fee
//!   schedule, CPT codes, the contraindication checklist, which the export's replace),
//!   but no record of care. Ids are kept, so invoices keep their numbers and the next
//!   invoice continues after them.
//! - **Nothing in the archive is trusted**: the file's size, every entry's name (no path
//!   that leaves the archive), every byte inflated (per entry, in all, and the ratio to
//!   the compressed size, counted as read, never taken from the headers), the manifest's
//!   versions and scope, every column's type, every row's shape. Refusals name the rule,
//!   the file, the entity, the row number and the column, never a value from a row.
//! - **Derived data is the store's own**: the search index, the clients' name index and
//!   the Billing page's balances (`invoice_owing`, `client_owing`) are kept by the
//!   schema's triggers as each row goes in, as for any write; an attendee's
//!   `note_signed` must agree with the notes (or is made, for an export without it); a
//!   client's `sort_name` is made from the legal name; the columns an export derives
//!   (an amendment's `client_id`, an invoice's `number`) are checked, not stored.
//!
//! # Audit rows: one per imported record
//!
//! Besides the one `import` row of the batch ([`crate::import::record`]), every imported
//! record that the app audits gets an `import` audit row of its own (clients, notes,
//! invoices...: the kinds of `audit::content`, with their child rows in the parent's
//! content hash as in the app). Why: the audit log's tamper evidence works per entity:
//! `verify` compares each entity's latest audited content hash with the row as it is
//! now. Without a row of their own, imported records would have no audited content, and
//! a note edited outside the app after the import (a dropped trigger, a hex editor on a
//! stolen key) would go unseen. With them, the new practice is exactly as checkable as
//! one whose records were typed into it, and `verify` reports nothing right after the
//! import. The cost is one audit row per record (a decade's export: a few hundred
//! thousand rows, appended in the import's transaction; see `benches/import.rs`). The
//! rows say `import` and the import's time: the source practice's own history stays in
//! its audit log, which no export carries.
//!
//! # What an export cannot carry
//!
//! A signed note in an export is its body, its `signed_at` and, from format 3, its
//! `seal` (`export::note_seal`: a SHA-256 checksum of the id, appointment, client, body
//! and signing time). The import computes each signed note's seal again and refuses a
//! note whose seal is missing or differs, so a note edited inside the zip by hand or by
//! a spreadsheet is caught. The seal is not a signature: the export holds no secret (the
//! source's audit log and key stay in the source), so an edit whose maker also
//! recomputes the seal by its published rule cannot be told from the original, nor can
//! an export rewritten whole as format 2. What the import checks besides: every note's
//! body is a note this app can open, `note_signed` agrees with the signed notes, and
//! every row obeys the schema's rules. After the import, a signed note is final again
//! (the trigger refuses an update), and its audit row makes any later change outside
//! the app visible to `verify`.
//!
//! Nor does an export carry the app's own disclosure log (`disclosure`: who each saved
//! or printed document went to, for the accounting of disclosures). Each row is keyed to
//! its `export` audit row in the source's log and dated by it; imported, it could only be
//! keyed to an `import` audit row dated the day of the move, and the accounting would
//! list every such disclosure on that day. Until a disclosure row holds its own date (a
//! migration), the source practice keeps that log; the disclosures entered by hand
//! (`disclosure_entries`), the access requests and authorizations they name, move.

mod load;
mod order;
mod read;

use crate::audit::Action;
use crate::export::{EntityCount, FORMAT_VERSION, SEALED_FROM};
use crate::import::{self, Batch, Source};
use crate::store::{Store, SCHEMA_VERSION};
use crate::{Error, Result};
use load::{Audit, How, TARGETS};
use read::{Archive, EntityIn, ManifestIn};
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// The bounds an archive must stay within, whatever its headers say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The zip file's own size.
    pub archive_bytes: u64,
    /// Bytes one entry may inflate to.
    pub entry_bytes: u64,
    /// Bytes all entries read may inflate to, together.
    pub total_bytes: u64,
    /// How many times its compressed size an entry may inflate to, once past
    /// `ratio_floor` bytes (a small file compresses little or not at all).
    pub ratio: u64,
    pub ratio_floor: u64,
    /// How many entries the archive may hold.
    pub entries: usize,
}

impl Default for Limits {
    /// Generous for a practice's whole history (`benches/import.rs` prints a decade's
    /// export sizes). The zip is held in memory, so `archive_bytes` also bounds the
    /// import's memory; what is inflated is streamed a row at a time. A zip bomb is
    /// stopped by the ratio long before the byte limits: deflate inflates up to about a
    /// thousand times, JSON text of records an order of magnitude less.
    fn default() -> Self {
        Limits {
            archive_bytes: 2 << 30,
            entry_bytes: 4 << 30,
            total_bytes: 16 << 30,
            ratio: 200,
            ratio_floor: 1 << 20,
            entries: 1_000,
        }
    }
}

/// What an export holds, or what an import brought in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ImportSummary {
    /// The `import_batch` row recorded; `None` for [`check`], which writes nothing.
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub batch_id: Option<i64>,
    /// The SHA-256 of the zip file, lowercase hex: how the audit log names it.
    pub source_sha256: String,
    pub format_version: u32,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub schema_version: i64,
    /// When the export was made, as its manifest says (RFC 3339, UTC).
    pub exported_at: String,
    /// Rows in all, every entity's.
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub records: u64,
    /// Rows per entity, in the export format's order.
    pub entities: Vec<EntityCount>,
}

fn refused(why: &str) -> Error {
    Error::ExportRefused(why.to_owned())
}

/// Reads the zip file whole, within its size limit.
fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.len() > limits.archive_bytes {
        return Err(refused("the file is larger than an export may be"));
    }
    let mut bytes = Vec::new();
    file.take(limits.archive_bytes + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limits.archive_bytes {
        return Err(refused("the file is larger than an export may be"));
    }
    Ok(bytes)
}

/// The manifest's entities, each checked, found for each import target (`None` when an
/// older export has no such entity: it imports no rows).
fn plan(manifest: &ManifestIn) -> Result<Vec<Option<EntityIn>>> {
    if manifest.format != "kap-practice-export" {
        return Err(Error::NotAnExport);
    }
    if manifest.format_version > FORMAT_VERSION || manifest.schema_version > SCHEMA_VERSION {
        return Err(refused(&format!(
            "it was made by a newer version of KAP Practice (export format {}, database version {}; this version reads up to format {FORMAT_VERSION}, database version {SCHEMA_VERSION}). Update the app to import it",
            manifest.format_version, manifest.schema_version
        )));
    }
    match manifest.scope.as_str() {
        "practice" => {}
        "client" => return Err(refused(
            "it holds one client's records, and only a whole practice's export becomes a practice",
        )),
        _ => return Err(Error::NotAnExport),
    }
    for (i, e) in manifest.entities.iter().enumerate() {
        if !TARGETS.iter().any(|t| t.entity == e.name) {
            return Err(refused(
                "it holds a kind of record this version does not know",
            ));
        }
        if manifest.entities[..i].iter().any(|o| o.name == e.name) {
            return Err(refused(&format!("its manifest lists {} twice", e.name)));
        }
        if e.json != format!("{}.json", e.name) {
            return Err(refused(&format!(
                "its manifest names another file for {}",
                e.name
            )));
        }
        // A version that seals signed notes always lists the seal: without it, a note
        // edited inside the archive could pass as one from before seals.
        if manifest.format_version >= SEALED_FROM
            && e.name == "session_notes"
            && !e.columns.iter().any(|c| c.name == "seal")
        {
            return Err(refused(
                "its session notes lack the seal every signed note of its version carries",
            ));
        }
    }
    Ok(TARGETS
        .iter()
        .map(|t| {
            manifest
                .entities
                .iter()
                .find(|e| e.name == t.entity)
                .cloned()
        })
        .collect())
}

/// The counts of an import, in the export format's order.
fn summary(
    manifest: &ManifestIn,
    sha: String,
    batch_id: Option<i64>,
    rows: &[(&'static str, u64)],
) -> ImportSummary {
    let entities: Vec<EntityCount> = crate::export::tables::ENTITIES
        .iter()
        .map(|e| EntityCount {
            name: e.name,
            rows: rows
                .iter()
                .find(|(n, _)| *n == e.name)
                .map_or(0, |(_, r)| *r),
        })
        .collect();
    ImportSummary {
        batch_id,
        source_sha256: sha,
        format_version: manifest.format_version,
        schema_version: manifest.schema_version,
        exported_at: manifest.exported_at.clone(),
        records: entities.iter().map(|e| e.rows).sum(),
        entities,
    }
}

/// Reads and checks the export at `path` without writing anything: the archive, the
/// manifest, and every row's shape and types; what the store's own rules check (ids that
/// refer to other records, a value a column does not allow) is checked by the import.
/// For showing what an export holds before importing it.
///
/// # Errors
/// As [`practice_zip`], except the ones that need the practice.
pub fn check(path: &Path) -> Result<ImportSummary> {
    check_with(path, Limits::default())
}

/// [`check`] within `limits`.
pub fn check_with(path: &Path, limits: Limits) -> Result<ImportSummary> {
    let bytes = read_file(path, &limits)?;
    let sha = import::sha256_hex(&bytes);
    let mut archive = Archive::open(bytes, limits)?;
    let manifest = archive.manifest()?;
    let planned = plan(&manifest)?;
    let mut rows = Vec::new();
    for (target, listed) in TARGETS.iter().zip(&planned) {
        let Some(listed) = listed else { continue };
        let columns = load::columns(target.format()?, listed)?;
        let mut values = Vec::with_capacity(columns.len());
        let file = listed.json.clone();
        let n = archive.with_entry(&file, |reader| {
            read::each_row(reader, &file, &mut |n, row| {
                load::row_values(target.entity, n, &columns, &row, &mut values)
            })
        })?;
        if n != listed.rows {
            return Err(refused(&format!(
                "{file} holds {n} rows, but the manifest says {}",
                listed.rows
            )));
        }
        rows.push((target.entity, n));
    }
    Ok(summary(&manifest, sha, None, &rows))
}

/// Imports the whole-practice export at `path` into `store`, which must hold a new
/// practice (no clients, appointments, invoices or other records yet), in one
/// transaction with its audit rows (see the module's notes).
///
/// # Errors
/// Nothing is imported on any error, and none names a value from the file:
/// - [`Error::NotAnExport`]: not a zip (or a truncated one), or no export manifest.
/// - [`Error::ExportRefused`]: an entry name that escapes the archive, a zip bomb (an
///   entry or the whole past [`Limits`]), a file the manifest lists missing or damaged,
///   JSON that is not the export's, a value not of its column's type, a required column
///   missing, a row the store's rules refuse (a reference to nothing, a duplicate id, a
///   value a column does not allow, a derived column that does not match), a row count
///   other than the manifest's, a client's export, an export from a newer version.
/// - [`Error::Conflict`]: the practice already holds records.
/// - [`Error::Io`], [`Error::DiskFull`], [`Error::Busy`]...: the file or the store.
pub fn practice_zip(store: &Store, path: &Path) -> Result<ImportSummary> {
    practice_zip_with(store, path, Limits::default())
}

/// [`practice_zip`] within `limits`.
pub fn practice_zip_with(store: &Store, path: &Path, limits: Limits) -> Result<ImportSummary> {
    let bytes = read_file(path, &limits)?;
    let sha = import::sha256_hex(&bytes);
    let mut archive = Archive::open(bytes, limits)?;
    let manifest = archive.manifest()?;
    let planned = plan(&manifest)?;
    store.write(|w| {
        load::require_empty(w.conn())?;
        let mut rows = Vec::new();
        for (target, listed) in TARGETS.iter().zip(&planned) {
            let Some(listed) = listed else { continue };
            let before = match (target.how, target.audit) {
                (How::Replace, Audit::PerRow(..)) => load::ids(w.conn(), target.table)?,
                _ => Vec::new(),
            };
            let mut audited = Vec::new();
            let n = load::entity(w, &mut archive, target, listed, &mut audited)?;
            match target.audit {
                Audit::Covered => {}
                Audit::Once(kind, id) => w.audit(Action::Import, kind, id)?,
                Audit::PerRow(kind, _) => {
                    // A replaced table's rows that are gone are audited too, so that
                    // their latest audit row records them absent.
                    let gone = before.iter().filter(|id| !audited.contains(id));
                    for id in audited.iter().chain(gone.collect::<Vec<_>>()) {
                        w.audit(Action::Import, kind, *id)?;
                    }
                }
            }
            rows.push((target.entity, n));
        }
        let note_signed_listed = planned.iter().flatten().any(|e| {
            e.name == "appointment_attendees" && e.columns.iter().any(|c| c.name == "note_signed")
        });
        load::derived(w.conn(), note_signed_listed)?;
        let mut s = summary(&manifest, sha.clone(), None, &rows);
        s.batch_id = Some(import::record(
            w,
            &Batch {
                source: Source::PracticeExport,
                source_sha256: sha.clone(),
                records: s.records,
                format_version: Some(manifest.format_version),
                schema_version: Some(manifest.schema_version),
            },
        )?);
        Ok(s)
    })
}
