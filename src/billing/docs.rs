//! Assembling the printed documents from the store. Rendering is in `crate::documents`.

use super::rules::{
    paid_per_line, superbill_includes, superbill_modifiers, superbill_place_of_service,
};
use super::{billing_profile, get_invoice, ledger, service_codes, sum};
use crate::documents::{
    ConsentDoc, EstimateDoc, EstimateItem, InvoiceDoc, InvoiceLine, PaymentLine, PracticeHeader,
    SuperbillDoc, SuperbillLine,
};
use crate::practice::{self, Service};
use crate::{clients, consent, Cents, Error, Result};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

fn header(conn: &Connection) -> Result<PracticeHeader> {
    Ok(PracticeHeader::from(practice::get(conn)?))
}

fn client_name(c: &clients::Client) -> String {
    c.details.legal_name.clone()
}

/// How to pay, printed on every invoice.
const HOW_TO_PAY: &str =
    "Payment is welcome by cash, card, check (payable to the therapist named above), \
Zelle or Venmo, at your session or within 30 days. If the amount is hard to manage, please say so: \
sliding-scale and pay-what-you-can fees are always available, without any paperwork.";

pub fn invoice_doc(conn: &Connection, invoice_id: i64) -> Result<InvoiceDoc> {
    let inv = get_invoice(conn, invoice_id)?;
    let client = clients::get(conn, inv.client_id, NaiveDate::MIN)?;
    let lines = inv
        .lines
        .iter()
        .map(|c| {
            let usual = c.usual.unwrap_or(Cents::ZERO);
            let amount = c.amount.unwrap_or(Cents::ZERO);
            InvoiceLine {
                date: c.service_date,
                description: c.description.clone(),
                usual,
                adjustment: Cents(amount.0 - usual.0),
                amount,
            }
        })
        .collect();
    Ok(InvoiceDoc {
        practice: header(conn)?,
        number: inv.number,
        issued_on: inv.issued_on,
        voided: inv.status.is_void(),
        status: inv.status.label().into(),
        client_name: client_name(&client),
        client_address: client.details.address.clone(),
        lines,
        // A reversed payment is printed with its reversal beneath it, so the paper adds up
        // and shows what happened.
        payments: inv
            .payments
            .iter()
            .flat_map(|p| {
                let paid = PaymentLine {
                    date: p.paid_on,
                    method: p.method.label().into(),
                    amount: p.amount,
                };
                let reversed = p.reversal.as_ref().map(|r| PaymentLine {
                    date: r.reversed_on,
                    method: format!("{} payment reversed", p.method.label()),
                    amount: Cents(-p.amount.0),
                });
                std::iter::once(paid).chain(reversed)
            })
            .collect(),
        total_usual: inv.total_usual,
        total_adjustment: inv.total_adjustment,
        total: inv.total,
        paid: inv.paid,
        balance: inv.balance,
        how_to_pay: HOW_TO_PAY.into(),
    })
}

pub fn consent_doc(conn: &Connection, client_id: i64, today: NaiveDate) -> Result<ConsentDoc> {
    let client = clients::get(conn, client_id, today)?;
    let form = consent::current();
    Ok(ConsentDoc {
        practice: header(conn)?,
        form_version: form.version,
        title: form.title.into(),
        text: form.text.into(),
        client_name: client_name(&client),
        date: today,
    })
}

/// The superbill for services dated `from` to `to` (inclusive) on the client's issued,
/// not void invoices. Which lines it includes is the rule [`superbill_includes`] (the
/// prescriber's services and the drug are never on it); payments on each invoice are
/// applied to its lines in date order ([`paid_per_line`]).
pub fn superbill_doc(
    conn: &Connection,
    client_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<SuperbillDoc> {
    if to < from {
        return Err(Error::invalid(
            "to",
            "The end date is before the start date.",
        ));
    }
    let client = clients::get(conn, client_id, today)?;
    let profile = billing_profile(conn, client_id)?;
    let letters = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"];
    let diagnoses: Vec<(String, String)> = profile
        .diagnosis_codes
        .iter()
        .zip(letters)
        .map(|(c, l)| (l.to_owned(), c.clone()))
        .collect();
    let pointer = diagnoses
        .iter()
        .take(4)
        .map(|(l, _)| l.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let codes = service_codes(conn)?;
    let mut lines = Vec::new();
    for inv in ledger(conn, client_id)?.invoices {
        let charged: Vec<Cents> = inv
            .lines
            .iter()
            .map(|c| c.amount.unwrap_or(Cents::ZERO))
            .collect();
        let paid = paid_per_line(inv.paid, &charged);
        for ((c, charged), paid) in inv.lines.iter().zip(charged).zip(paid) {
            let cpt = codes
                .iter()
                .find(|s| s.service == c.service)
                .and_then(|s| s.cpt.as_deref());
            let Ok(cpt) = superbill_includes(
                c.service,
                cpt,
                c.service_date,
                (from, to),
                inv.status.is_void(),
            ) else {
                continue;
            };
            let usual = c.usual.unwrap_or(Cents::ZERO);
            let place = c.place_of_service.as_deref();
            lines.push(SuperbillLine {
                date: c.service_date,
                place_of_service: superbill_place_of_service(place).into(),
                modifiers: superbill_modifiers(place).into(),
                cpt: cpt.into(),
                diagnosis_pointer: pointer.clone(),
                units: 1,
                description: c.description.clone(),
                fee: usual,
                adjustment: Cents(charged.0 - usual.0),
                charged,
                paid,
            });
        }
    }
    lines.sort_by_key(|l| l.date);
    Ok(SuperbillDoc {
        practice: header(conn)?,
        issued_on: today,
        client_name: client_name(&client),
        client_dob: client.details.date_of_birth,
        client_address: client.details.address.clone(),
        member_id: profile.member_id,
        diagnoses,
        total_charged: sum(lines.iter().map(|l| l.charged))?,
        total_paid: sum(lines.iter().map(|l| l.paid))?,
        lines,
    })
}

/// Something an insurer needs that a superbill lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SuperbillGap {
    /// Where to fix it: a client field (`diagnosis_codes`, `address`, `date_of_birth`),
    /// a practice setting (`npi`, `ein`, `ny_license_number`), or `lines`.
    pub field: String,
    /// What is missing, for people: "the client's address".
    pub label: String,
}

/// What a superbill lacks that an insurer will ask for: the app asks before saving one
/// without it. Empty when nothing is missing.
pub fn superbill_gaps(doc: &SuperbillDoc) -> Vec<SuperbillGap> {
    let p = &doc.practice;
    let checks = [
        (
            doc.diagnoses.is_empty(),
            "diagnosis_codes",
            "a diagnosis code (ICD-10)",
        ),
        (
            doc.client_address
                .as_deref()
                .is_none_or(|a| a.trim().is_empty()),
            "address",
            "the client's address",
        ),
        (
            doc.client_dob.is_none(),
            "date_of_birth",
            "the client's date of birth",
        ),
        (p.npi.trim().is_empty(), "npi", "the therapist's NPI"),
        (p.ein.trim().is_empty(), "ein", "the practice's EIN"),
        (
            p.license_number.trim().is_empty(),
            "ny_license_number",
            "the therapist's license number",
        ),
        (doc.lines.is_empty(), "lines", "services in these dates"),
    ];
    checks
        .into_iter()
        .filter(|(missing, _, _)| *missing)
        .map(|(_, field, label)| SuperbillGap {
            field: field.into(),
            label: label.into(),
        })
        .collect()
}

/// What a good-faith estimate covers: a course of KAP.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct EstimatePlan {
    /// Include the mental-health and medical intakes and the prescription.
    pub include_intakes: bool,
    pub kap_sessions: u32,
    pub integration_sessions: u32,
    pub scheduled_on: Option<NaiveDate>,
}

