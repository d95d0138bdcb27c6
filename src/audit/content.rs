//! Content hashes: what an audit row says the row it records looked like.
//!
//! Each entity kind maps to its table (and, for a few, the child rows written with it).
//! The hash is SHA-256 over the row's columns in table order, each as its name and a
//! typed, length-prefixed value; NULL columns are left out, so a migration that adds a
//! nullable column keeps every earlier hash valid. A row that no longer exists hashes to
//! [`ABSENT`].

use super::EntityKind;
use crate::Result;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The content hash of a row that does not exist (deleted, or never written).
pub const ABSENT: &str = "absent";

/// Where an entity's content lives.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Content {
    /// One row of `table`, found by `key`, without the `skip` columns, followed by the
    /// rows of each child table whose `fk` column names it.
    Row {
        table: &'static str,
        key: &'static str,
        skip: &'static [&'static str],
        children: &'static [(&'static str, &'static str)],
    },
    /// A whole small table (the fee schedule and its CPT codes).
    Table(&'static str),
}

const fn row(table: &'static str) -> Content {
    Content::Row {
        table,
        key: "id",
        skip: &[],
        children: &[],
    }
}

/// The content an audit row of this kind and id records, or None when it records
/// nothing in the database (the schema, the key file, a backup) or nothing that is part
/// of the record (a form draft: its saves coalesce into one audit row, see
/// `Writer::audit_coalesced`).
pub(crate) fn content_of(kind: EntityKind, id: i64) -> Option<Content> {
    use EntityKind as K;
    Some(match kind {
        K::Schema | K::Key | K::Backup | K::Draft => return None,
        K::Practice => row("practice"),
        K::FeeSchedule => match id {
            1 => Content::Table("fee_schedule"),
            2 => Content::Table("service_code"),
            _ => return None,
        },
        K::Client => row("client"),
        K::Prescriber => row("prescriber"),
        K::Intake => row("intake"),
        K::Screening => Content::Row {
            table: "screening",
            key: "id",
            skip: &[],
            children: &[("screening_answer", "screening_id")],
        },
        K::Contraindication => row("contraindication"),
        K::Prescription => row("prescription"),
        K::Consent => row("consent"),
        K::Appointment => row("appointment"),
        K::SessionNote => row("session_note"),
        K::Amendment => row("amendment"),
        K::FollowUp => row("follow_up"),
        K::Measure => row("measure"),
        K::SafetyAssessment => row("safety_assessment"),
        K::ImportBatch => row("import_batch"),
        K::AccessRequest => row("access_request"),
        K::Authorization => row("authorization"),
        K::DisclosureEntry => row("disclosure_entry"),
        K::ProcessNote => row("process_note"),
        K::PrivacyAcknowledgment => row("privacy_acknowledgment"),
        // Invoicing and voiding move a charge onto and off an invoice under the invoice's
        // audit row; the invoice's lines record which charges it holds.
        K::Charge => Content::Row {
            table: "charge",
            key: "id",
            skip: &["invoice_id", "updated_at"],
            children: &[],
        },
        K::Invoice => Content::Row {
            table: "invoice",
            key: "id",
            skip: &[],
            children: &[("invoice_line", "invoice_id")],
        },
        K::Payment => Content::Row {
            table: "payment",
            key: "id",
            skip: &[],
            children: &[("payment_reversal", "payment_id")],
        },
        K::BillingProfile => Content::Row {
            table: "billing_profile",
            key: "client_id",
            skip: &[],
            children: &[],
        },
    })
}

