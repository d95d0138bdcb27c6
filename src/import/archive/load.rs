//! Where each exported entity goes in the store, and the rows put there.
//!
//! [`TARGETS`] lists every entity of the export format (`export::tables::ENTITIES`) in
//! the order its rows can be inserted with every foreign key checked at once (prescribers
//! before the intakes that name them, invoices before the charges on them), so a row
//! that refers to nothing is refused with its entity and row number. Columns the export
//! derives from other rows (an amendment's `client_id`, an invoice's `number`) are not
//! stored: each is checked against what the store derives, so an edited one is refused
//! rather than silently dropped.

use super::read::{each_row, Archive, EntityIn};
use super::refused;
use crate::audit::EntityKind;
use crate::export::tables::{Entity, Kind, ENTITIES};
use crate::store::Writer;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, Statement};
use serde_json::{Map, Value};

/// How an entity's rows go into a store that already holds a new practice's seeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    /// Records of care: the table must be empty before the import.
    Insert,
    /// The practice's one settings row (`id` 1), written over the new practice's.
    Singleton,
    /// A small table the new practice seeds (fee schedule, CPT codes, the checklist):
    /// replaced whole by the export's rows.
    Replace,
}

/// Which audit rows the imported rows get (see the module `archive`'s notes on why).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Audit {
    /// None of its own: the rows are part of a parent's content hash (a screening's
    /// answers, an invoice's lines, a payment's reversal) or of no entity's (an
    /// appointment's attendees, as in the app).
    Covered,
    /// One row per record, its id from this column.
    PerRow(EntityKind, &'static str),
    /// One row for the whole table.
    Once(EntityKind, i64),
}

/// A column the export derives from other rows: checked, not stored.
#[derive(Debug, Clone, Copy)]
pub(super) enum Derived {
    /// The client of the record named by the column `via`, looked up by `sql` (`?1`).
    ClientVia {
        via: &'static str,
        sql: &'static str,
    },
    /// An invoice's number, `YYYY-NNNN` from its `year` and `seq`.
    InvoiceNumber,
    /// A signed session note's seal (`export::note_seal`), checked against the row as
    /// the file holds it (see [`entity`]).
    NoteSeal,
}

/// Where one exported entity goes.
#[derive(Debug)]
pub(super) struct Target {
    pub entity: &'static str,
    pub table: &'static str,
    /// Export column → table column, where the names differ.
    pub renamed: &'static [(&'static str, &'static str)],
    pub derived: &'static [(&'static str, Derived)],
    pub how: How,
    pub audit: Audit,
}

const fn insert(entity: &'static str, table: &'static str, audit: Audit) -> Target {
    Target {
        entity,
        table,
        renamed: &[],
        derived: &[],
        how: How::Insert,
        audit,
    }
}

const fn per_row(kind: EntityKind) -> Audit {
    Audit::PerRow(kind, "id")
}

