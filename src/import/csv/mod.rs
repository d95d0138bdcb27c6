//! A client list from another system's CSV export: a preview to choose the columns from,
//! a dry run that shows each row's client, errors and possible duplicates, and the import
//! itself, all or nothing in one audited transaction.
//!
//! The steps, as the UI takes them:
//! 1. [`preview`]: the encoding read, the delimiter, the headers, the first
//!    [`PREVIEW_ROWS`] rows, the row count and a suggested [`Mapping`] (the headers of
//!    common exports are recognised: `headers.rs`).
//! 2. [`dry_run`] with the mapping the user confirmed: per row the client it would
//!    create (validated by [`ClientInput::validated`], the client form's own rules and
//!    messages) or its errors, and its possible duplicates (the same legal name and date
//!    of birth as an existing client or an earlier row). Writes nothing.
//! 3. [`import`] with the user's [`Options`]: in the caller's write, the same analysis
//!    again (against the practice as it is now), then [`clients::create`] for each row,
//!    as the client form does (each with its `create` audit row), and one
//!    [`crate::import::record`]. Any failure rolls back everything.
//!
//! Limits, each refused with a message naming the row: [`MAX_FILE_BYTES`] for the file,
//! [`MAX_FIELD_BYTES`] for a cell, [`MAX_RECORD_BYTES`] for a row, [`MAX_COLUMNS`] cells
//! in a row and [`MAX_ROWS`] clients in a file (a solo practice's whole history is a few
//! thousand; 100,000 is read in a few seconds, and a larger file is refused at once).
//!
//! Privacy: a [`CsvError`], and every [`crate::Error`] these functions return, names rows,
//! lines and fields, never a cell's value or a header's text: errors may reach a log. The
//! [`Preview`] and the [`DryRun`] carry values, because the user must see them.
//!
//! Cells are stored as the user's file gives them, formula-like text included (`=`, `+`,
//! `-`, `@` at the start): here they are names and notes, and this app's own CSV export
//! neutralises them on the way out ([`crate::export::neutralise`]).

mod convert;
mod decode;
mod headers;
mod parse;

pub use decode::Encoding;
pub use headers::{recognise, suggest, Target};
pub use parse::{Delimiter, MAX_COLUMNS, MAX_FIELD_BYTES, MAX_RECORD_BYTES};

use crate::clients::{self, ClientInput, ClientStatus};
use crate::store::Writer;
use crate::validate::{FieldError, FieldErrors};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The largest file an import reads.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// The most clients (records after the header row) one file may hold.
pub const MAX_ROWS: u32 = 100_000;
/// How many rows the preview shows.
pub const PREVIEW_ROWS: usize = 20;
/// How many rows' errors a refused import lists (the dry run lists them all).
pub const MAX_REPORTED_ROWS: usize = 100;

/// Why a file cannot be read. Each message names a row or a line, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error(
        "The file is larger than 64 MiB, the most one import reads. Split it into smaller files."
    )]
    TooLarge,
    #[error("This file is UTF-16 text. Save it as CSV UTF-8 (or CSV) and choose it again.")]
    Utf16,
    #[error("This is not a CSV text file: line {line} holds a NUL byte.")]
    NotText { line: u32 },
    #[error("The file is marked as UTF-8, but line {line} is not UTF-8. Save it as CSV UTF-8 and choose it again.")]
    BadUtf8 { line: u32 },
    #[error("Line {line} holds a byte that is neither UTF-8 nor Windows-1252 text. Save the file as CSV UTF-8 and choose it again.")]
    Undecodable { line: u32 },
    #[error("The file is empty: it needs a header row naming its columns.")]
    Empty,
    #[error("Row {row} has a cell longer than 64 KiB (or a quote that is never closed).")]
    FieldTooLong { row: u32 },
    #[error("Row {row} is longer than 1 MiB.")]
    RecordTooLong { row: u32 },
    #[error("Row {row} has more than 1,000 cells.")]
    TooManyColumns { row: u32 },
    #[error("Row {row} opens a quote that is never closed.")]
    UnclosedQuote { row: u32 },
    #[error("Row {row} has text after a quoted cell's closing quote (a quote inside a quoted cell must be doubled).")]
    StrayQuote { row: u32 },
    #[error("The file has more than 100,000 rows of clients, the most one import reads. Split it into smaller files.")]
    TooManyRows,
}

impl From<CsvError> for Error {
    /// A file that cannot be read is invalid input, on the field `file`.
    fn from(e: CsvError) -> Self {
        Error::invalid("file", &e.to_string())
    }
}

