//! Money: charges at the fee schedule's price or the client's agreed sliding-scale fee,
//! invoices numbered in sequence without gaps, payments, ledgers and balances.
//!
//! Every amount is integer cents and every sum is checked. A reduced fee is kept as the
//! usual fee and the amount charged, so documents show usual fee, adjustment and amount.
//! Invoices are voided, never deleted; a number, once used, is never used again.

mod docs;
#[cfg(test)]
mod tests;

pub use docs::{
    consent_doc, estimate_doc, invoice_doc, superbill_doc, superbill_gaps, EstimatePlan,
    SuperbillGap,
};

use crate::appointments::{str_enum, AppointmentKind, Location};
use crate::audit::{Action, EntityKind};
use crate::clients::FeeKind;
use crate::practice::Service;
use crate::store::col::{date, stamp};
use crate::store::Writer;
use crate::validate::FieldErrors;
use crate::{Cents, Error, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum PaymentMethod {
    Cash,
    Card,
    Check,
    Zelle,
    Venmo,
    Other,
}
str_enum!(PaymentMethod { Cash = "cash", Card = "card", Check = "check", Zelle = "zelle", Venmo = "venmo", Other = "other" });

impl PaymentMethod {
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "Cash",
            PaymentMethod::Card => "Card",
            PaymentMethod::Check => "Check",
            PaymentMethod::Zelle => "Zelle",
            PaymentMethod::Venmo => "Venmo",
            PaymentMethod::Other => "Other",
        }
    }
}

/// The fee-schedule service an appointment is billed as.
pub fn service_for(kind: AppointmentKind) -> Service {
    match kind {
        AppointmentKind::MentalHealthIntake => Service::MentalHealthIntake,
        AppointmentKind::MedicalIntake => Service::MedicalIntake,
        AppointmentKind::KapSession => Service::KapSession,
        AppointmentKind::GroupKapSession => Service::GroupSession,
        AppointmentKind::IntegrationSession => Service::IntegrationSession,
        AppointmentKind::Psychotherapy => Service::Psychotherapy,
    }
}

/// Place-of-service code for a superbill: 11 office; 10 telehealth in the client's home.
/// A telehealth client who was not at home (02) is recorded on the charge afterwards
/// ([`set_charge_place_of_service`]): the booking does not know where the client sat.
pub fn place_of_service(location: Location) -> &'static str {
    match location {
        Location::KapRoom | Location::Other => "11",
        Location::Telehealth => "10",
    }
}

/// The place-of-service codes a charge may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum PlaceOfService {
    /// 11: the office.
    Office,
    /// 02: telehealth, the client not at home.
    TelehealthNotAtHome,
    /// 10: telehealth, the client at home.
    TelehealthAtHome,
}

impl PlaceOfService {
    pub fn code(self) -> &'static str {
        match self {
            PlaceOfService::Office => "11",
            PlaceOfService::TelehealthNotAtHome => "02",
            PlaceOfService::TelehealthAtHome => "10",
        }
    }
}

/// Which of the prescriber's services the practice bills itself. The therapist's own
/// services (intakes, sessions) are always billed by the practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BilledServices {
    pub medical_intake: bool,
    pub prescriptions: bool,
}

/// Something billable that happened for a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billable {
    /// A completed appointment of this kind.
    Appointment(AppointmentKind),
    /// An intake recorded in the client's record (intakes are recorded after they
    /// took place).
    Intake(crate::intakes::IntakeKind),
    /// A prescription. `first_since_medical_intake`: no other prescription of the client
    /// was recorded since the client's latest medical intake on or before its date.
    Prescription { first_since_medical_intake: bool },
}

/// The fee-schedule service to charge for something billable, or `None` when the practice
/// does not charge it: the prescriber's services when the prescriber bills them, and the
/// first prescription after a medical intake, which the intake's fee includes (DOMAIN.md:
/// "$250, includes the prescription"); later prescriptions are charged the prescription
/// fee. The intakes the therapist holds are charged like any other appointment.
pub fn service_to_charge(billable: Billable, billed: BilledServices) -> Option<Service> {
    use crate::intakes::IntakeKind;
    let service = match billable {
        Billable::Appointment(kind) => service_for(kind),
        Billable::Intake(IntakeKind::MentalHealth) => Service::MentalHealthIntake,
        Billable::Intake(IntakeKind::Medical) => Service::MedicalIntake,
        Billable::Prescription {
            first_since_medical_intake: true,
        } => return None,
        Billable::Prescription {
            first_since_medical_intake: false,
        } => Service::Prescription,
    };
    match service {
        Service::MedicalIntake if !billed.medical_intake => None,
        Service::Prescription if !billed.prescriptions => None,
        s => Some(s),
    }
}

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