/// Every exported entity, in insertion order.
pub(super) const TARGETS: &[Target] = &[
    Target {
        how: How::Singleton,
        ..insert(
            "practice_settings",
            "practice",
            Audit::Once(EntityKind::Practice, 1),
        )
    },
    Target {
        renamed: &[("fee_cents", "cents")],
        how: How::Replace,
        ..insert(
            "fee_schedule",
            "fee_schedule",
            Audit::Once(EntityKind::FeeSchedule, 1),
        )
    },
    Target {
        how: How::Replace,
        ..insert(
            "service_codes",
            "service_code",
            Audit::Once(EntityKind::FeeSchedule, 2),
        )
    },
    Target {
        how: How::Replace,
        ..insert(
            "contraindications",
            "contraindication",
            per_row(EntityKind::Contraindication),
        )
    },
    insert("prescribers", "prescriber", per_row(EntityKind::Prescriber)),
    Target {
        renamed: &[
            ("emergency_contact_name", "emergency_name"),
            ("emergency_contact_relation", "emergency_relation"),
            ("emergency_contact_phone", "emergency_phone"),
        ],
        ..insert("clients", "client", per_row(EntityKind::Client))
    },
    insert(
        "billing_profiles",
        "billing_profile",
        Audit::PerRow(EntityKind::BillingProfile, "client_id"),
    ),
    insert("intakes", "intake", per_row(EntityKind::Intake)),
    Target {
        derived: &[(
            "client_id",
            Derived::ClientVia {
                via: "intake_id",
                sql: "SELECT client_id FROM intake WHERE id = ?1",
            },
        )],
        ..insert("screenings", "screening", per_row(EntityKind::Screening))
    },
    Target {
        derived: &[(
            "client_id",
            Derived::ClientVia {
                via: "screening_id",
                sql: "SELECT i.client_id FROM screening s JOIN intake i ON i.id = s.intake_id
                      WHERE s.id = ?1",
            },
        )],
        ..insert("screening_answers", "screening_answer", Audit::Covered)
    },
    insert(
        "prescriptions",
        "prescription",
        per_row(EntityKind::Prescription),
    ),
    insert("consents", "consent", per_row(EntityKind::Consent)),
    insert(
        "appointments",
        "appointment",
        per_row(EntityKind::Appointment),
    ),
    insert(
        "appointment_attendees",
        "appointment_attendee",
        Audit::Covered,
    ),
    Target {
        derived: &[("seal", Derived::NoteSeal)],
        ..insert(
            "session_notes",
            "session_note",
            per_row(EntityKind::SessionNote),
        )
    },
    Target {
        derived: &[(
            "client_id",
            Derived::ClientVia {
                via: "note_id",
                sql: "SELECT client_id FROM session_note WHERE id = ?1",
            },
        )],
        ..insert("amendments", "amendment", per_row(EntityKind::Amendment))
    },
    insert("follow_ups", "follow_up", per_row(EntityKind::FollowUp)),
    insert("measures", "measure", per_row(EntityKind::Measure)),
    insert(
        "safety_assessments",
        "safety_assessment",
        per_row(EntityKind::SafetyAssessment),
    ),
    Target {
        derived: &[("number", Derived::InvoiceNumber)],
        ..insert("invoices", "invoice", per_row(EntityKind::Invoice))
    },
    insert("charges", "charge", per_row(EntityKind::Charge)),
    Target {
        derived: &[(
            "client_id",
            Derived::ClientVia {
                via: "invoice_id",
                sql: "SELECT client_id FROM invoice WHERE id = ?1",
            },
        )],
        ..insert("invoice_lines", "invoice_line", Audit::Covered)
    },
    insert("payments", "payment", per_row(EntityKind::Payment)),
    Target {
        derived: &[(
            "client_id",
            Derived::ClientVia {
                via: "payment_id",
                sql: "SELECT client_id FROM payment WHERE id = ?1",
            },
        )],
        ..insert("payment_reversals", "payment_reversal", Audit::Covered)
    },
    // Records rights and process notes (format 2), each audited as in the app.
    insert(
        "access_requests",
        "access_request",
        per_row(EntityKind::AccessRequest),
    ),
    insert(
        "authorizations",
        "authorization",
        per_row(EntityKind::Authorization),
    ),
    insert(
        "disclosure_entries",
        "disclosure_entry",
        per_row(EntityKind::DisclosureEntry),
    ),
    insert(
        "privacy_acknowledgments",
        "privacy_acknowledgment",
        per_row(EntityKind::PrivacyAcknowledgment),
    ),
    insert(
        "process_notes",
        "process_note",
        per_row(EntityKind::ProcessNote),
    ),
];

impl Target {
    /// The export format's description of this entity.
    pub fn format(&self) -> Result<&'static Entity> {
        ENTITIES
            .iter()
            .find(|e| e.name == self.entity)
            .ok_or(Error::Internal("an import target names no exported entity"))
    }

    fn table_column(&self, column: &'static str) -> &'static str {
        self.renamed
            .iter()
            .find(|(from, _)| *from == column)
            .map_or(column, |(_, to)| to)
    }

    fn derived(&self, column: &str) -> Option<Derived> {
        self.derived
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, d)| *d)
    }
}

/// Refuses unless the store holds no record of care: an export becomes a new practice,
/// never merged into one (ids are kept, and would collide).
pub(super) fn require_empty(conn: &Connection) -> Result<()> {
    for t in TARGETS.iter().filter(|t| t.how == How::Insert) {
        let any: bool = conn.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {})", t.table),
            [],
            |r| r.get(0),
        )?;
        if any {
            return Err(Error::Conflict(format!(
                "A practice export can only become a new practice, and this practice already holds {}. Nothing was imported.",
                t.entity.replace('_', " ")
            )));
        }
    }
    Ok(())
}

