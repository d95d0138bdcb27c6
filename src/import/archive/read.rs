//! Reading an export archive without trusting it: the file's size, every entry's name,
//! and every byte inflated are checked before anything reaches the store.
//!
//! The archive is read whole into memory once (its SHA-256 names it in the import's
//! record, and a zip is read by seeking to its central directory anyway); its entries
//! are inflated one at a time through [`Limited`], which counts what comes out and stops
//! at the limits whatever the entries' headers claim.

use super::{refused, Limits};
use crate::{Error, Result};
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::cell::Cell;
use std::io::{Cursor, Read};
use std::rc::Rc;
use zip::ZipArchive;

/// The manifest as an export wrote it (`export::Manifest`), read back.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct ManifestIn {
    pub format: String,
    pub format_version: u32,
    pub scope: String,
    pub exported_at: String,
    pub schema_version: i64,
    pub entities: Vec<EntityIn>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct EntityIn {
    pub name: String,
    pub json: String,
    pub rows: u64,
    pub columns: Vec<ColumnIn>,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct ColumnIn {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// Why a [`Limited`] reader stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Entry,
    Total,
    Ratio,
}

/// An open archive, its bytes in memory, with the running count of bytes inflated.
pub(super) struct Archive {
    zip: ZipArchive<Cursor<Vec<u8>>>,
    limits: Limits,
    inflated: Rc<Cell<u64>>,
}

/// An entry name that stays inside the archive: plain relative names of UTF-8 text, no
/// `..`, no absolute path, no backslash or drive, no control character. The import never
/// writes an entry to disk, but an archive holding such a name was not written by this
/// app, and is refused whole.
fn safe_name(raw: &[u8]) -> bool {
    let Ok(name) = std::str::from_utf8(raw) else {
        return false;
    };
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains(['\\', ':'])
        && !name.chars().any(char::is_control)
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
}

impl Archive {
    /// Opens the archive `bytes`, checking every entry's name once.
    ///
    /// # Errors
    /// [`Error::NotAnExport`] when the bytes are not a zip (a truncated file included);
    /// [`Error::ExportRefused`] for a name that escapes, a name twice, too many entries.
    pub fn open(bytes: Vec<u8>, limits: Limits) -> Result<Archive> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| Error::NotAnExport)?;
        if zip.len() > limits.entries {
            return Err(refused("it holds more files than an export does"));
        }
        let mut seen = std::collections::HashSet::new();
        for raw in zip.file_names_raw() {
            if !safe_name(raw) {
                return Err(refused(
                    "a file name in it points outside the archive (an absolute path, `..` or a backslash)",
                ));
            }
            if !seen.insert(raw.to_vec()) {
                return Err(refused("it holds two files of the same name"));
            }
        }
        Ok(Archive {
            zip,
            limits,
            inflated: Rc::new(Cell::new(0)),
        })
    }

    /// Whether the archive has an entry of this name.
    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// Reads the manifest whole (it is small).
    pub fn manifest(&mut self) -> Result<ManifestIn> {
        if !self.has("manifest.json") {
            return Err(Error::NotAnExport);
        }
        let mut bytes = Vec::new();
        self.with_entry("manifest.json", |r| {
            r.take(self_limit_manifest())
                .read_to_end(&mut bytes)
                .map(drop)
                .map_err(Error::from)
        })?;
        serde_json::from_slice(&bytes).map_err(|_| Error::NotAnExport)
    }

    /// Opens the entry `name` and hands `read` a reader over its inflated bytes, within
    /// the limits. An error of the reader because of a limit becomes the refusal that
    /// names it.
    pub fn with_entry<T>(
        &mut self,
        name: &str,
        read: impl FnOnce(&mut dyn Read) -> Result<T>,
    ) -> Result<T> {
        let limits = self.limits;
        let inflated = Rc::clone(&self.inflated);
        let entry = match self.zip.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => {
                return Err(refused(&format!("the file {name} is missing")))
            }
            Err(_) => return Err(refused(&format!("the file {name} is damaged"))),
        };
        // The compressed size bounds how much of the archive the entry may read; the
        // uncompressed size in its header is never trusted.
        let compressed = entry.compressed_size();
        let overflow = Rc::new(Cell::new(None));
        let mut limited = Limited {
            inner: entry,
            entry: 0,
            compressed,
            limits,
            inflated,
            overflow: Rc::clone(&overflow),
        };
        let result = read(&mut limited);
        match overflow.get() {
            Some(Overflow::Entry) => Err(refused(&format!(
                "the file {name} expands beyond the largest an export may hold"
            ))),
            Some(Overflow::Total) => Err(refused(
                "its files expand beyond the largest an export may hold",
            )),
            Some(Overflow::Ratio) => Err(refused(&format!(
                "the file {name} expands far more than an export's files do (a zip bomb)"
            ))),
            None => result.map_err(|e| match e {
                // A damaged deflate stream, a truncated entry, a CRC mismatch.
                Error::Io(_) => refused(&format!("the file {name} is damaged")),
                e => e,
            }),
        }
    }
}

