//! The billing rules as plain functions over plain values: which service a billable event
//! is charged as and at what price, the amount a charge may be set to, place-of-service
//! codes, which services a superbill includes (and why others are left off) and how
//! payments spread over its lines, an invoice's status, numbering and exact sums.
//! No SQL here; the loaders beside it (`charges.rs`, `invoices.rs`, `docs.rs` …) read the
//! store and call these, as `clearance/load.rs` calls the clearance rule.

use crate::appointments::{AppointmentKind, Location};
use crate::clients::{FeeArrangement, FeeKind};
use crate::practice::Service;
use crate::validate::FieldErrors;
use crate::{Cents, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;

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
/// ([`super::set_charge_place_of_service`]): the booking does not know where the client sat.
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

/// An invoice's status, derived from what it says: never stored, so it cannot disagree
/// with the invoice's lines and payments. See [`invoice_status`].
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

/// A charge's prices, `(usual, amount)`: the fee schedule's usual fee for the service
/// (`None` while the practice has not set one) and what this client pays under their fee
/// arrangement. Standard: the usual fee. Sliding scale: the fee agreed for this service,
/// else the usual fee. Pay what you can: no amount yet, agreed visit by visit
/// ([`check_charge_amount`]). An agreed fee above the usual one is capped at it: a
/// reduction never costs more.
pub fn charge_price(
    usual: Option<Cents>,
    fees: &FeeArrangement,
    service: Service,
) -> (Option<Cents>, Option<Cents>) {
    let amount = match fees.kind {
        FeeKind::Standard => usual,
        FeeKind::SlidingScale => fees
            .agreed
            .iter()
            .find(|f| f.service == service)
            .map(|f| f.cents)
            .or(usual),
        FeeKind::PayWhatYouCan => None,
    };
    let amount = match (usual, amount) {
        (Some(u), Some(a)) if a > u => Some(u),
        (_, a) => a,
    };
    (usual, amount)
}

/// Checks an amount set on a charge not yet invoiced (pay what you can, a fee not in the
/// schedule, a one-off reduction) and returns the usual fee to keep with it: the charge's
/// own (`kept`) when it has one, else the one sent. The amount is between $0.00 and the
/// usual fee; a usual fee sent is checked even when the charge keeps its own.
pub fn check_charge_amount(
    amount: Cents,
    kept: Option<Cents>,
    sent: Option<Cents>,
) -> Result<Cents> {
    let mut e = FieldErrors::new();
    if sent.is_some_and(|u| !u.is_enterable()) {
        e.add("usual", "Enter a fee between $0.00 and $10,000,000.00.");
    }
    let usual = kept.or(sent);
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
    usual.ok_or(Error::Internal("usual fee"))
}

/// Whether a service can ever be on the therapist's superbill, and so carry a CPT code:
/// the prescriber's services (the medical intake, prescriptions) never are.
pub fn on_superbills(service: Service) -> bool {
    !matches!(service, Service::MedicalIntake | Service::Prescription)
}

/// The services a superbill can include, in [`Service::ALL`] order: what Settings offers
/// a CPT code for.
pub fn superbill_services() -> Vec<Service> {
    Service::ALL
        .into_iter()
        .filter(|s| on_superbills(*s))
        .collect()
}

/// Why a line of an invoice is left off a superbill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotOnSuperbill {
    /// Its invoice is void: it asks for nothing and claims nothing.
    VoidInvoice,
    /// A prescriber's service ([`on_superbills`]).
    PrescribersService,
    /// The practice has set no CPT code for the service.
    NoCptCode,
    /// Dated outside the superbill's dates.
    OutsideDates,
}

/// Whether a line of an issued invoice goes on a superbill for services dated `from` to
/// `to` (inclusive): `Ok` with its CPT code, or why not.
pub fn superbill_includes(
    service: Service,
    cpt: Option<&str>,
    service_date: NaiveDate,
    (from, to): (NaiveDate, NaiveDate),
    invoice_void: bool,
) -> std::result::Result<&str, NotOnSuperbill> {
    if invoice_void {
        return Err(NotOnSuperbill::VoidInvoice);
    }
    let Some(cpt) = cpt else {
        return Err(NotOnSuperbill::NoCptCode);
    };
    if !on_superbills(service) {
        return Err(NotOnSuperbill::PrescribersService);
    }
    if service_date < from || service_date > to {
        return Err(NotOnSuperbill::OutsideDates);
    }
    Ok(cpt)
}

/// What was paid on each line of an invoice, the lines charged `charged` in order and the
/// invoice paid `paid` in all: payments fill the lines in order, so no line is paid more
/// than it was charged and the lines never add up to more than was paid.
pub fn paid_per_line(paid: Cents, charged: &[Cents]) -> Vec<Cents> {
    let mut left = paid;
    charged
        .iter()
        .map(|c| {
            let p = Cents(c.0.min(left.0));
            left = Cents(left.0 - p.0);
            p
        })
        .collect()
}

/// A superbill line's place-of-service code: the charge's, else the office (11).
pub fn superbill_place_of_service(recorded: Option<&str>) -> &str {
    recorded.unwrap_or(PlaceOfService::Office.code())
}

/// A superbill line's CPT modifiers: 95 (synchronous telehealth) for telehealth, at home
/// (10) or not (02); none in the office.
pub fn superbill_modifiers(place_of_service: Option<&str>) -> &'static str {
    match place_of_service {
        Some("10") | Some("02") => "95",
        _ => "",
    }
}
