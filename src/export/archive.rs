//! The export archive: per entity a JSON file and a CSV file, streamed row by row from
//! the database into a deflated zip, then a manifest and a README.
//!
//! Nothing is collected in memory but one row at a time, so a decade of a busy practice
//! exports in constant memory. Each entity's query runs twice (once per format) inside
//! the caller's transaction, so both files see the same rows.

use super::tables::{queries, Entity, Kind};
use crate::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};
use serde::Serialize;
use std::io::{Seek, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// What the archive holds: one client, or the whole practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Client(i64),
    Practice,
}

/// The exported format's version, bumped when a file or column changes meaning or is
/// added: an app reads every version up to its own and refuses a newer one.
///
/// - 1: the records of care, billing, the directory and the settings.
/// - 2: the records rights (`access_requests`, `authorizations`, `disclosure_entries`,
///   `privacy_acknowledgments`), private `process_notes`, and the practice's billing,
///   KAP course and privacy-notice settings. A version 1 export lacks them, and imports
///   without them.
/// - 3: each signed session note's `seal` ([`note_seal`]). From this version on an
///   import refuses a signed note whose seal is missing or does not match.
pub const FORMAT_VERSION: u32 = 3;

/// The first format whose signed notes carry their seal.
pub(crate) const SEALED_FROM: u32 = 3;

/// A signed session note's seal in an export: hex SHA-256 over what was signed (the
/// note's id, appointment, client, body and signing time, each as the export writes it,
/// length-prefixed under a fixed label). The import computes it again from the file and
/// refuses a signed note whose body, client, appointment or signing time was edited
/// inside the archive.
///
/// It is a checksum, not a signature: the export holds no secret, so someone who edits
/// a note and also recomputes its seal by this published rule is not caught. It catches
/// an edit made by hand or by a spreadsheet, and a file damaged on its way.
pub(crate) fn note_seal(
    id: i64,
    appointment_id: i64,
    client_id: i64,
    body: &serde_json::Value,
    signed_at: &str,
) -> Result<String> {
    use sha2::{Digest, Sha256};
    let body = serde_json::to_string(body).map_err(json_err)?;
    let mut h = Sha256::new();
    for part in [
        "kap-practice signed session note 1",
        &id.to_string(),
        &appointment_id.to_string(),
        &client_id.to_string(),
        &body,
        signed_at,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    Ok(hex::encode(h.finalize()))
}

/// Fills in a session note row's `seal` column (see [`note_seal`]): the seal of a
/// signed note, null for a draft.
fn seal_note_row(columns: &[(&str, Kind)], cells: &mut [Cell]) -> Result<()> {
    let at = |name: &str| {
        columns
            .iter()
            .position(|(n, _)| *n == name)
            .ok_or(Error::Internal(
                "a session note column is missing from the export",
            ))
    };
    let seal = at("seal")?;
    cells[seal] = match (
        &cells[at("id")?],
        &cells[at("appointment_id")?],
        &cells[at("client_id")?],
        &cells[at("body")?],
        &cells[at("signed_at")?],
    ) {
        (_, _, _, _, Cell::Null) => Cell::Null,
        (Cell::Int(id), Cell::Int(appt), Cell::Int(client), Cell::Json(body), Cell::Text(t)) => {
            Cell::Text(note_seal(*id, *appt, *client, body, t)?)
        }
        _ => return Err(malformed()),
    };
    Ok(())
}

/// How many rows each entity had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct EntityCount {
    pub name: &'static str,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub rows: u64,
}