/// Which client field each column of the file fills, and the status every imported
/// client is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvMapping")
)]
pub struct Mapping {
    /// One entry per column of the header row, in order: the field it fills, or none.
    /// Each target at most once, but for [`Target::Notes`].
    pub columns: Vec<Option<Target>>,
    /// Any status but archived; the suggestion is active (a list of another system's
    /// clients is mostly of current ones).
    pub status: ClientStatus,
}

impl Mapping {
    /// Checks the mapping against a file with `width` columns.
    ///
    /// # Errors
    /// [`Error::Invalid`]: `mapping` when it does not have one entry per column;
    /// `mapping.<target>` for a target chosen for two columns; `mapping.legal_name` when
    /// no column gives the legal name; `mapping.status` for the archived status.
    pub fn check(&self, width: usize) -> Result<()> {
        let mut e = FieldErrors::new();
        if self.columns.len() != width {
            e.add(
                "mapping",
                "The column choices do not match this file's columns. Open the file again.",
            );
        }
        for t in Target::ALL {
            if t != Target::Notes && self.columns.iter().filter(|c| **c == Some(t)).count() > 1 {
                e.add(
                    format!("mapping.{}", t.as_str()),
                    "Choose only one column for each field (notes may take several).",
                );
            }
        }
        let named = self.columns.iter().any(|c| {
            matches!(
                c,
                Some(Target::FullName | Target::FirstName | Target::LastName)
            )
        });
        if !named {
            e.add(
                "mapping.legal_name",
                "Choose the column that holds each client's legal name, or the first and last name columns.",
            );
        }
        if self.status == ClientStatus::Archived {
            e.add("mapping.status", "Use Archive to archive a client.");
        }
        e.into_result()
    }
}

/// A row of the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvPreviewRow")
)]
pub struct PreviewRow {
    /// The row's number as a spreadsheet shows it (the header row is 1).
    pub row: u32,
    pub cells: Vec<String>,
}

/// What the user chooses the columns from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvPreview")
)]
pub struct Preview {
    pub encoding: Encoding,
    pub delimiter: Delimiter,
    pub headers: Vec<String>,
    /// The first [`PREVIEW_ROWS`] rows after the header row.
    pub rows: Vec<PreviewRow>,
    /// How many rows (clients) the file has after the header row; blank lines not counted.
    pub row_count: u32,
    /// The columns recognised by their headers; the user confirms or changes it.
    pub mapping: Mapping,
}

/// A possible duplicate of a row: the same legal name (ignoring case, accents and
/// spacing) and the same date of birth (both missing counts as the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvDuplicate")
)]
pub enum Duplicate {
    /// A client already in the practice (archived ones included).
    Client {
        #[cfg_attr(feature = "ts-export", ts(type = "number"))]
        id: i64,
    },
    /// An earlier row of this file.
    Row { row: u32 },
}

/// What one row would become.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvRowPlan")
)]
pub struct RowPlan {
    /// The row's number as a spreadsheet shows it (the header row is 1).
    pub row: u32,
    /// The client the row would create, as it would be stored when `errors` is empty;
    /// otherwise as read from the file.
    pub client: ClientInput,
    /// What is wrong, by the client form's field names (and `row` for a row with more
    /// cells than the header row), with the form's messages.
    pub errors: Vec<FieldError>,
    /// Only for a row without errors.
    pub duplicates: Vec<Duplicate>,
}

impl RowPlan {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// How many rows are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvCounts")
)]
pub struct Counts {
    pub rows: u32,
    /// Valid and not a possible duplicate: imported whatever the options.
    pub ready: u32,
    /// Valid but a possible duplicate: imported only when the user includes them.
    pub duplicates: u32,
    /// With errors: the import refuses unless the user skips them.
    pub invalid: u32,
}

/// What an import would do, row by row. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvDryRun")
)]
pub struct DryRun {
    pub encoding: Encoding,
    pub delimiter: Delimiter,
    pub rows: Vec<RowPlan>,
    pub counts: Counts,
}

/// What the user decided after the dry run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvImportOptions")
)]
pub struct Options {
    /// Import the valid rows and leave out those with errors. Without it, one row with
    /// an error refuses the whole import.
    pub skip_invalid_rows: bool,
    /// Import possible duplicates too. Without it they are left out.
    pub include_duplicates: bool,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvImported")
)]
pub struct Imported {
    /// The `import_batch` row.
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub batch_id: i64,
    /// How many clients were created.
    pub created: u32,
    /// The rows left out for their errors (only with [`Options::skip_invalid_rows`]).
    pub skipped_invalid: Vec<u32>,
    /// The rows left out as possible duplicates.
    pub skipped_duplicates: Vec<u32>,
}