/// A charge's prices: the usual fee and what this client pays for the service.
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
    let usual = usual.map(Cents);
    let client = crate::clients::get(conn, client_id, NaiveDate::MIN)?;
    let fa = client.details.fee_arrangement;
    let amount = match fa.kind {
        FeeKind::Standard => usual,
        FeeKind::SlidingScale => fa
            .agreed
            .iter()
            .find(|f| f.service == service)
            .map(|f| f.cents)
            .or(usual),
        FeeKind::PayWhatYouCan => None,
    };
    // An agreed fee above the usual one is capped: a reduction never costs more.
    let amount = match (usual, amount) {
        (Some(u), Some(a)) if a > u => Some(u),
        (_, a) => a,
    };
    Ok((usual, amount))
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

fn get_charge(conn: &Connection, id: i64) -> Result<Charge> {
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
    let mut e = FieldErrors::new();
    // A usual fee sent with the request is checked even when the charge keeps its own.
    if usual.is_some_and(|u| !u.is_enterable()) {
        e.add("usual", "Enter a fee between $0.00 and $10,000,000.00.");
    }
    let usual = charge.usual.or(usual);
    if !amount.is_enterable() {
        e.add(
            "amount",
            "Enter an amount between $0.00 and $10,000,000.00.",
        );
    }
    match usual {
        None => e.add("usual", "Enter the usual fee for this service."),
        Some(u) if !u.is_enterable() => {
            e.add("usual", "Enter a fee between $0.00 and $10,000,000.00.")
        }
        Some(u) if amount > u => e.add(
            "amount",
            "The amount charged cannot be more than the usual fee.",
        ),
        Some(_) => {}
    }
    e.into_result()?;
    w.conn().execute(
        "UPDATE charge SET usual_cents = ?2, amount_cents = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, usual.map(|c| c.0), amount.0, stamp(w.now())],
    )?;
    w.audit(Action::Update, EntityKind::Charge, id)
}

/// An invoice's status, derived from what it says: never stored, so it cannot disagree
/// with the invoice's lines and payments. See [`invoice_status`].
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum InvoiceStatus {
    /// Nothing paid yet.
    Open,
    /// Some paid, a balance left.
    PartlyPaid,
    /// Nothing left to pay.
    Paid,
    /// Voided: its number stays used, it asks for nothing.
    Void,
}

impl InvoiceStatus {
    /// A label for people and paper.
    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::Open => "Open",
            InvoiceStatus::PartlyPaid => "Partly paid",
            InvoiceStatus::Paid => "Paid",
            InvoiceStatus::Void => "Void",
        }
    }

    /// Whether payments may still be recorded and the invoice counts in balances.
    pub fn is_void(self) -> bool {
        self == InvoiceStatus::Void
    }
}

/// An invoice's status from whether it was voided, its total and what was paid on it
/// (payments not reversed). A total of zero is paid as issued.
pub fn invoice_status(voided: bool, total: Cents, paid: Cents) -> InvoiceStatus {
    if voided {
        InvoiceStatus::Void
    } else if paid >= total {
        InvoiceStatus::Paid
    } else if paid > Cents::ZERO {
        InvoiceStatus::PartlyPaid
    } else {
        InvoiceStatus::Open
    }
}

/// The correction of a payment recorded by mistake: the payment stays on record and no
/// longer counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PaymentReversal {
    pub reversed_on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Payment {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub invoice_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub invoice_number: String,
    pub paid_on: NaiveDate,
    pub method: PaymentMethod,
    pub amount: Cents,
    /// Set when the payment was reversed; a reversed payment counts for nothing.
    pub reversal: Option<PaymentReversal>,
}

