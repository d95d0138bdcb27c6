//! Table tests of the billing rules: an invoice's status, and which service (if any) the
//! practice charges for what happened.

use super::*;
use crate::appointments::AppointmentKind;
use crate::intakes::IntakeKind;
use crate::practice::Service;
use crate::Cents;

#[test]
fn invoice_status_follows_total_paid_and_void() {
    use InvoiceStatus::*;
    let c = Cents;
    // (voided, total, paid, status, why)
    let cases = [
        (false, c(45_000), c(0), Open, "nothing paid"),
        (false, c(45_000), c(1), PartlyPaid, "one cent paid"),
        (false, c(45_000), c(44_999), PartlyPaid, "one cent left"),
        (false, c(45_000), c(45_000), Paid, "paid in full"),
        (false, c(0), c(0), Paid, "a $0 invoice asks for nothing"),
        (true, c(45_000), c(0), Void, "void, nothing paid"),
        (true, c(45_000), c(45_000), Void, "void wins over paid"),
    ];
    for (voided, total, paid, want, why) in cases {
        assert_eq!(invoice_status(voided, total, paid), want, "{why}");
    }
    assert_eq!(PartlyPaid.label(), "Partly paid");
}

#[test]
fn which_service_the_practice_charges() {
    let both = BilledServices {
        medical_intake: true,
        prescriptions: true,
    };
    let neither = BilledServices {
        medical_intake: false,
        prescriptions: false,
    };
    let rx = |first| Billable::Prescription {
        first_since_medical_intake: first,
    };
    use AppointmentKind as A;
    use Billable::{Appointment as Appt, Intake};
    use Service as S;
    // (billable, who bills what, charged service, why)
    let cases = [
        (
            Intake(IntakeKind::MentalHealth),
            both,
            Some(S::MentalHealthIntake),
            "the therapist's intake is charged like an appointment",
        ),
        (
            Intake(IntakeKind::MentalHealth),
            neither,
            Some(S::MentalHealthIntake),
            "the therapist's intake is always the practice's to bill",
        ),
        (
            Appt(A::MentalHealthIntake),
            neither,
            Some(S::MentalHealthIntake),
            "its appointment too",
        ),
        (
            Intake(IntakeKind::Medical),
            both,
            Some(S::MedicalIntake),
            "the practice bills the medical intake",
        ),
        (
            Intake(IntakeKind::Medical),
            neither,
            None,
            "the prescriber bills the medical intake",
        ),
        (Appt(A::MedicalIntake), neither, None, "nor its appointment"),
        (
            rx(true),
            both,
            None,
            "the first prescription after a medical intake is in the intake's fee",
        ),
        (
            rx(false),
            both,
            Some(S::Prescription),
            "later prescriptions are charged",
        ),
        (
            rx(false),
            BilledServices {
                medical_intake: true,
                prescriptions: false,
            },
            None,
            "the prescriber bills prescriptions",
        ),
        (rx(true), neither, None, "included and not billed here"),
        (
            Appt(A::KapSession),
            neither,
            Some(S::KapSession),
            "sessions",
        ),
        (
            Appt(A::GroupKapSession),
            neither,
            Some(S::GroupSession),
            "group",
        ),
        (
            Appt(A::IntegrationSession),
            both,
            Some(S::IntegrationSession),
            "integration",
        ),
        (
            Appt(A::Psychotherapy),
            both,
            Some(S::Psychotherapy),
            "psychotherapy",
        ),
    ];
    for (billable, billed, want, why) in cases {
        assert_eq!(service_to_charge(billable, billed), want, "{why}");
    }
}