pub fn estimate_doc(
    conn: &Connection,
    client_id: i64,
    plan: &EstimatePlan,
    today: NaiveDate,
) -> Result<EstimateDoc> {
    if plan.kap_sessions > 24 || plan.integration_sessions > 52 {
        return Err(Error::invalid(
            "kap_sessions",
            "An estimate covers at most 12 months of care.",
        ));
    }
    if let Some(on) = plan.scheduled_on {
        let mut e = crate::validate::FieldErrors::new();
        e.record_date("scheduled_on", "The scheduled date", on);
        e.into_result()?;
    }
    let client = clients::get(conn, client_id, today)?;
    let settings = practice::get(conn)?;
    let codes = service_codes(conn)?;
    let fa = &client.details.fee_arrangement;
    // The client's own fee where one is agreed, else the practice's fee.
    // A service with no agreed fee and no practice fee is refused rather than estimated at
    // $0, which a client would read as free.
    let fee = |s: Service| -> Result<Cents> {
        let field = if s == Service::IntegrationSession {
            "integration_sessions"
        } else {
            "kap_sessions"
        };
        fa.agreed
            .iter()
            .find(|f| f.service == s)
            .map(|f| f.cents)
            .or(settings.fee(s))
            .ok_or_else(|| {
                Error::invalid(
                    field,
                    &format!(
                        "Set the fee for \"{}\" in Settings before estimating it.",
                        s.label()
                    ),
                )
            })
    };
    let mut wanted: Vec<(Service, u32)> = Vec::new();
    // The intakes as the practice charges them: the medical intake only when the practice
    // bills it, and the course's one prescription is the first after the medical intake,
    // included in its fee (`service_to_charge`).
    if plan.include_intakes {
        let billed = super::BilledServices {
            medical_intake: settings.bills_medical_intake,
            prescriptions: settings.bills_prescriptions,
        };
        for billable in [
            super::Billable::Intake(crate::intakes::IntakeKind::MentalHealth),
            super::Billable::Intake(crate::intakes::IntakeKind::Medical),
            super::Billable::Prescription {
                first_since_medical_intake: true,
            },
        ] {
            if let Some(service) = super::service_to_charge(billable, billed) {
                wanted.push((service, 1));
            }
        }
    }
    wanted.push((Service::KapSession, plan.kap_sessions));
    wanted.push((Service::IntegrationSession, plan.integration_sessions));
    let mut items = Vec::new();
    for (service, quantity) in wanted.into_iter().filter(|(_, q)| *q > 0) {
        let unit = fee(service)?;
        let total = Cents(
            unit.0
                .checked_mul(i64::from(quantity))
                .ok_or(Error::Internal("amount overflow"))?,
        );
        items.push(EstimateItem {
            description: service.label().into(),
            code: codes
                .iter()
                .find(|c| c.service == service)
                .and_then(|c| c.cpt.clone())
                .unwrap_or_default(),
            quantity,
            unit_fee: unit,
            total,
        });
    }
    Ok(EstimateDoc {
        practice: header(conn)?,
        issued_on: today,
        client_name: client_name(&client),
        client_dob: client.details.date_of_birth,
        primary_service: format!(
            "Ketamine-assisted psychotherapy (KAP): a course of {} KAP session{} with integration",
            plan.kap_sessions,
            if plan.kap_sessions == 1 { "" } else { "s" }
        ),
        scheduled_on: plan.scheduled_on,
        diagnosis_codes: billing_profile(conn, client_id)?.diagnosis_codes,
        total: sum(items.iter().map(|i| i.total))?,
        items,
    })
}
