//! Records moving in from a file: a client list exported by another system (CSV), or this
//! app's own export becoming a new practice.
//!
//! Every import is all or nothing, in one store transaction, and is recorded as one
//! [`Batch`] (`import_batch`) with its `import` audit row. The source file is named by its
//! SHA-256 only: a file's name, like its contents, may hold a client's name.

pub mod archive;
pub mod csv;

use crate::audit::{Action, EntityKind};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::Result;
use rusqlite::params;
use sha2::{Digest, Sha256};

/// What kind of file an import read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A client list exported by another system.
    ClientCsv,
    /// This app's own export of a whole practice.
    PracticeExport,
}

str_enum!(Source {
    ClientCsv = "client_csv",
    PracticeExport = "practice_export",
});

/// One import, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub source: Source,
    /// The SHA-256 of the file read, lowercase hex.
    pub source_sha256: String,
    /// How many records the import created.
    pub records: u64,
    /// For a practice export: the format and schema versions it was written with.
    pub format_version: Option<u32>,
    pub schema_version: Option<i64>,
}

/// The SHA-256 of a file's bytes, lowercase hex: how an import names its source.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Records `batch` in this write's transaction with its `import` audit row; returns its id.
pub fn record(w: &mut Writer<'_>, batch: &Batch) -> Result<i64> {
    let at = crate::store::col::stamp(w.now());
    w.conn().execute(
        "INSERT INTO import_batch (source, source_sha256, records, format_version,
             schema_version, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            batch.source.as_str(),
            batch.source_sha256,
            i64::try_from(batch.records).unwrap_or(i64::MAX),
            batch.format_version,
            batch.schema_version,
            at,
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Import, EntityKind::ImportBatch, id)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_lowercase_hex() {
        let h = sha256_hex(b"abc");
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