fn put(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

fn encode(h: &mut Sha256, names: &[String], r: &Row<'_>, skip: &[&str]) -> rusqlite::Result<()> {
    encode_from(h, names, r, skip, 0)
}

/// [`encode`] of the row's columns from `offset` on (`names` are theirs).
fn encode_from(
    h: &mut Sha256,
    names: &[String],
    r: &Row<'_>,
    skip: &[&str],
    offset: usize,
) -> rusqlite::Result<()> {
    h.update(b"R");
    for (i, name) in names.iter().enumerate() {
        if skip.contains(&name.as_str()) {
            continue;
        }
        let v = r.get_ref(i + offset)?;
        if matches!(v, ValueRef::Null) {
            continue;
        }
        put(h, name.as_bytes());
        match v {
            ValueRef::Null => {}
            ValueRef::Integer(n) => {
                h.update(b"i");
                h.update(n.to_le_bytes());
            }
            ValueRef::Real(f) => {
                h.update(b"r");
                h.update(f.to_bits().to_le_bytes());
            }
            ValueRef::Text(t) => {
                h.update(b"t");
                put(h, t);
            }
            ValueRef::Blob(b) => {
                h.update(b"b");
                put(h, b);
            }
        }
    }
    Ok(())
}

fn names(stmt: &rusqlite::Statement<'_>) -> Vec<String> {
    stmt.column_names().map(str::to_owned).collect()
}

/// Hashes every row `sql` returns (with `param`, if any) into `h`, counting them.
fn hash_rows(
    conn: &Connection,
    h: &mut Sha256,
    sql: &str,
    param: Option<i64>,
    skip: &[&str],
) -> Result<usize> {
    let mut stmt = conn.prepare_cached(sql)?;
    let cols = names(&stmt);
    let mut rows = match param {
        Some(p) => stmt.query([p])?,
        None => stmt.query([])?,
    };
    let mut n = 0usize;
    while let Some(r) = rows.next()? {
        encode(h, &cols, r, skip)?;
        n += 1;
    }
    Ok(n)
}

/// The content hash of this entity as the database holds it now: hex SHA-256, or
/// [`ABSENT`]. None for kinds without content (see [`content_of`]).
pub(crate) fn hash(conn: &Connection, kind: EntityKind, id: i64) -> Result<Option<String>> {
    let Some(content) = content_of(kind, id) else {
        return Ok(None);
    };
    let mut h = Sha256::new();
    put(&mut h, kind.as_str().as_bytes());
    match content {
        Content::Table(table) => {
            // Whole tables are keyed by text; order by it so the hash is canonical.
            let sql = format!("SELECT * FROM {table} ORDER BY 1");
            hash_rows(conn, &mut h, &sql, None, &[])?;
        }
        Content::Row {
            table,
            key,
            skip,
            children,
        } => {
            let sql = format!("SELECT * FROM {table} WHERE {key} = ?1");
            if hash_rows(conn, &mut h, &sql, Some(id), skip)? == 0 {
                return Ok(Some(ABSENT.to_owned()));
            }
            for (child, fk) in children {
                h.update(b"C");
                put(&mut h, child.as_bytes());
                let sql = format!("SELECT * FROM {child} WHERE {fk} = ?1 ORDER BY rowid");
                hash_rows(conn, &mut h, &sql, Some(id), &[])?;
            }
        }
    }
    Ok(Some(hex::encode(h.finalize())))
}

/// One audit row whose recorded content no longer matches the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    pub kind: String,
    pub id: i64,
    pub seq: i64,
    pub absent: bool,
}

/// Recomputes the content hash of every entity's latest content-hashed audit row and
/// returns those that differ, in audit order.
///
/// Plain one-row entities are checked by one scan of their table in rowid order (a
/// decade's 125,000 appointments and notes); the rest row by row.
pub(crate) fn mismatches(conn: &Connection) -> Result<Vec<Mismatch>> {
    // SQLite takes the bare columns of a row holding max(seq) from that row.
    let mut stmt = conn.prepare(
        "SELECT entity_kind, entity_id, max(seq), content_hash FROM audit_log
         WHERE content_hash IS NOT NULL GROUP BY entity_kind, entity_id",
    )?;
    let mut by_kind: HashMap<String, HashMap<i64, (i64, String)>> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        by_kind
            .entry(r.get(0)?)
            .or_default()
            .insert(r.get(1)?, (r.get(2)?, r.get(3)?));
    }
    let mut out = Vec::new();
    for (kind_name, latest) in by_kind {
        let kind = EntityKind::parse(&kind_name).ok();
        let scan = match kind.and_then(|k| content_of(k, 0).map(|c| (k, c))) {
            Some((
                k,
                Content::Row {
                    table,
                    key: "id",
                    skip,
                    children: [],
                },
            )) => Some((k, table, skip)),
            _ => None,
        };
        let mut now: HashMap<i64, String> = HashMap::with_capacity(latest.len());
        if let Some((k, table, skip)) = scan {
            let mut stmt = conn.prepare(&format!("SELECT id, * FROM {table}"))?;
            let cols: Vec<String> = names(&stmt).into_iter().skip(1).collect();
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                if !latest.contains_key(&id) {
                    continue;
                }
                let mut h = Sha256::new();
                put(&mut h, k.as_str().as_bytes());
                encode_from(&mut h, &cols, r, skip, 1)?;
                now.insert(id, hex::encode(h.finalize()));
            }
            for id in latest.keys() {
                now.entry(*id).or_insert_with(|| ABSENT.to_owned());
            }
        } else {
            for id in latest.keys() {
                let hashed = match kind {
                    Some(k) => hash(conn, k, *id)?,
                    None => None,
                };
                if let Some(h) = hashed {
                    now.insert(*id, h);
                }
            }
        }
        for (id, (seq, recorded)) in latest {
            let current = now.get(&id);
            if current != Some(&recorded) {
                out.push(Mismatch {
                    absent: current.map(String::as_str) == Some(ABSENT),
                    kind: kind_name.clone(),
                    id,
                    seq,
                });
            }
        }
    }
    out.sort_by_key(|m| m.seq);
    Ok(out)
}