/// The file's text, delimiter and header row, with the reader at the first row after it.
struct Opened<'a> {
    encoding: Encoding,
    delimiter: Delimiter,
    headers: Vec<String>,
    reader: parse::Reader<'a>,
}

fn open(bytes: &[u8]) -> std::result::Result<Opened<'_>, CsvError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CsvError::TooLarge);
    }
    let (text, encoding) = decode::decode(bytes)?;
    let delimiter = Delimiter::sniff(text);
    let mut reader = parse::Reader::new(text, delimiter);
    let mut headers = Vec::new();
    if reader.next_record(&mut headers)?.is_none() {
        return Err(CsvError::Empty);
    }
    Ok(Opened {
        encoding,
        delimiter,
        headers,
        reader,
    })
}

/// Reads every row after the header row, handing each (row number, cells) to `each`.
/// Refuses a file with more than [`MAX_ROWS`] as soon as it finds the row past the limit.
fn for_each_row(
    reader: &mut parse::Reader<'_>,
    mut each: impl FnMut(u32, &[String]) -> Result<()>,
) -> Result<u32> {
    let mut cells = Vec::new();
    let mut n = 0u32;
    while let Some(row) = reader.next_record(&mut cells)? {
        n += 1;
        if n > MAX_ROWS {
            return Err(CsvError::TooManyRows.into());
        }
        each(row, &cells)?;
    }
    Ok(n)
}

/// Reads the file for the column chooser: see [`Preview`].
///
/// # Errors
/// [`Error::Invalid`] on the field `file`, with a [`CsvError`]'s message, when the file
/// cannot be read (its encoding, a limit, a quote left open).
pub fn preview(bytes: &[u8]) -> Result<Preview> {
    let mut f = open(bytes)?;
    let mut rows = Vec::new();
    let row_count = for_each_row(&mut f.reader, |row, cells| {
        if rows.len() < PREVIEW_ROWS {
            rows.push(PreviewRow {
                row,
                cells: cells.to_vec(),
            });
        }
        Ok(())
    })?;
    let mapping = Mapping {
        columns: suggest(&f.headers),
        status: ClientStatus::Active,
    };
    Ok(Preview {
        encoding: f.encoding,
        delimiter: f.delimiter,
        headers: f.headers,
        rows,
        row_count,
        mapping,
    })
}

/// A legal name and date of birth as duplicates are found: the name folded like the
/// client list's sort key (case and accents) with its spacing collapsed.
type DuplicateKey = (String, Option<NaiveDate>);

fn duplicate_key(legal_name: &str, dob: Option<NaiveDate>) -> DuplicateKey {
    let folded = clients::sort_key(legal_name);
    (folded.split_whitespace().collect::<Vec<_>>().join(" "), dob)
}

/// Every client's duplicate key, archived ones included, with their ids.
fn existing_clients(conn: &Connection) -> Result<HashMap<DuplicateKey, Vec<i64>>> {
    let mut stmt = conn.prepare("SELECT id, legal_name, date_of_birth FROM client ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut out: HashMap<DuplicateKey, Vec<i64>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let dob: Option<String> = r.get(2)?;
        let dob = dob.map(|d| crate::store::col::date(&d)).transpose()?;
        let name: String = r.get(1)?;
        out.entry(duplicate_key(&name, dob))
            .or_default()
            .push(r.get(0)?);
    }
    Ok(out)
}

/// Reads, converts and validates every row, and finds the possible duplicates against
/// the clients `conn` sees.
fn analyse(conn: &Connection, bytes: &[u8], mapping: &Mapping, today: NaiveDate) -> Result<DryRun> {
    let mut f = open(bytes)?;
    mapping.check(f.headers.len())?;
    let columns = convert::Columns::new(mapping);
    let existing = existing_clients(conn)?;
    let mut earlier: HashMap<DuplicateKey, u32> = HashMap::new();
    let mut counts = Counts::default();
    let mut rows = Vec::new();
    let n = for_each_row(&mut f.reader, |row, cells| {
        let (input, mut errors) = columns.input(cells, mapping);
        let (client, duplicates) = match input.clone().validated(today) {
            Ok(client) if errors.is_empty() => {
                let key = duplicate_key(&client.legal_name, client.date_of_birth);
                let mut duplicates: Vec<Duplicate> = existing
                    .get(&key)
                    .into_iter()
                    .flatten()
                    .map(|&id| Duplicate::Client { id })
                    .collect();
                match earlier.get(&key) {
                    Some(&first) => duplicates.push(Duplicate::Row { row: first }),
                    None => {
                        earlier.insert(key, row);
                    }
                }
                (client, duplicates)
            }
            Ok(_) => (input, Vec::new()),
            Err(Error::Invalid(found)) => {
                errors.0.extend(found.0);
                (input, Vec::new())
            }
            Err(other) => return Err(other),
        };
        if !errors.is_empty() {
            counts.invalid += 1;
        } else if !duplicates.is_empty() {
            counts.duplicates += 1;
        } else {
            counts.ready += 1;
        }
        rows.push(RowPlan {
            row,
            client,
            errors: errors.0,
            duplicates,
        });
        Ok(())
    })?;
    counts.rows = n;
    Ok(DryRun {
        encoding: f.encoding,
        delimiter: f.delimiter,
        rows,
        counts,
    })
}

