//! The billing rules as plain functions over plain values: which service a billable event
//! is charged as, place-of-service codes, an invoice's status, numbering and exact sums.
//! No SQL here; the loaders beside it (`charges.rs`, `invoices.rs`, `docs.rs` …) read the
//! store and call these, as `clearance/load.rs` calls the clearance rule.

use crate::appointments::{AppointmentKind, Location};
use crate::practice::Service;
use crate::{Cents, Error, Result};
use serde::{Deserialize, Serialize};

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
