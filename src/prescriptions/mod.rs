//! Ketamine prescriptions, written by a prescriber and recorded by the practice.

use crate::audit::{Action, EntityKind};
use crate::prescribers;
use crate::store::col::{date, stamp, time};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::FieldErrors;
use crate::{Cents, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

/// The medication is always ketamine HCl; the formulation varies.
pub const MEDICATION: &str = "Ketamine HCl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Formulation {
    SublingualLozenge,
    Troche,
    RapidDissolveTablet,
}

str_enum!(Formulation {
    SublingualLozenge = "sublingual_lozenge",
    Troche = "troche",
    RapidDissolveTablet = "rapid_dissolve_tablet",
});

impl Formulation {
    pub fn label(self) -> &'static str {
        match self {
            Formulation::SublingualLozenge => "sublingual lozenge",
            Formulation::Troche => "troche",
            Formulation::RapidDissolveTablet => "rapid-dissolve tablet",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PrescriptionInput {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub prescriber_id: i64,
    pub date: NaiveDate,
    pub formulation: Formulation,
    /// Strength of one lozenge or tablet, in mg.
    pub strength_mg: u32,
    /// Number of lozenges or tablets.
    pub quantity: u32,
    pub directions: String,
    pub pharmacy: String,
    pub cost: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Prescription {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub medication: String,
    #[serde(flatten)]
    pub details: PrescriptionInput,
    pub prescriber: String,
    pub created_at: DateTime<Utc>,
}

pub fn create(
    w: &mut Writer<'_>,
    client_id: i64,
    mut p: PrescriptionInput,
    today: NaiveDate,
) -> Result<i64> {
    crate::clients::require(w.conn(), client_id)?;
    let mut e = FieldErrors::new();
    p.directions = p.directions.trim().to_owned();
    p.pharmacy = p.pharmacy.trim().to_owned();
    prescribers::require_active(w.conn(), p.prescriber_id, "prescriber_id", &mut e)?;
    if p.date > today {
        e.add("date", "The prescription date cannot be in the future.");
    }
    e.record_date("date", "The prescription date", p.date);
    if !(1..=1000).contains(&p.strength_mg) {
        e.add("strength_mg", "Strength must be between 1 and 1,000 mg.");
    }
    if !(1..=100).contains(&p.quantity) {
        e.add("quantity", "Quantity must be between 1 and 100.");
    }
    e.required_text("directions", "Directions", &p.directions, 2000);
    e.no_control_chars("directions", "Directions", &p.directions, true);
    e.required_text("pharmacy", "Pharmacy", &p.pharmacy, 200);
    e.no_control_chars("pharmacy", "Pharmacy", &p.pharmacy, false);
    if !p.cost.is_enterable() {
        e.add("cost", "Cost must be between $0.00 and $10,000,000.00.");
    }
    e.into_result()?;
    w.conn().execute(
        "INSERT INTO prescription (client_id, prescriber_id, date, formulation, strength_mg, quantity,
            directions, pharmacy, cost_cents, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            client_id,
            p.prescriber_id,
            p.date.to_string(),
            p.formulation.as_str(),
            p.strength_mg,
            p.quantity,
            p.directions,
            p.pharmacy,
            p.cost.0,
            stamp(w.now())
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Prescription, id)?;
    crate::billing::charge_prescription(w, id, client_id, p.date)?;
    Ok(id)
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Prescription> {
    Ok(Prescription {
        id: r.get(0)?,
        client_id: r.get(1)?,
        medication: MEDICATION.into(),
        details: PrescriptionInput {
            prescriber_id: r.get(2)?,
            date: date(&r.get::<_, String>(3)?)?,
            formulation: Formulation::parse(&r.get::<_, String>(4)?)?,
            strength_mg: r.get(5)?,
            quantity: r.get(6)?,
            directions: r.get(7)?,
            pharmacy: r.get(8)?,
            cost: Cents(r.get(9)?),
        },
        prescriber: format!("{}, {}", r.get::<_, String>(11)?, r.get::<_, String>(12)?),
        created_at: time(&r.get::<_, String>(10)?)?,
    })
}

/// A client's prescriptions, newest first.
pub fn for_client(conn: &Connection, client_id: i64) -> Result<Vec<Prescription>> {
    let mut stmt = conn.prepare(
        "SELECT r.id, r.client_id, r.prescriber_id, r.date, r.formulation, r.strength_mg, r.quantity,
                r.directions, r.pharmacy, r.cost_cents, r.created_at, p.name, p.credentials
         FROM prescription r JOIN prescriber p ON p.id = r.prescriber_id
         WHERE r.client_id = ?1 ORDER BY r.date DESC, r.id DESC",
    )?;
    let rows = stmt
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
