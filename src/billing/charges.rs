//! Charges: created when an appointment is completed, an intake or a prescription is
//! recorded, priced from the fee schedule and the client's fee arrangement; their amount and
//! place of service set while not invoiced.

use super::rules::{
    charge_price, check_charge_amount, place_of_service, service_to_charge, Billable,
    BilledServices, PlaceOfService,
};
use crate::appointments::{AppointmentKind, Location};
use crate::audit::{Action, EntityKind};
use crate::practice::Service;
use crate::store::col::{date, stamp};
use crate::store::Writer;
use crate::{Cents, Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

fn billed_services(conn: &Connection) -> Result<BilledServices> {
    let s = crate::practice::get(conn)?;
    Ok(BilledServices {
        medical_intake: s.bills_medical_intake,
        prescriptions: s.bills_prescriptions,
    })
}

/// Whether the client already has a charge for this intake service on this day from
/// the other source (the intake's record or its completed appointment): one visit is
/// charged once.
fn intake_already_charged(
    conn: &Connection,
    client_id: i64,
    service: Service,
    day: NaiveDate,
) -> Result<bool> {
    if !matches!(
        service,
        Service::MentalHealthIntake | Service::MedicalIntake
    ) {
        return Ok(false);
    }
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM charge WHERE client_id = ?1 AND service = ?2 AND service_date = ?3",
        params![client_id, service.as_str(), day.to_string()],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// A charge's prices: the usual fee from the fee schedule and the client's fee arrangement,
/// read from the store and priced by [`charge_price`].
fn price(
    conn: &Connection,
    client_id: i64,
    service: Service,
) -> Result<(Option<Cents>, Option<Cents>)> {
    let usual: Option<i64> = conn
        .query_row(
            "SELECT cents FROM fee_schedule WHERE service = ?1",
            [service.as_str()],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let client = crate::clients::get(conn, client_id, NaiveDate::MIN)?;
    Ok(charge_price(
        usual.map(Cents),
        &client.details.fee_arrangement,
        service,
    ))
}

/// Creates the charge for one client's completed appointment. Called by the schedule when
/// an appointment is completed; a second call for the same appointment and client is a
/// no-op.
pub(crate) fn charge_appointment(
    w: &mut Writer<'_>,
    appointment_id: i64,
    client_id: i64,
    kind: AppointmentKind,
    day: NaiveDate,
    location: Location,
) -> Result<()> {
    let Some(service) = service_to_charge(Billable::Appointment(kind), billed_services(w.conn())?)
    else {
        return Ok(());
    };
    let done: i64 = w.conn().query_row(
        "SELECT count(*) FROM charge WHERE appointment_id = ?1 AND client_id = ?2",
        params![appointment_id, client_id],
        |r| r.get(0),
    )?;
    if done > 0 || intake_already_charged(w.conn(), client_id, service, day)? {
        return Ok(());
    }
    let (usual, amount) = price(w.conn(), client_id, service)?;
    let n = w.conn().execute(
        "INSERT OR IGNORE INTO charge (client_id, appointment_id, service, service_date, description,
            usual_cents, amount_cents, place_of_service, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            client_id,
            appointment_id,
            service.as_str(),
            day.to_string(),
            service.label(),
            usual.map(|c| c.0),
            amount.map(|c| c.0),
            place_of_service(location),
            stamp(w.now())
        ],
    )?;
    if n == 1 {
        let id = w.conn().last_insert_rowid();
        w.audit(Action::Create, EntityKind::Charge, id)?;
    }
    Ok(())
}

/// Creates the charge for an intake just recorded, when the practice charges it
/// ([`service_to_charge`]) and its completed appointment has not already been charged.
pub(crate) fn charge_intake(
    w: &mut Writer<'_>,
    intake_id: i64,
    client_id: i64,
    kind: crate::intakes::IntakeKind,
    day: NaiveDate,
) -> Result<()> {
    let Some(service) = service_to_charge(Billable::Intake(kind), billed_services(w.conn())?)
    else {
        return Ok(());
    };
    if intake_already_charged(w.conn(), client_id, service, day)? {
        return Ok(());
    }
    let (usual, amount) = price(w.conn(), client_id, service)?;
    w.conn().execute(
        "INSERT INTO charge (client_id, intake_id, service, service_date, description,
            usual_cents, amount_cents, place_of_service, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            client_id,
            intake_id,
            service.as_str(),
            day.to_string(),
            service.label(),
            usual.map(|c| c.0),
            amount.map(|c| c.0),
            PlaceOfService::Office.code(),
            stamp(w.now())
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Charge, id)
}

/// Keeps an intake's charge on the intake's date when the intake's date is corrected,
/// while the charge is not on an invoice (an invoiced charge is as issued).
pub(crate) fn move_intake_charge(w: &mut Writer<'_>, intake_id: i64, day: NaiveDate) -> Result<()> {
    let id: Option<i64> = w
        .conn()
        .query_row(
            "SELECT id FROM charge WHERE intake_id = ?1 AND invoice_id IS NULL AND service_date <> ?2",
            params![intake_id, day.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else {
        return Ok(());
    };
    w.conn().execute(
        "UPDATE charge SET service_date = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, day.to_string(), stamp(w.now())],
    )?;
    w.audit(Action::Update, EntityKind::Charge, id)
}

/// Whether a prescription is the first since the client's latest medical intake on or
/// before its date (prescriptions on the same day count in the order recorded).
fn first_since_medical_intake(
    conn: &Connection,
    prescription_id: i64,
    client_id: i64,
    day: NaiveDate,
) -> Result<bool> {
    let intake: Option<String> = conn.query_row(
        "SELECT max(date) FROM intake WHERE client_id = ?1 AND kind = 'medical' AND date <= ?2",
        params![client_id, day.to_string()],
        |r| r.get(0),
    )?;
    let Some(intake) = intake else {
        return Ok(false);
    };
    let earlier: i64 = conn.query_row(
        "SELECT count(*) FROM prescription WHERE client_id = ?1 AND id <> ?2 AND date >= ?3
           AND (date < ?4 OR (date = ?4 AND id < ?2))",
        params![client_id, prescription_id, intake, day.to_string()],
        |r| r.get(0),
    )?;
    Ok(earlier == 0)
}

/// Creates the charge for a prescription, when the practice charges it
/// ([`service_to_charge`]).
pub(crate) fn charge_prescription(
    w: &mut Writer<'_>,
    prescription_id: i64,
    client_id: i64,
    day: NaiveDate,
) -> Result<()> {
    let first = first_since_medical_intake(w.conn(), prescription_id, client_id, day)?;
    let billable = Billable::Prescription {
        first_since_medical_intake: first,
    };
    if service_to_charge(billable, billed_services(w.conn())?).is_none() {
        return Ok(());
    }
    let (usual, amount) = price(w.conn(), client_id, Service::Prescription)?;
    w.conn().execute(
        "INSERT INTO charge (client_id, prescription_id, service, service_date, description,
            usual_cents, amount_cents, created_at, updated_at)
         VALUES (?1, ?2, 'prescription', ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            client_id,
            prescription_id,
            day.to_string(),
            Service::Prescription.label(),
            usual.map(|c| c.0),
            amount.map(|c| c.0),
            stamp(w.now())
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Charge, id)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Charge {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub service: Service,
    pub service_date: NaiveDate,
    pub description: String,
    /// The fee schedule's price when the charge was made; `None` while not set.
    pub usual: Option<Cents>,
    /// What the client is charged; `None` while still to agree.
    pub amount: Option<Cents>,
    /// `amount - usual`: zero or negative (a sliding-scale reduction).
    pub adjustment: Option<Cents>,
    pub place_of_service: Option<String>,
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub invoice_id: Option<i64>,
}

const CHARGE_SELECT: &str = "SELECT id, client_id, service, service_date, description, usual_cents,
    amount_cents, place_of_service, invoice_id FROM charge";

fn charge_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Charge> {
    let usual: Option<i64> = r.get(5)?;
    let amount: Option<i64> = r.get(6)?;
    let service: String = r.get(2)?;
    Ok(Charge {
        id: r.get(0)?,
        client_id: r.get(1)?,
        service: Service::parse(&service).ok_or_else(|| crate::store::col::bad("service"))?,
        service_date: date(&r.get::<_, String>(3)?)?,
        description: r.get(4)?,
        usual: usual.map(Cents),
        amount: amount.map(Cents),
        adjustment: match (usual, amount) {
            (Some(u), Some(a)) => Some(Cents(a - u)),
            _ => None,
        },
        place_of_service: r.get(7)?,
        invoice_id: r.get(8)?,
    })
}

pub fn charges_for_client(conn: &Connection, client_id: i64) -> Result<Vec<Charge>> {
    let mut stmt = conn.prepare(&format!(
        "{CHARGE_SELECT} WHERE client_id = ?1 ORDER BY service_date, id"
    ))?;
    let rows = stmt
        .query_map([client_id], charge_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// An invoice's lines as issued (a void invoice keeps them).
pub fn charges_on_invoice(conn: &Connection, invoice_id: i64) -> Result<Vec<Charge>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.client_id, c.service, c.service_date, c.description, l.usual_cents,
                l.amount_cents, c.place_of_service, l.invoice_id
         FROM invoice_line l JOIN charge c ON c.id = l.charge_id
         WHERE l.invoice_id = ?1 ORDER BY c.service_date, c.id",
    )?;
    let rows = stmt
        .query_map([invoice_id], charge_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The client a charge belongs to.
pub fn client_of_charge(conn: &Connection, id: i64) -> Result<i64> {
    Ok(get_charge(conn, id)?.client_id)
}

pub(super) fn get_charge(conn: &Connection, id: i64) -> Result<Charge> {
    conn.query_row(&format!("{CHARGE_SELECT} WHERE id = ?1"), [id], charge_row)
        .optional()?
        .ok_or(Error::NotFound("charge"))
}

/// Sets what the client pays for a charge not yet invoiced (pay what you can, a fee not
/// in the schedule, a one-off reduction). Never more than the usual fee when one is set.
pub fn set_charge_amount(
    w: &mut Writer<'_>,
    id: i64,
    amount: Cents,
    usual: Option<Cents>,
) -> Result<()> {
    let charge = get_charge(w.conn(), id)?;
    if charge.invoice_id.is_some() {
        return Err(Error::Conflict(
            "This charge is on an invoice; void the invoice to change it.".into(),
        ));
    }
    let usual = check_charge_amount(amount, charge.usual, usual)?;
    w.conn().execute(
        "UPDATE charge SET usual_cents = ?2, amount_cents = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, usual.0, amount.0, stamp(w.now())],
    )?;
    w.audit(Action::Update, EntityKind::Charge, id)
}

/// Records where a charge's service took place, for the superbill: e.g. a telehealth
/// session with the client away from home is 02, not 10. Only while not invoiced.
pub fn set_charge_place_of_service(
    w: &mut Writer<'_>,
    id: i64,
    place: PlaceOfService,
) -> Result<()> {
    let charge = get_charge(w.conn(), id)?;
    if charge.invoice_id.is_some() {
        return Err(Error::Conflict(
            "This charge is on an invoice; void the invoice to change it.".into(),
        ));
    }
    w.conn().execute(
        "UPDATE charge SET place_of_service = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, place.code(), stamp(w.now())],
    )?;
    w.audit(Action::Update, EntityKind::Charge, id)
}