impl Payment {
    /// What the payment counts for: its amount, or nothing once reversed.
    pub fn counted(&self) -> Cents {
        if self.reversal.is_some() {
            Cents::ZERO
        } else {
            self.amount
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Invoice {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    /// "2026-0042": the year it was issued and its place in that year's sequence.
    pub number: String,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub issued_on: NaiveDate,
    pub status: InvoiceStatus,
    pub void_reason: Option<String>,
    pub lines: Vec<Charge>,
    pub payments: Vec<Payment>,
    pub total_usual: Cents,
    pub total_adjustment: Cents,
    pub total: Cents,
    pub paid: Cents,
    pub balance: Cents,
}

pub fn invoice_number(year: i32, seq: i64) -> String {
    format!("{year}-{seq:04}")
}

/// Exact sum; an overflow (impossible within the entry limits) is an error, not a wrap.
pub fn sum(amounts: impl IntoIterator<Item = Cents>) -> Result<Cents> {
    amounts
        .into_iter()
        .try_fold(Cents::ZERO, |acc, c| acc.checked_add(c))
        .ok_or(Error::Internal("amount overflow"))
}

/// Issues an invoice for a client's priced, uninvoiced charges. The number is the next in
/// the year's sequence, taken inside the same transaction as the invoice itself, so a
/// number is used exactly when the invoice exists: no gaps, even across a crash.
pub fn create_invoice(
    w: &mut Writer<'_>,
    client_id: i64,
    charge_ids: &[i64],
    issued_on: NaiveDate,
    today: NaiveDate,
) -> Result<i64> {
    let mut e = FieldErrors::new();
    if charge_ids.is_empty() {
        e.add("charge_ids", "Choose at least one charge to invoice.");
    }
    if issued_on > today {
        e.add("issued_on", "An invoice cannot be dated in the future.");
    }
    e.record_date("issued_on", "The invoice date", issued_on);
    for id in charge_ids {
        match get_charge(w.conn(), *id) {
            Err(Error::NotFound(_)) => e.add("charge_ids", "A chosen charge does not exist."),
            Err(err) => return Err(err),
            Ok(c) if c.client_id != client_id => {
                e.add("charge_ids", "A chosen charge belongs to another client.")
            }
            Ok(c) if c.invoice_id.is_some() => {
                e.add("charge_ids", "A chosen charge is already on an invoice.")
            }
            Ok(c) if c.amount.is_none() || c.usual.is_none() => e.add(
                "charge_ids",
                "Set the amount of every chosen charge before invoicing.",
            ),
            Ok(_) => {}
        }
    }
    e.into_result()?;
    let year = issued_on.year();
    let seq: i64 = w.conn().query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM invoice WHERE year = ?1",
        [year],
        |r| r.get(0),
    )?;
    w.conn().execute(
        "INSERT INTO invoice (year, seq, client_id, issued_on, status, created_at) VALUES (?1, ?2, ?3, ?4, 'open', ?5)",
        params![year, seq, client_id, issued_on.to_string(), stamp(w.now())],
    )?;
    let id = w.conn().last_insert_rowid();
    for c in charge_ids {
        w.conn().execute(
            "UPDATE charge SET invoice_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![c, id, stamp(w.now())],
        )?;
        w.conn().execute(
            "INSERT INTO invoice_line (invoice_id, charge_id, usual_cents, amount_cents)
             SELECT ?1, id, usual_cents, amount_cents FROM charge WHERE id = ?2",
            params![id, c],
        )?;
    }
    w.audit(Action::Create, EntityKind::Invoice, id)?;
    Ok(id)
}

/// Records a payment against an open invoice; never more than its balance.
pub fn record_payment(
    w: &mut Writer<'_>,
    invoice_id: i64,
    paid_on: NaiveDate,
    method: PaymentMethod,
    amount: Cents,
    today: NaiveDate,
) -> Result<i64> {
    let inv = get_invoice(w.conn(), invoice_id)?;
    if inv.status.is_void() {
        return Err(Error::Conflict("This invoice is void.".into()));
    }
    let mut e = FieldErrors::new();
    if amount.0 <= 0 || !amount.is_enterable() {
        e.add("amount", "Enter an amount more than $0.00.");
    } else if amount > inv.balance {
        e.add(
            "amount",
            format!("The balance is {}; a payment cannot be more.", inv.balance),
        );
    }
    if paid_on > today {
        e.add("paid_on", "A payment cannot be dated in the future.");
    }
    e.record_date("paid_on", "The payment date", paid_on);
    if paid_on
        < inv
            .issued_on
            .checked_sub_months(chrono::Months::new(12))
            .unwrap_or(NaiveDate::MIN)
    {
        e.add(
            "paid_on",
            "That date is long before the invoice; please check it.",
        );
    }
    e.into_result()?;
    w.conn().execute(
        "INSERT INTO payment (invoice_id, client_id, paid_on, method, amount_cents, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            invoice_id,
            inv.client_id,
            paid_on.to_string(),
            method.as_str(),
            amount.0,
            stamp(w.now())
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Payment, id)?;
    Ok(id)
}

/// Reverses a payment recorded by mistake. Nothing is deleted: the payment stays, a
/// reversal with its date and reason references it, and from then on the payment counts
/// for nothing (the invoice's balance is restored). A payment is reversed at most once.
/// The reversal is in the audit log.
pub fn reverse_payment(
    w: &mut Writer<'_>,
    payment_id: i64,
    reversed_on: NaiveDate,
    reason: &str,
    today: NaiveDate,
) -> Result<()> {
    let payment = payments_where(w.conn(), "p.id = ?1", [payment_id])?
        .pop()
        .ok_or(Error::NotFound("payment"))?;
    if payment.reversal.is_some() {
        return Err(Error::Conflict("This payment is already reversed.".into()));
    }
    let reason = reason.trim();
    let mut e = FieldErrors::new();
    e.required_text("reason", "Reason", reason, 500);
    e.no_control_chars("reason", "Reason", reason, true);
    if reversed_on > today {
        e.add("reversed_on", "A reversal cannot be dated in the future.");
    }
    if reversed_on < payment.paid_on {
        e.add(
            "reversed_on",
            "A reversal cannot be dated before the payment it reverses.",
        );
    }
    e.record_date("reversed_on", "The reversal date", reversed_on);
    e.into_result()?;
    w.conn().execute(
        "INSERT INTO payment_reversal (payment_id, reversed_on, reason, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![payment_id, reversed_on.to_string(), reason, stamp(w.now())],
    )?;
    w.audit(Action::Reverse, EntityKind::Payment, payment_id)
}

/// The invoice a payment was recorded on.
pub fn invoice_of_payment(conn: &Connection, payment_id: i64) -> Result<i64> {
    conn.query_row(
        "SELECT invoice_id FROM payment WHERE id = ?1",
        [payment_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(Error::NotFound("payment"))
}

/// Voids an invoice with no payments that count (reversed ones do not): its number stays
/// used, its charges can be invoiced again. The void is in the audit log.
pub fn void_invoice(w: &mut Writer<'_>, invoice_id: i64, reason: &str) -> Result<()> {
    let inv = get_invoice(w.conn(), invoice_id)?;
    if inv.status.is_void() {
        return Err(Error::Conflict("This invoice is already void.".into()));
    }
    if inv.payments.iter().any(|p| p.reversal.is_none()) {
        return Err(Error::Conflict(
            "This invoice has payments; reverse them first if they were recorded by mistake."
                .into(),
        ));
    }
    let reason = reason.trim();
    let mut e = FieldErrors::new();
    e.required_text("reason", "Reason", reason, 500);
    e.no_control_chars("reason", "Reason", reason, true);
    e.into_result()?;
    w.conn().execute(
        "UPDATE invoice SET status = 'void', void_reason = ?2 WHERE id = ?1",
        params![invoice_id, reason],
    )?;
    // The lines stay listed on the void invoice for the record; the charges are released.
    w.conn().execute(
        "UPDATE charge SET invoice_id = NULL, updated_at = ?2 WHERE invoice_id = ?1",
        params![invoice_id, stamp(w.now())],
    )?;
    w.audit(Action::Void, EntityKind::Invoice, invoice_id)
}

fn payments_where(
    conn: &Connection,
    clause: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<Payment>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT p.id, p.invoice_id, p.client_id, i.year, i.seq, p.paid_on, p.method, p.amount_cents,
                r.reversed_on, r.reason
         FROM payment p JOIN invoice i ON i.id = p.invoice_id
         LEFT JOIN payment_reversal r ON r.payment_id = p.id
         WHERE {clause} ORDER BY p.paid_on, p.id"
    ))?;
    let rows = stmt
        .query_map(p, |r| {
            Ok(Payment {
                id: r.get(0)?,
                invoice_id: r.get(1)?,
                client_id: r.get(2)?,
                invoice_number: invoice_number(r.get(3)?, r.get(4)?),
                paid_on: date(&r.get::<_, String>(5)?)?,
                method: PaymentMethod::parse(&r.get::<_, String>(6)?)?,
                amount: Cents(r.get(7)?),
                reversal: match r.get::<_, Option<String>>(8)? {
                    None => None,
                    Some(on) => Some(PaymentReversal {
                        reversed_on: date(&on)?,
                        reason: r.get(9)?,
                    }),
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get_invoice(conn: &Connection, id: i64) -> Result<Invoice> {
    let head: Option<(i32, i64, i64, String, String, Option<String>)> = conn
        .query_row(
            "SELECT year, seq, client_id, issued_on, status, void_reason FROM invoice WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let (year, seq, client_id, issued_on, status, void_reason) =
        head.ok_or(Error::NotFound("invoice"))?;
    let lines = charges_on_invoice(conn, id)?;
    let payments = payments_where(conn, "p.invoice_id = ?1", [id])?;
    let total_usual = sum(lines.iter().map(|c| c.usual.unwrap_or(Cents::ZERO)))?;
    let total = sum(lines.iter().map(|c| c.amount.unwrap_or(Cents::ZERO)))?;
    let paid = sum(payments.iter().map(Payment::counted))?;
    let status = invoice_status(status == "void", total, paid);
    Ok(Invoice {
        id,
        number: invoice_number(year, seq),
        client_id,
        issued_on: date(&issued_on)?,
        status,
        void_reason,
        total_adjustment: Cents(total.0 - total_usual.0),
        balance: if status == InvoiceStatus::Void {
            Cents::ZERO
        } else {
            Cents(total.0 - paid.0)
        },
        lines,
        payments,
        total_usual,
        total,
        paid,
    })
}

/// A client's money at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Ledger {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    /// Charges not yet on an invoice.
    pub uninvoiced: Vec<Charge>,
    pub invoices: Vec<Invoice>,
    pub payments: Vec<Payment>,
    pub uninvoiced_total: Cents,
    /// What the client owes on open invoices.
    pub balance: Cents,
}

pub fn ledger(conn: &Connection, client_id: i64) -> Result<Ledger> {
    let uninvoiced: Vec<Charge> = charges_for_client(conn, client_id)?
        .into_iter()
        .filter(|c| c.invoice_id.is_none())
        .collect();
    let mut stmt =
        conn.prepare("SELECT id FROM invoice WHERE client_id = ?1 ORDER BY year DESC, seq DESC")?;
    let ids = stmt
        .query_map([client_id], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let invoices = ids
        .into_iter()
        .map(|id| get_invoice(conn, id))
        .collect::<Result<Vec<_>>>()?;
    Ok(Ledger {
        client_id,
        uninvoiced_total: sum(uninvoiced.iter().filter_map(|c| c.amount))?,
        balance: sum(invoices.iter().map(|i| i.balance))?,
        payments: payments_where(conn, "p.client_id = ?1", [client_id])?,
        uninvoiced,
        invoices,
    })
}

/// A client who owes money on open invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientBalance {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub balance: Cents,
    pub oldest_open_invoice: NaiveDate,
}

/// A client with charges not yet on an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientUninvoiced {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    /// How many charges wait to be invoiced.
    pub charges: u32,
    /// How many of them still need an amount (pay what you can, no fee set).
    pub unpriced: u32,
    /// The sum of the priced ones.
    pub total: Cents,
    pub oldest: NaiveDate,
}

/// A payment on the practice's billing page, with the client it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientPayment {
    pub payment: Payment,
    pub legal_name: String,
    pub preferred_name: Option<String>,
}

/// The practice's billing page: who owes what on invoices, what is not invoiced yet, and
/// this month's payments. Reversed payments are listed, marked, and not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PracticeBilling {
    pub outstanding: Vec<ClientBalance>,
    pub outstanding_total: Cents,
    pub uninvoiced: Vec<ClientUninvoiced>,
    /// The sum of the priced charges not yet invoiced.
    pub uninvoiced_total: Cents,
    pub month: String,
    pub payments_this_month: Vec<ClientPayment>,
    pub payments_this_month_total: Cents,
}

pub fn practice_billing(conn: &Connection, today: NaiveDate) -> Result<PracticeBilling> {
    let mut stmt = conn.prepare(
        "SELECT i.client_id, c.legal_name, c.preferred_name,
                sum(coalesce((SELECT sum(amount_cents) FROM invoice_line WHERE invoice_id = i.id), 0)
                  - coalesce((SELECT sum(p.amount_cents) FROM payment p
                              WHERE p.invoice_id = i.id
                                AND NOT EXISTS (SELECT 1 FROM payment_reversal r WHERE r.payment_id = p.id)), 0)) AS owed,
                min(i.issued_on)
         FROM invoice i JOIN client c ON c.id = i.client_id
         WHERE i.status = 'open'
         GROUP BY i.client_id HAVING owed > 0
         ORDER BY owed DESC, c.sort_name",
    )?;
    let outstanding = stmt
        .query_map([], |r| {
            Ok(ClientBalance {
                client_id: r.get(0)?,
                legal_name: r.get(1)?,
                preferred_name: r.get(2)?,
                balance: Cents(r.get(3)?),
                oldest_open_invoice: date(&r.get::<_, String>(4)?)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare(
        "SELECT ch.client_id, c.legal_name, c.preferred_name, count(*),
                count(*) - count(ch.amount_cents), coalesce(sum(ch.amount_cents), 0),
                min(ch.service_date)
         FROM charge ch JOIN client c ON c.id = ch.client_id
         WHERE ch.invoice_id IS NULL
         GROUP BY ch.client_id
         ORDER BY min(ch.service_date), c.sort_name",
    )?;
    let uninvoiced = stmt
        .query_map([], |r| {
            Ok(ClientUninvoiced {
                client_id: r.get(0)?,
                legal_name: r.get(1)?,
                preferred_name: r.get(2)?,
                charges: r.get(3)?,
                unpriced: r.get(4)?,
                total: Cents(r.get(5)?),
                oldest: date(&r.get::<_, String>(6)?)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let first = today.with_day(1).unwrap_or(today);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(NaiveDate::MAX);
    let payments = payments_where(
        conn,
        "p.paid_on >= ?1 AND p.paid_on < ?2",
        params![first.to_string(), next.to_string()],
    )?;
    let mut names = conn.prepare("SELECT legal_name, preferred_name FROM client WHERE id = ?1")?;
    let payments = payments
        .into_iter()
        .map(|payment| {
            let (legal_name, preferred_name) =
                names.query_row([payment.client_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(ClientPayment {
                payment,
                legal_name,
                preferred_name,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(PracticeBilling {
        outstanding_total: sum(outstanding.iter().map(|b| b.balance))?,
        outstanding,
        uninvoiced_total: sum(uninvoiced.iter().map(|u| u.total))?,
        uninvoiced,
        month: first.format("%B %Y").to_string(),
        payments_this_month_total: sum(payments.iter().map(|p| p.payment.counted()))?,
        payments_this_month: payments,
    })
}

/// A client's details for superbills: ICD-10 diagnosis codes and an insurance member ID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct BillingProfile {
    /// ICD-10-CM codes, e.g. "F33.1", in the order the superbill letters them (A, B, …).
    pub diagnosis_codes: Vec<String>,
    pub member_id: Option<String>,
}

/// A plausible ICD-10-CM code: a letter, two characters, and an optional dotted suffix.
pub fn is_icd10(code: &str) -> bool {
    let b = code.as_bytes();
    let head_ok = b.len() >= 3
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && (b[2].is_ascii_digit() || b[2].is_ascii_uppercase());
    // `get`, not slicing: byte 3 may fall inside a character ("AAé"), which no code has.
    let tail = code.get(3..).unwrap_or_default();
    head_ok
        && (tail.is_empty()
            || (tail.starts_with('.')
                && (2..=5).contains(&tail.len())
                && tail[1..]
                    .bytes()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())))
}

/// A CPT code: five characters, four digits and a digit or letter.
pub fn is_cpt(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4].is_ascii_alphanumeric()
}

pub fn billing_profile(conn: &Connection, client_id: i64) -> Result<BillingProfile> {
    let row: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT diagnosis_codes, member_id FROM billing_profile WHERE client_id = ?1",
            [client_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        None => BillingProfile::default(),
        Some((codes, member_id)) => BillingProfile {
            diagnosis_codes: serde_json::from_str(&codes).map_err(|_| Error::Corrupt)?,
            member_id,
        },
    })
}

pub fn set_billing_profile(
    w: &mut Writer<'_>,
    client_id: i64,
    mut p: BillingProfile,
) -> Result<()> {
    crate::clients::get(w.conn(), client_id, NaiveDate::MIN)?;
    let mut e = FieldErrors::new();
    p.diagnosis_codes = p
        .diagnosis_codes
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    let mut seen = std::collections::HashSet::new();
    p.diagnosis_codes.retain(|c| seen.insert(c.clone()));
    if p.diagnosis_codes.len() > 12 {
        e.add("diagnosis_codes", "At most 12 diagnosis codes.");
    }
    if p.diagnosis_codes.iter().any(|c| !is_icd10(c)) {
        e.add(
            "diagnosis_codes",
            "Enter ICD-10 codes such as F33.1 or F43.10.",
        );
    }
    p.member_id = crate::validate::clean_optional(p.member_id);
    if let Some(m) = &p.member_id {
        e.max_chars("member_id", "Member ID", m, 50);
        e.no_control_chars("member_id", "Member ID", m, false);
    }
    e.into_result()?;
    let codes = serde_json::to_string(&p.diagnosis_codes).map_err(|_| Error::Internal("codes"))?;
    w.conn().execute(
        "INSERT INTO billing_profile (client_id, diagnosis_codes, member_id, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (client_id) DO UPDATE SET diagnosis_codes = excluded.diagnosis_codes,
            member_id = excluded.member_id, updated_at = excluded.updated_at",
        params![client_id, codes, p.member_id, stamp(w.now())],
    )?;
    w.audit(Action::Update, EntityKind::BillingProfile, client_id)
}

/// The CPT code billed for each service (`None`: never on a superbill).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ServiceCode {
    pub service: Service,
    pub cpt: Option<String>,
}

pub fn service_codes(conn: &Connection) -> Result<Vec<ServiceCode>> {
    let mut stmt = conn.prepare("SELECT service, cpt FROM service_code")?;
    let stored = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Service::ALL
        .into_iter()
        .map(|service| ServiceCode {
            service,
            cpt: stored
                .iter()
                .find(|(s, _)| Service::parse(s) == Some(service))
                .and_then(|(_, c)| c.clone()),
        })
        .collect())
}

pub fn set_service_codes(w: &mut Writer<'_>, codes: Vec<ServiceCode>) -> Result<()> {
    let mut e = FieldErrors::new();
    for c in &codes {
        if matches!(c.service, Service::MedicalIntake | Service::Prescription) && c.cpt.is_some() {
            e.add(
                format!("cpt.{}", c.service.as_str()),
                "The prescriber's services are never on the therapist's superbill.",
            );
        }
        if let Some(cpt) = &c.cpt {
            if !is_cpt(cpt.trim()) {
                e.add(
                    format!("cpt.{}", c.service.as_str()),
                    "A CPT code has five characters, e.g. 90837.",
                );
            }
        }
    }
    e.into_result()?;
    for c in codes {
        w.conn().execute(
            "INSERT INTO service_code (service, cpt) VALUES (?1, ?2)
             ON CONFLICT (service) DO UPDATE SET cpt = excluded.cpt",
            params![c.service.as_str(), c.cpt.map(|s| s.trim().to_owned())],
        )?;
    }
    w.audit(Action::Update, EntityKind::FeeSchedule, 2)
}