/// The archive's `manifest.json`: when, what, which versions, how many rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    pub format: &'static str,
    pub format_version: u32,
    /// `client` or `practice`.
    pub scope: &'static str,
    pub client_id: Option<i64>,
    pub exported_at: String,
    pub schema_version: i64,
    pub app_version: &'static str,
    pub entities: Vec<ManifestEntity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestEntity {
    pub name: &'static str,
    pub json: String,
    pub csv: String,
    pub rows: u64,
    pub columns: Vec<ManifestColumn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestColumn {
    pub name: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

impl Manifest {
    pub fn counts(&self) -> Vec<EntityCount> {
        self.entities
            .iter()
            .map(|e| EntityCount {
                name: e.name,
                rows: e.rows,
            })
            .collect()
    }
}

/// One exported value.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    Json(serde_json::Value),
}

fn malformed() -> Error {
    // Names the rule, never the value.
    Error::Internal("a stored value could not be exported")
}

fn cell(row: &Row<'_>, i: usize, kind: Kind) -> Result<Cell> {
    let v = row.get_ref(i)?;
    if let ValueRef::Null = v {
        return Ok(Cell::Null);
    }
    Ok(match kind {
        Kind::Int | Kind::Cents => Cell::Int(v.as_i64().map_err(|_| malformed())?),
        Kind::Bool => Cell::Bool(v.as_i64().map_err(|_| malformed())? != 0),
        Kind::Text => Cell::Text(v.as_str().map_err(|_| malformed())?.to_owned()),
        Kind::Date => {
            let s = v.as_str().map_err(|_| malformed())?;
            let d: NaiveDate = s.parse().map_err(|_| malformed())?;
            Cell::Text(d.format("%Y-%m-%d").to_string())
        }
        Kind::Time => {
            let s = v.as_str().map_err(|_| malformed())?;
            let t = DateTime::parse_from_rfc3339(s).map_err(|_| malformed())?;
            Cell::Text(
                t.with_timezone(&Utc)
                    .to_rfc3339_opts(SecondsFormat::Micros, true),
            )
        }
        Kind::Json => {
            let s = v.as_str().map_err(|_| malformed())?;
            Cell::Json(serde_json::from_str(s).map_err(|_| malformed())?)
        }
    })
}

fn json_err(_: serde_json::Error) -> Error {
    Error::Internal("the export could not be encoded")
}

fn write_json_row(out: &mut impl Write, columns: &[(&str, Kind)], cells: &[Cell]) -> Result<()> {
    out.write_all(b"{")?;
    for (i, ((name, _), cell)) in columns.iter().zip(cells).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, name).map_err(json_err)?;
        out.write_all(b":")?;
        match cell {
            Cell::Null => out.write_all(b"null")?,
            Cell::Int(n) => write!(out, "{n}")?,
            Cell::Bool(b) => write!(out, "{b}")?,
            Cell::Text(s) => serde_json::to_writer(&mut *out, s).map_err(json_err)?,
            Cell::Json(v) => serde_json::to_writer(&mut *out, v).map_err(json_err)?,
        }
    }
    out.write_all(b"}")?;
    Ok(())
}

/// A text cell made safe for spreadsheets: a cell that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return would be read as a formula by Excel, LibreOffice or Google
/// Sheets, so it gets a leading `'` (which those programs show as text, not formula).
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// One CSV field per RFC 4180: quoted when it holds a comma, a quote, CR or LF, with
/// quotes doubled.
pub fn csv_field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

fn write_csv_row<'a>(out: &mut impl Write, fields: impl Iterator<Item = &'a str>) -> Result<()> {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(csv_field(f).as_bytes())?;
    }
    out.write_all(b"\r\n")?;
    Ok(())
}

fn csv_text(cell: &Cell) -> Result<String> {
    Ok(match cell {
        Cell::Null => String::new(),
        Cell::Int(n) => n.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Text(s) => neutralise(s).into_owned(),
        Cell::Json(v) => neutralise(&serde_json::to_string(v).map_err(json_err)?).into_owned(),
    })
}

/// Runs `sql` and hands each row's cells to `each`; returns the row count.
fn for_each_row(
    conn: &Connection,
    entity: &Entity,
    sql: &str,
    scope: Scope,
    mut each: impl FnMut(&[Cell]) -> Result<()>,
) -> Result<u64> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = match scope {
        Scope::Client(id) => stmt.query([id])?,
        Scope::Practice => stmt.query([])?,
    };
    let mut cells = Vec::with_capacity(entity.columns.len());
    let mut n = 0;
    while let Some(row) = rows.next()? {
        cells.clear();
        for (i, (_, kind)) in entity.columns.iter().enumerate() {
            cells.push(cell(row, i, *kind)?);
        }
        if entity.name == "session_notes" {
            seal_note_row(entity.columns, &mut cells)?;
        }
        each(&cells)?;
        n += 1;
    }
    Ok(n)
}

fn zip_err(e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(e) => e.into(),
        _ => Error::Internal("the export archive could not be written"),
    }
}

/// The entries' modification time: the export time, to the two seconds zip can hold.
fn zip_time(now: DateTime<Utc>) -> zip::DateTime {
    let fallback = zip::DateTime::default();
    let (Ok(year), Ok(month), Ok(day), Ok(hour), Ok(minute), Ok(second)) = (
        u16::try_from(now.year()),
        u8::try_from(now.month()),
        u8::try_from(now.day()),
        u8::try_from(now.hour()),
        u8::try_from(now.minute()),
        u8::try_from(now.second()),
    ) else {
        return fallback;
    };
    zip::DateTime::from_date_and_time(year, month, day, hour, minute, second).unwrap_or(fallback)
}