/// What importing the file with `mapping` would do, against the clients `conn` sees
/// (see [`DryRun`]). Writes nothing. `today` is the practice's date (a date of birth
/// after it is an error, as in the client form).
///
/// # Errors
/// [`Error::Invalid`]: on `file` when the file cannot be read (see [`preview`]), on
/// `mapping...` when the mapping does not fit it ([`Mapping::check`]). Rows' own errors
/// are in the result, not errors of the call.
pub fn dry_run(
    conn: &Connection,
    bytes: &[u8],
    mapping: &Mapping,
    today: NaiveDate,
) -> Result<DryRun> {
    analyse(conn, bytes, mapping, today)
}

/// Imports the file's clients in `w`'s transaction: the dry run again, against the
/// practice as it is inside this write, then each row through [`clients::create`] (the
/// client form's own path, with its `create` audit row) and one
/// [`crate::import::record`] of the batch ([`crate::import::Source::ClientCsv`], the
/// file's SHA-256, the number of clients created). Rows with errors refuse the import
/// unless `options` skips them; possible duplicates are left out unless `options`
/// includes them.
///
/// All or nothing: on any error nothing of the import may be committed, so the caller
/// returns the error from its [`crate::store::Store::write`] closure, which rolls back.
///
/// # Errors
/// As [`dry_run`]; [`Error::Invalid`] with a field `rows.<row>.<field>` per error (the
/// first [`MAX_REPORTED_ROWS`] rows with errors) when rows have errors and are not
/// skipped; [`Error::Conflict`] when no row is left to import; any error of the store,
/// for which the whole import rolls back.
pub fn import(
    w: &mut Writer<'_>,
    bytes: &[u8],
    mapping: &Mapping,
    options: &Options,
    today: NaiveDate,
) -> Result<Imported> {
    let plan = analyse(w.conn(), bytes, mapping, today)?;
    if plan.counts.invalid > 0 && !options.skip_invalid_rows {
        return Err(Error::Invalid(row_errors(&plan.rows)));
    }
    let mut created = 0u32;
    let mut skipped_invalid = Vec::new();
    let mut skipped_duplicates = Vec::new();
    for p in plan.rows {
        if !p.is_valid() {
            skipped_invalid.push(p.row);
            continue;
        }
        if !p.duplicates.is_empty() && !options.include_duplicates {
            skipped_duplicates.push(p.row);
            continue;
        }
        clients::create(w, p.client, today).map_err(|e| at_row(e, p.row))?;
        created += 1;
    }
    if created == 0 {
        return Err(Error::Conflict(
            "No row of this file is left to import. Nothing was imported.".into(),
        ));
    }
    let batch_id = super::record(
        w,
        &super::Batch {
            source: super::Source::ClientCsv,
            source_sha256: super::sha256_hex(bytes),
            records: u64::from(created),
            format_version: None,
            schema_version: None,
        },
    )?;
    Ok(Imported {
        batch_id,
        created,
        skipped_invalid,
        skipped_duplicates,
    })
}

/// Reads the file at `path` for an import, within [`MAX_FILE_BYTES`]: a larger file is
/// refused before it is read, and a file whose name does not end in `.csv`, `.tsv` or
/// `.txt` is not read at all.
///
/// # Errors
/// [`Error::Invalid`] on `file` for a file that is too large, not named as a CSV file, or
/// that cannot be read (the message names neither the path nor the contents).
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    // Only what the open dialog offers: a CSV or text file, not any file this user can read.
    let named = path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
        x.eq_ignore_ascii_case("csv")
            || x.eq_ignore_ascii_case("txt")
            || x.eq_ignore_ascii_case("tsv")
    });
    if !named {
        return Err(Error::invalid(
            "file",
            "Choose a CSV file (its name ends in .csv, .tsv or .txt).",
        ));
    }
    // Whatever the reason (gone, a folder, no permission), the user chooses again.
    let unreadable = |_| {
        Error::invalid(
            "file",
            "That file could not be read. Choose it again, or save it again from the other system.",
        )
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let limit = MAX_FILE_BYTES as u64;
    if file.metadata().map_err(unreadable)?.len() > limit {
        return Err(CsvError::TooLarge.into());
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CsvError::TooLarge.into());
    }
    Ok(bytes)
}

