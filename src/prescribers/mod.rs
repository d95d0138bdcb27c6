//! The directory of collaborating prescribers: the medical providers outside the practice
//! who do medical intakes, screen contraindications and prescribe. Archived, never deleted.

use crate::audit::{Action, EntityKind};
use crate::practice::is_valid_npi;
use crate::store::col::{stamp, time};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::{clean_optional, is_email, is_phone, FieldErrors};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// A prescriber's licence type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Credential {
    #[serde(rename = "MD")]
    Md,
    #[serde(rename = "DO")]
    Do,
    #[serde(rename = "NP")]
    Np,
    #[serde(rename = "PA")]
    Pa,
}

str_enum!(Credential { Md = "MD", Do = "DO", Np = "NP", Pa = "PA" });

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PrescriberInput {
    pub name: String,
    pub credentials: Credential,
    /// The prescriber's individual NPI: 10 digits with a valid check digit.
    pub npi: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The prescriber's own practice or clinic.
    pub practice: Option<String>,
}

impl PrescriberInput {
    pub fn validated(mut self) -> Result<Self> {
        let mut e = FieldErrors::new();
        self.name = self.name.trim().to_owned();
        self.npi = self.npi.trim().to_owned();
        self.phone = clean_optional(self.phone);
        self.email = clean_optional(self.email);
        self.practice = clean_optional(self.practice);
        e.required_text("name", "Name", &self.name, 200);
        e.no_control_chars("name", "Name", &self.name, false);
        if !is_valid_npi(&self.npi) {
            e.add(
                "npi",
                "An NPI is 10 digits and its last digit must check out; please re-check it.",
            );
        }
        if let Some(p) = &self.phone {
            if !is_phone(p) {
                e.add("phone", "Enter a phone number such as (212) 555-0143.");
            }
        }
        if let Some(m) = &self.email {
            if !is_email(m) {
                e.add("email", "Enter an e-mail address such as name@example.com.");
            }
        }
        if let Some(p) = &self.practice {
            e.max_chars("practice", "Practice", p, 200);
            e.no_control_chars("practice", "Practice", p, false);
        }
        e.into_result()?;
        Ok(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Prescriber {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[serde(flatten)]
    pub details: PrescriberInput,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Prescriber {
    /// "Dr. Name, MD" style label for lists and records.
    pub fn display(&self) -> String {
        format!(
            "{}, {}",
            self.details.name,
            self.details.credentials.as_str()
        )
    }
}

const COLUMNS: &str =
    "id, name, credentials, npi, phone, email, practice, archived, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Prescriber> {
    Ok(Prescriber {
        id: r.get(0)?,
        details: PrescriberInput {
            name: r.get(1)?,
            credentials: Credential::parse(&r.get::<_, String>(2)?)?,
            npi: r.get(3)?,
            phone: r.get(4)?,
            email: r.get(5)?,
            practice: r.get(6)?,
        },
        archived: r.get::<_, i64>(7)? == 1,
        created_at: time(&r.get::<_, String>(8)?)?,
        updated_at: time(&r.get::<_, String>(9)?)?,
    })
}

pub fn create(w: &mut Writer<'_>, input: PrescriberInput) -> Result<i64> {
    let p = input.validated()?;
    let now = stamp(w.now());
    w.conn().execute(
        "INSERT INTO prescriber (name, credentials, npi, phone, email, practice, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![p.name, p.credentials.as_str(), p.npi, p.phone, p.email, p.practice, now],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Prescriber, id)?;
    Ok(id)
}

pub fn update(w: &mut Writer<'_>, id: i64, input: PrescriberInput) -> Result<()> {
    let p = input.validated()?;
    let n = w.conn().execute(
        "UPDATE prescriber SET name = ?2, credentials = ?3, npi = ?4, phone = ?5, email = ?6,
            practice = ?7, updated_at = ?8 WHERE id = ?1",
        params![
            id,
            p.name,
            p.credentials.as_str(),
            p.npi,
            p.phone,
            p.email,
            p.practice,
            stamp(w.now())
        ],
    )?;
    if n == 0 {
        return Err(Error::NotFound("prescriber"));
    }
    w.audit(Action::Update, EntityKind::Prescriber, id)
}

/// Archives or unarchives a prescriber. Their past intakes and prescriptions keep
/// pointing at them; an archived prescriber is only left out of new records.
pub fn set_archived(w: &mut Writer<'_>, id: i64, archived: bool) -> Result<()> {
    let n = w.conn().execute(
        "UPDATE prescriber SET archived = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, i64::from(archived), stamp(w.now())],
    )?;
    if n == 0 {
        return Err(Error::NotFound("prescriber"));
    }
    let action = if archived {
        Action::Archive
    } else {
        Action::Unarchive
    };
    w.audit(action, EntityKind::Prescriber, id)
}

pub fn get(conn: &Connection, id: i64) -> Result<Prescriber> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM prescriber WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(Error::NotFound("prescriber"))
}

/// Every prescriber by name; archived ones only when asked for.
pub fn list(conn: &Connection, include_archived: bool) -> Result<Vec<Prescriber>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM prescriber WHERE archived = 0 OR ?1 ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = stmt
        .query_map([include_archived], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Checks that a prescriber exists and is not archived, for a new record that names them.
pub(crate) fn require_active(
    conn: &Connection,
    id: i64,
    field: &str,
    errors: &mut FieldErrors,
) -> Result<()> {
    let archived: Option<i64> = conn
        .query_row("SELECT archived FROM prescriber WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    match archived {
        None => errors.add(field, "Choose a prescriber from the directory."),
        Some(1) => errors.add(
            field,
            "This prescriber is archived; unarchive them or choose another.",
        ),
        Some(_) => {}
    }
    Ok(())
}