/// Writes the whole archive for `scope` into `out`, reading through `conn` (call it in
/// one transaction so every file sees the same data). Returns the manifest it wrote.
///
/// # Errors
/// `Error::NotFound` for an unknown client; `Error::Io` when `out` cannot be written;
/// `Error::Internal` for a stored value that is not what its column promises.
pub fn write_zip<W: Write + Seek>(
    conn: &Connection,
    scope: Scope,
    now: DateTime<Utc>,
    out: W,
) -> Result<Manifest> {
    write_zip_with(conn, scope, now, out, &mut |_| true)
}

/// How far an export has come: `done` of `total` steps (each entity's JSON, then its
/// CSV), and the rows written so far across both files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Progress {
    pub done: u32,
    pub total: u32,
    pub rows: u64,
}

/// How often, in rows, an export reports its progress and asks whether to go on.
const PROGRESS_EVERY: u64 = 500;

/// [`write_zip`], telling `progress` how far it has come at each step and every few
/// hundred rows; when `progress` returns false the export stops with
/// [`Error::Cancelled`].
pub fn write_zip_with<W: Write + Seek>(
    conn: &Connection,
    scope: Scope,
    now: DateTime<Utc>,
    out: W,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Manifest> {
    write_zip_including(conn, scope, false, now, out, progress)
}

/// [`write_zip_with`]; a client's archive also holds the client's private process notes
/// when `process_notes` (the therapist's explicit choice for this one export, which the
/// caller records on its disclosure row). The practice's archive always holds them.
pub(crate) fn write_zip_including<W: Write + Seek>(
    conn: &Connection,
    scope: Scope,
    process_notes: bool,
    now: DateTime<Utc>,
    out: W,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Manifest> {
    let client = matches!(scope, Scope::Client(_));
    let total = u32::try_from(queries(client, process_notes).count() * 2).unwrap_or(u32::MAX);
    let mut at = Progress {
        done: 0,
        total,
        rows: 0,
    };
    if !progress(at) {
        return Err(Error::Cancelled);
    }
    let mut tick = |at: &mut Progress, step: bool| -> Result<()> {
        if step {
            at.done += 1;
        } else {
            at.rows += 1;
            if !at.rows.is_multiple_of(PROGRESS_EVERY) {
                return Ok(());
            }
        }
        if progress(*at) {
            Ok(())
        } else {
            Err(Error::Cancelled)
        }
    };
    if let Scope::Client(id) = scope {
        crate::clients::require(conn, id)?;
    }
    let schema_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip_time(now))
        .unix_permissions(0o600);
    let mut zip = ZipWriter::new(std::io::BufWriter::with_capacity(1 << 16, out));
    let mut entities = Vec::new();

    for (entity, sql) in queries(client, process_notes) {
        let json = format!("{}.json", entity.name);
        zip.start_file(json.as_str(), options).map_err(zip_err)?;
        let mut first = true;
        zip.write_all(b"[")?;
        let rows = for_each_row(conn, entity, &sql, scope, |cells| {
            tick(&mut at, false)?;
            zip.write_all(if first { b"\n" } else { b",\n" })?;
            first = false;
            write_json_row(&mut zip, entity.columns, cells)
        })?;
        zip.write_all(b"\n]\n")?;
        tick(&mut at, true)?;

        let csv = format!("{}.csv", entity.name);
        zip.start_file(csv.as_str(), options).map_err(zip_err)?;
        // A byte-order mark, so spreadsheet programs read the file as UTF-8.
        zip.write_all("\u{feff}".as_bytes())?;
        write_csv_row(&mut zip, entity.columns.iter().map(|(n, _)| *n))?;
        let mut fields = Vec::with_capacity(entity.columns.len());
        for_each_row(conn, entity, &sql, scope, |cells| {
            tick(&mut at, false)?;
            fields.clear();
            for c in cells {
                fields.push(csv_text(c)?);
            }
            write_csv_row(&mut zip, fields.iter().map(String::as_str))
        })?;
        tick(&mut at, true)?;

        entities.push(ManifestEntity {
            name: entity.name,
            json,
            csv,
            rows,
            columns: entity
                .columns
                .iter()
                .map(|(name, kind)| ManifestColumn {
                    name,
                    kind: kind.as_str(),
                })
                .collect(),
        });
    }

    let manifest = Manifest {
        format: "kap-practice-export",
        format_version: FORMAT_VERSION,
        scope: match scope {
            Scope::Client(_) => "client",
            Scope::Practice => "practice",
        },
        client_id: match scope {
            Scope::Client(id) => Some(id),
            Scope::Practice => None,
        },
        exported_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        schema_version,
        app_version: env!("CARGO_PKG_VERSION"),
        entities,
    };
    zip.start_file("manifest.json", options).map_err(zip_err)?;
    serde_json::to_writer_pretty(&mut zip, &manifest).map_err(json_err)?;
    zip.write_all(b"\n")?;
    zip.start_file("README.txt", options).map_err(zip_err)?;
    zip.write_all(readme(&manifest).as_bytes())?;
    let mut inner = zip.finish().map_err(zip_err)?;
    inner.flush()?;
    Ok(manifest)
}

/// The plain-text guide to the archive, with CRLF line ends so every system shows it.
fn readme(m: &Manifest) -> String {
    let what = match m.client_id {
        Some(id) => format!(
            "the complete record of one client (client number {id:06}), and nothing of any other client"
        ),
        None => "the whole practice: every client, record, setting and the fee schedule".into(),
    };
    let mut s = format!(
        "KAP Practice export\n\
         ===================\n\n\
         This archive holds {what}.\n\n\
         CONFIDENTIAL: it contains protected health information and it is NOT encrypted.\n\
         Keep it only on encrypted storage, share it only through a secure channel, and\n\
         delete it when it is no longer needed. The export is recorded in the practice's\n\
         audit log.\n\n\
         Exported at:     {}\n\
         Format version:  {}\n\
         Schema version:  {}\n\
         App version:     {}\n\n\
         Files: NAME.json and NAME.csv for each of these, with the number of rows:\n",
        m.exported_at, m.format_version, m.schema_version, m.app_version
    );
    for e in &m.entities {
        s.push_str(&format!("  {:<24} {:>9}\n", e.name, e.rows));
    }
    s.push_str(
        "\nConventions\n\
         -----------\n\
         - Each kind of record is in two files with the same rows and column names:\n\
         \x20 NAME.json (an array of objects, exact typed values) and NAME.csv.\n\
         - Dates are ISO 8601 (2026-03-10). Times are UTC in RFC 3339\n\
         \x20 (2026-03-10T15:00:00.000000Z); the practice's time zone is in its settings.\n\
         - Money is in integer US cents, in columns whose names end in _cents\n\
         \x20 (60000 is $600.00).\n\
         - Ids link the files: client_id, appointment_id, note_id, invoice_id and so on.\n\
         - A session note's body and other structured fields are JSON: nested in the .json\n\
         \x20 files, as JSON text in one cell of the .csv files.\n\
         - A signed session note's seal is a SHA-256 checksum of what was signed; an\n\
         \x20 import into KAP Practice refuses a signed note edited inside the archive.\n\
         - CSV files are UTF-8 with a byte-order mark, comma-separated, quoted per RFC 4180.\n\
         \x20 A text cell that begins with = + - @ a tab or a carriage return has a ' added\n\
         \x20 in front so spreadsheet programs never run it as a formula; the .json files\n\
         \x20 hold the exact text.\n\
         - A single client's export leaves out a group session's shared appointment\n\
         \x20 notes (they may mention other members); the client's own session note is in.\n\
         - Private process notes (psychotherapy notes) are in process_notes: always in the\n\
         \x20 whole practice's export, in a single client's export only when the therapist\n\
         \x20 chose to include them for that one export (recorded in the audit log).\n\
         - manifest.json lists every file, its columns with their types, and its row count.\n",
    );
    s.replace('\n', "\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seal's rule is part of the format: a format 3 export made today must import in
    /// every later version, so the rule is pinned to a known value.
    #[test]
    fn a_notes_seal_is_pinned_and_covers_each_part() {
        let body = serde_json::json!({"kind": "free_text", "text": "Ana"});
        let at = "2026-03-10T15:00:00.000000Z";
        let seal = note_seal(7, 12, 3, &body, at).unwrap();
        assert_eq!(
            seal,
            "eea50b58ee606027845679346c2a117203234681a1598296d39c0d03213aaa82"
        );
        let other = serde_json::json!({"kind": "free_text", "text": "Ana."});
        for changed in [
            note_seal(8, 12, 3, &body, at),
            note_seal(7, 13, 3, &body, at),
            note_seal(7, 12, 4, &body, at),
            note_seal(7, 12, 3, &other, at),
            note_seal(7, 12, 3, &body, "2026-03-10T15:00:00.000001Z"),
            // Length prefixes: moving a digit from one part to the next changes the seal.
            note_seal(71, 2, 3, &body, at),
        ] {
            assert_ne!(changed.unwrap(), seal);
        }
    }

    #[test]
    fn csv_fields_quote_and_neutralise() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        for hostile in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(hostile).starts_with('\''), "{hostile:?}");
        }
        assert_eq!(neutralise("Ana"), "Ana");
        assert_eq!(neutralise(""), "");
    }
}