/// The manifest's own limit: a decade's manifest is a few kilobytes.
fn self_limit_manifest() -> u64 {
    1 << 20
}

/// A reader that counts the bytes inflated from one entry and fails past the limits:
/// the entry's own, the archive's total, and the ratio to the entry's compressed size.
struct Limited<R> {
    inner: R,
    entry: u64,
    compressed: u64,
    limits: Limits,
    inflated: Rc<Cell<u64>>,
    overflow: Rc<Cell<Option<Overflow>>>,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(o) = self.overflow.get() {
            return Err(std::io::Error::other(format!("{o:?}")));
        }
        let n = self.inner.read(buf)?;
        let n64 = n as u64;
        self.entry += n64;
        self.inflated.set(self.inflated.get() + n64);
        let over = if self.entry > self.limits.entry_bytes {
            Some(Overflow::Entry)
        } else if self.inflated.get() > self.limits.total_bytes {
            Some(Overflow::Total)
        } else if self.entry > self.limits.ratio_floor
            && self.entry / self.compressed.max(1) > self.limits.ratio
        {
            Some(Overflow::Ratio)
        } else {
            None
        };
        if let Some(o) = over {
            self.overflow.set(Some(o));
            return Err(std::io::Error::other("an import limit was reached"));
        }
        Ok(n)
    }
}

/// Streams the JSON array of one entity's file, handing each row (an object) to `each`
/// with its 1-based number; returns how many rows there were. Only one row is in memory
/// at a time.
///
/// # Errors
/// What `each` returns, stopping at once; [`Error::ExportRefused`] for a file that is
/// not a JSON array of objects (naming the line and column, never the text there).
pub(super) fn each_row(
    reader: &mut dyn Read,
    file: &str,
    each: &mut dyn FnMut(u64, Map<String, Value>) -> Result<()>,
) -> Result<u64> {
    let mut failed = None;
    let mut rows = 0u64;
    let mut de =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
    let seed = Rows {
        each,
        failed: &mut failed,
        rows: &mut rows,
    };
    let parsed = seed.deserialize(&mut de).and_then(|()| de.end());
    if let Some(e) = failed {
        return Err(e);
    }
    match parsed {
        Ok(()) => Ok(rows),
        Err(e) if e.is_io() => Err(Error::Io(
            e.io_error_kind().unwrap_or(std::io::ErrorKind::Other),
        )),
        Err(e) => Err(refused(&format!(
            "{file} is not the export's JSON at line {}, column {} (row {})",
            e.line(),
            e.column(),
            rows + 1
        ))),
    }
}

struct Rows<'a> {
    each: &'a mut dyn FnMut(u64, Map<String, Value>) -> Result<()>,
    failed: &'a mut Option<Error>,
    rows: &'a mut u64,
}

impl<'de> DeserializeSeed<'de> for Rows<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error as _;
        while let Some(row) = seq.next_element::<Map<String, Value>>()? {
            *self.rows += 1;
            if let Err(e) = (self.each)(*self.rows, row) {
                *self.failed = Some(e);
                return Err(A::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_archive_are_unsafe() {
        for good in ["clients.json", "manifest.json", "a/b.json", "README.txt"] {
            assert!(safe_name(good.as_bytes()), "{good}");
        }
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a\\..\\x",
            "C:x",
            "",
            "a//b",
            "./x",
            "x\u{0}y",
        ] {
            assert!(!safe_name(bad.as_bytes()), "{bad:?}");
        }
        assert!(!safe_name(&[0xff, 0xfe]));
    }
}