/// One exported value as stored, or `None` when it is not of the column's type.
pub(super) fn to_sql(kind: Kind, v: &Value) -> Option<Sql> {
    if v.is_null() {
        return Some(Sql::Null);
    }
    Some(match kind {
        Kind::Int | Kind::Cents => Sql::Integer(v.as_i64()?),
        Kind::Bool => Sql::Integer(i64::from(v.as_bool()?)),
        Kind::Text => Sql::Text(v.as_str()?.to_owned()),
        Kind::Date => {
            let d: NaiveDate = v.as_str()?.parse().ok()?;
            Sql::Text(d.format("%Y-%m-%d").to_string())
        }
        Kind::Time => {
            let t = DateTime::parse_from_rfc3339(v.as_str()?).ok()?;
            Sql::Text(crate::store::col::stamp(t.with_timezone(&Utc)))
        }
        Kind::Json => Sql::Text(serde_json::to_string(v).ok()?),
    })
}

/// The columns of one entity's file, as its manifest lists them, checked against the
/// format: every column known and of its type, none twice.
pub(super) fn columns(
    entity: &'static Entity,
    listed: &EntityIn,
) -> Result<Vec<(&'static str, Kind)>> {
    let mut out: Vec<(&'static str, Kind)> = Vec::with_capacity(listed.columns.len());
    for c in &listed.columns {
        let Some(&(name, kind)) = entity.columns.iter().find(|(n, _)| *n == c.name) else {
            return Err(refused(&format!(
                "{} has a column this version does not know",
                entity.name
            )));
        };
        if kind.as_str() != c.kind {
            return Err(refused(&format!(
                "the column {name} of {} is not of the type the format gives it",
                entity.name
            )));
        }
        if out.iter().any(|(n, _)| *n == name) {
            return Err(refused(&format!(
                "the column {name} of {} is listed twice",
                entity.name
            )));
        }
        out.push((name, kind));
    }
    Ok(out)
}

/// Checks one row's shape and converts its values, in the order of `columns`.
pub(super) fn row_values(
    entity: &str,
    n: u64,
    columns: &[(&'static str, Kind)],
    row: &Map<String, Value>,
    out: &mut Vec<Sql>,
) -> Result<()> {
    out.clear();
    if row.len() != columns.len() {
        return Err(refused(&format!(
            "{entity} row {n} does not have the columns the manifest lists"
        )));
    }
    for (name, kind) in columns {
        let v = row
            .get(*name)
            .ok_or_else(|| refused(&format!("{entity} row {n} lacks the column {name}")))?;
        out.push(to_sql(*kind, v).ok_or_else(|| {
            refused(&format!(
                "{entity} row {n}: the column {name} is not a valid {}",
                kind.as_str()
            ))
        })?);
    }
    Ok(())
}

/// What a column of `table` needs when an older export lacks it.
fn required_without_default(conn: &Connection, table: &str, column: &str) -> Result<bool> {
    let mut stmt = conn.prepare(&format!(
        "SELECT \"notnull\", dflt_value FROM pragma_table_info('{table}') WHERE name = ?1"
    ))?;
    let found: Option<(bool, Option<String>)> = {
        let mut rows = stmt.query([column])?;
        match rows.next()? {
            Some(r) => Some((r.get(0)?, r.get(1)?)),
            None => None,
        }
    };
    match found {
        Some((notnull, default)) => Ok(notnull && default.is_none()),
        None => Err(Error::Internal("an exported column has no table column")),
    }
}

/// A prepared insert for one entity, with the checks of its derived columns.
struct Loader<'c> {
    target: &'static Target,
    insert: Statement<'c>,
    /// For each listed column: its parameter in `insert`, or its derived check.
    slots: Vec<Slot>,
    lookups: Vec<Statement<'c>>,
    /// Where the audited id is among the listed columns.
    audit_id: Option<usize>,
    /// Where the client's legal name is (the client's `sort_name` is made from it).
    legal_name: Option<usize>,
    params: Vec<Sql>,
}

enum Slot {
    Param,
    /// Checked through `lookups[i]` with the value of listed column `via`.
    ClientVia {
        lookup: usize,
        via: usize,
    },
    InvoiceNumber {
        year: usize,
        seq: usize,
    },
    /// Checked from the file's row before it is converted (see [`entity`]).
    FromFile,
}

fn position(columns: &[(&'static str, Kind)], name: &str) -> Option<usize> {
    columns.iter().position(|(n, _)| *n == name)
}

impl<'c> Loader<'c> {
    fn new(
        conn: &'c Connection,
        target: &'static Target,
        columns: &[(&'static str, Kind)],
    ) -> Result<Loader<'c>> {
        let entity = target.format()?;
        // A column an older export lacks imports as NULL or its default; a required one
        // cannot be made up.
        for (name, _) in entity.columns {
            if position(columns, name).is_none()
                && target.derived(name).is_none()
                && required_without_default(conn, target.table, target.table_column(name))?
            {
                return Err(refused(&format!(
                    "{} lacks the column {name}, which every record needs",
                    entity.name
                )));
            }
        }
        let mut names: Vec<&str> = Vec::new();
        let mut slots = Vec::with_capacity(columns.len());
        let mut lookups = Vec::new();
        for (name, _) in columns {
            let slot = match target.derived(name) {
                None => {
                    names.push(target.table_column(name));
                    Slot::Param
                }
                Some(Derived::ClientVia { via, sql }) => {
                    let via = position(columns, via).ok_or_else(|| {
                        refused(&format!("{} lacks the column {via}", entity.name))
                    })?;
                    lookups.push(conn.prepare(sql)?);
                    Slot::ClientVia {
                        lookup: lookups.len() - 1,
                        via,
                    }
                }
                Some(Derived::InvoiceNumber) => {
                    let at = |c: &str| {
                        position(columns, c).ok_or_else(|| {
                            refused(&format!("{} lacks the column {c}", entity.name))
                        })
                    };
                    Slot::InvoiceNumber {
                        year: at("year")?,
                        seq: at("seq")?,
                    }
                }
                Some(Derived::NoteSeal) => Slot::FromFile,
            };
            slots.push(slot);
        }
        let legal_name = match target.table {
            "client" => {
                names.push("sort_name");
                Some(
                    position(columns, "legal_name")
                        .ok_or_else(|| refused("clients lacks the column legal_name"))?,
                )
            }
            _ => None,
        };
        if target.how == How::Singleton {
            names.push("id");
        }
        let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            target.table,
            names.join(", "),
            marks.join(", ")
        );
        if target.how == How::Singleton {
            let set: Vec<String> = names
                .iter()
                .filter(|n| **n != "id")
                .map(|n| format!("{n} = excluded.{n}"))
                .collect();
            sql.push_str(&format!(
                " ON CONFLICT (id) DO UPDATE SET {}",
                set.join(", ")
            ));
        }
        let audit_id = match target.audit {
            Audit::PerRow(_, key) => Some(
                position(columns, key)
                    .ok_or_else(|| refused(&format!("{} lacks the column {key}", entity.name)))?,
            ),
            _ => None,
        };
        Ok(Loader {
            target,
            insert: conn.prepare(&sql)?,
            slots,
            lookups,
            audit_id,
            legal_name,
            params: Vec::with_capacity(names.len()),
        })
    }

    /// Inserts one row (its values in the listed columns' order); returns the id its
    /// audit row names, if it has one of its own.
    fn row(&mut self, n: u64, values: &[Sql]) -> Result<Option<i64>> {
        let entity = self.target.entity;
        self.params.clear();
        for (i, slot) in self.slots.iter().enumerate() {
            match *slot {
                Slot::Param => self.params.push(values[i].clone()),
                Slot::ClientVia { lookup, via } => {
                    let found: Option<i64> = match &values[via] {
                        Sql::Integer(id) => {
                            let mut rows = self.lookups[lookup].query([id])?;
                            match rows.next()? {
                                Some(r) => Some(r.get(0)?),
                                None => None,
                            }
                        }
                        _ => None,
                    };
                    // A missing parent is the insert's foreign key error below.
                    if let Some(client) = found {
                        if values[i] != Sql::Integer(client) {
                            return Err(refused(&format!(
                                "{entity} row {n}: the column client_id is not the client of the record it belongs to"
                            )));
                        }
                    }
                }
                Slot::InvoiceNumber { year, seq } => {
                    let number = match (&values[year], &values[seq]) {
                        (Sql::Integer(y), Sql::Integer(s)) => i32::try_from(*y)
                            .ok()
                            .map(|y| Sql::Text(crate::billing::invoice_number(y, *s))),
                        _ => None,
                    };
                    if number.as_ref() != Some(&values[i]) {
                        return Err(refused(&format!(
                            "{entity} row {n}: the column number is not the invoice's year and sequence"
                        )));
                    }
                }
                Slot::FromFile => {}
            }
        }
        if let Some(at) = self.legal_name {
            let sort = match &values[at] {
                Sql::Text(name) => Sql::Text(crate::clients::sort_key(name)),
                _ => Sql::Null,
            };
            self.params.push(sort);
        }
        if self.target.how == How::Singleton {
            self.params.push(Sql::Integer(1));
        }
        self.insert
            .execute(rusqlite::params_from_iter(self.params.iter()))
            .map_err(|e| insert_error(entity, n, e))?;
        Ok(match self.audit_id {
            Some(at) => match values[at] {
                Sql::Integer(id) => Some(id),
                _ => return Err(refused(&format!("{entity} row {n} has no id"))),
            },
            None => None,
        })
    }
}

/// A refused insert in words that name the rule, never the row's values.
fn insert_error(entity: &str, n: u64, e: rusqlite::Error) -> Error {
    use rusqlite::ffi;
    let code = match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            f.extended_code
        }
        _ => return Error::from(e),
    };
    let why = match code {
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => "refers to a record the export does not hold",
        ffi::SQLITE_CONSTRAINT_PRIMARYKEY | ffi::SQLITE_CONSTRAINT_UNIQUE => {
            "repeats a record already imported"
        }
        ffi::SQLITE_CONSTRAINT_NOTNULL => "lacks a value its record needs",
        ffi::SQLITE_CONSTRAINT_CHECK => "holds a value the practice's records do not allow",
        _ => "breaks a rule of the practice's records",
    };
    refused(&format!("{entity} row {n} {why}"))
}

/// Imports one entity's rows from its file; returns how many rows there were. The ids
/// its rows' audit rows will name are added to `audited`.
pub(super) fn entity(
    w: &Writer<'_>,
    archive: &mut Archive,
    target: &'static Target,
    listed: &EntityIn,
    audited: &mut Vec<i64>,
) -> Result<u64> {
    let format = target.format()?;
    let columns = columns(format, listed)?;
    let conn = w.conn();
    if target.how == How::Replace {
        conn.execute(&format!("DELETE FROM {}", target.table), [])?;
    }
    let mut loader = Loader::new(conn, target, &columns)?;
    let body = position(&columns, "body").filter(|_| target.table == "session_note");
    let sealed = position(&columns, "seal").is_some() && target.table == "session_note";
    let fees = position(&columns, "fee_arrangement").filter(|_| target.table == "client");
    let file = listed.json.clone();
    let mut values = Vec::with_capacity(columns.len());
    let rows = archive.with_entry(&file, |reader| {
        each_row(reader, &file, &mut |n, row| {
            row_values(target.entity, n, &columns, &row, &mut values)?;
            if let Some(at) = body {
                values[at] = note_body(n, &row["body"], &values[at])?;
            }
            if sealed {
                check_seal(n, &row)?;
            }
            if let Some(at) = fees {
                // An arrangement this version cannot read keeps the export's text.
                if let Some(text) = super::order::fee_arrangement(&row["fee_arrangement"]) {
                    values[at] = Sql::Text(text);
                }
            }
            if let Some(id) = loader.row(n, &values)? {
                audited.push(id);
            }
            Ok(())
        })
    })?;
    if rows != listed.rows {
        return Err(refused(&format!(
            "{file} holds {rows} rows, but the manifest says {}",
            listed.rows
        )));
    }
    Ok(rows)
}

/// A signed session note's seal must be the one `export::note_seal` computes from the
/// row as the file holds it; a draft has none. Runs after the row's values were checked
/// against their columns' types.
fn check_seal(n: u64, row: &Map<String, Value>) -> Result<()> {
    let broken = || {
        refused(&format!(
            "session_notes row {n}: a signed note is not as it was signed (its seal does not match)"
        ))
    };
    let at = |c: &str| row.get(c).unwrap_or(&Value::Null);
    let int = |c: &str| at(c).as_i64().ok_or_else(broken);
    match (at("signed_at"), at("seal")) {
        (Value::Null, Value::Null) => Ok(()),
        (Value::String(signed_at), Value::String(seal)) => {
            let want = crate::export::note_seal(
                int("id")?,
                int("appointment_id")?,
                int("client_id")?,
                at("body"),
                signed_at,
            )?;
            if want == *seal {
                Ok(())
            } else {
                Err(broken())
            }
        }
        _ => Err(broken()),
    }
}

/// A session note's body must be a note this app can open: a body that is not would
/// make the note unreadable, and for a signed note could never be corrected. It is
/// stored as the app writes it (see `order`).
fn note_body(n: u64, exported: &Value, converted: &Sql) -> Result<Sql> {
    if *converted == Sql::Null {
        return Ok(Sql::Null);
    }
    super::order::note_body(exported)
        .map(Sql::Text)
        .ok_or_else(|| {
            refused(&format!(
                "session_notes row {n}: the column body is not a session note"
            ))
        })
}

/// The ids of the rows of `table` now (a replaced table's rows before the import).
pub(super) fn ids(conn: &Connection, table: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(&format!("SELECT id FROM {table} ORDER BY id"))?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// What the store derives from the imported rows, checked or made once they are all in.
///
/// - `note_signed` on each attendee says whether that attendee's note is signed (the
///   dashboard's "notes to sign" reads it): an export that lists it must agree with the
///   notes; an older one without it has it made here.
/// - The practice's time zone must be one this app knows (every date shown depends on
///   it).
pub(super) fn derived(conn: &Connection, note_signed_listed: bool) -> Result<()> {
    const SIGNED: &str = "EXISTS (SELECT 1 FROM session_note n
        WHERE n.appointment_id = appointment_attendee.appointment_id
          AND n.client_id = appointment_attendee.client_id AND n.signed_at IS NOT NULL)";
    if note_signed_listed {
        let wrong: i64 = conn.query_row(
            &format!("SELECT count(*) FROM appointment_attendee WHERE note_signed <> {SIGNED}"),
            [],
            |r| r.get(0),
        )?;
        if wrong > 0 {
            return Err(refused(
                "appointment_attendees: the column note_signed does not agree with the signed session notes",
            ));
        }
    } else {
        conn.execute(
            &format!("UPDATE appointment_attendee SET note_signed = 1 WHERE {SIGNED}"),
            [],
        )?;
    }
    let zone: Option<String> = {
        let mut stmt = conn.prepare("SELECT time_zone FROM practice WHERE id = 1")?;
        let mut rows = stmt.query([])?;
        match rows.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        }
    };
    if let Some(zone) = zone {
        if zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(refused(
                "practice_settings: the column time_zone is not a time zone this app knows",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exported_entity_has_one_target() {
        for e in ENTITIES {
            let n = TARGETS.iter().filter(|t| t.entity == e.name).count();
            assert_eq!(n, 1, "{} must be imported exactly once", e.name);
        }
        assert_eq!(TARGETS.len(), ENTITIES.len());
        for t in TARGETS {
            let e = t.format().expect("a target names an exported entity");
            let named = t.renamed.iter().map(|(from, _)| from);
            for from in named.chain(t.derived.iter().map(|(c, _)| c)) {
                assert!(
                    e.columns.iter().any(|(n, _)| n == from),
                    "{}: {from} is an exported column",
                    t.entity
                );
            }
        }
    }

    #[test]
    fn values_are_converted_by_type() {
        use serde_json::json;
        assert_eq!(to_sql(Kind::Int, &json!(7)), Some(Sql::Integer(7)));
        assert_eq!(to_sql(Kind::Int, &json!("7")), None);
        assert_eq!(to_sql(Kind::Int, &json!(7.5)), None);
        assert_eq!(to_sql(Kind::Bool, &json!(true)), Some(Sql::Integer(1)));
        assert_eq!(to_sql(Kind::Bool, &json!(1)), None);
        assert_eq!(to_sql(Kind::Text, &json!(3)), None);
        assert_eq!(to_sql(Kind::Text, &Value::Null), Some(Sql::Null));
        assert_eq!(
            to_sql(Kind::Date, &json!("2026-03-10")),
            Some(Sql::Text("2026-03-10".into()))
        );
        assert_eq!(to_sql(Kind::Date, &json!("2026-02-30")), None);
        assert_eq!(
            to_sql(Kind::Time, &json!("2026-03-10T15:00:00Z")),
            Some(Sql::Text("2026-03-10T15:00:00.000000Z".into()))
        );
        assert_eq!(to_sql(Kind::Time, &json!("yesterday")), None);
        assert_eq!(
            to_sql(Kind::Json, &json!({"b": 1, "a": [2]})),
            Some(Sql::Text("{\"a\":[2],\"b\":1}".into()))
        );
    }
}