/// Which rows of a dry run a page lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvRowFilter")
)]
pub enum RowFilter {
    #[default]
    All,
    /// Rows with errors or possible duplicates: what needs the user's eye.
    Problems,
}

/// The most rows one page of a dry run lists.
pub const MAX_PAGE_ROWS: u32 = 500;

/// One page of a dry run: a file of 100,000 rows is checked whole, but shown a page at a
/// time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvDryRunPage")
)]
pub struct DryRunPage {
    pub encoding: Encoding,
    pub delimiter: Delimiter,
    /// The whole file's counts.
    pub counts: Counts,
    /// The file's SHA-256: the import refuses a file that changed since ([`import_checked`]).
    pub sha256: String,
    pub filter: RowFilter,
    /// How many rows match the filter, and where this page starts among them.
    pub matching: u32,
    pub offset: u32,
    pub rows: Vec<RowPlan>,
}

/// [`dry_run`], then the `limit` rows (at most [`MAX_PAGE_ROWS`]) matching `filter` from
/// `offset` on.
///
/// # Errors
/// As [`dry_run`].
pub fn dry_run_page(
    conn: &Connection,
    bytes: &[u8],
    mapping: &Mapping,
    today: NaiveDate,
    filter: RowFilter,
    offset: u32,
    limit: u32,
) -> Result<DryRunPage> {
    let plan = analyse(conn, bytes, mapping, today)?;
    let matching: Vec<RowPlan> = plan
        .rows
        .into_iter()
        .filter(|r| filter == RowFilter::All || !r.is_valid() || !r.duplicates.is_empty())
        .collect();
    let total = u32::try_from(matching.len()).unwrap_or(u32::MAX);
    let offset = offset.min(total);
    let rows = matching
        .into_iter()
        .skip(offset as usize)
        .take(limit.clamp(1, MAX_PAGE_ROWS) as usize)
        .collect();
    Ok(DryRunPage {
        encoding: plan.encoding,
        delimiter: plan.delimiter,
        counts: plan.counts,
        sha256: super::sha256_hex(bytes),
        filter,
        matching: total,
        offset,
        rows,
    })
}

/// [`import`], only when the file is still the one the user checked: `expected_sha256` is
/// the [`DryRunPage::sha256`] they saw.
///
/// # Errors
/// [`Error::Conflict`] when the file changed since the dry run; otherwise as [`import`].
pub fn import_checked(
    w: &mut Writer<'_>,
    bytes: &[u8],
    expected_sha256: &str,
    mapping: &Mapping,
    options: &Options,
    today: NaiveDate,
) -> Result<Imported> {
    if super::sha256_hex(bytes) != expected_sha256 {
        return Err(Error::Conflict(
            "The file has changed since it was checked. Check it again before importing.".into(),
        ));
    }
    import(w, bytes, mapping, options, today)
}

/// The rows' errors as one [`FieldErrors`], each field prefixed by its row.
fn row_errors(rows: &[RowPlan]) -> FieldErrors {
    let mut out = FieldErrors::new();
    let invalid: Vec<&RowPlan> = rows.iter().filter(|r| !r.is_valid()).collect();
    for r in invalid.iter().take(MAX_REPORTED_ROWS) {
        for e in &r.errors {
            out.add(format!("rows.{}.{}", r.row, e.field), e.message.clone());
        }
    }
    if invalid.len() > MAX_REPORTED_ROWS {
        out.add(
            "file",
            format!(
                "{} more rows have errors; the dry run lists them all.",
                invalid.len() - MAX_REPORTED_ROWS
            ),
        );
    }
    out
}

/// A row's field errors under its row's prefix; other errors as they are.
fn at_row(e: Error, row: u32) -> Error {
    match e {
        Error::Invalid(f) => Error::Invalid(FieldErrors(
            f.0.into_iter()
                .map(|e| FieldError {
                    field: format!("rows.{row}.{}", e.field),
                    message: e.message,
                })
                .collect(),
        )),
        other => other,
    }
}
