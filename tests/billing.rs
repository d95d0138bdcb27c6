//! Billing through the real store: charges at the fee schedule or the agreed sliding-scale
//! fee, invoices numbered without gaps, payments, voids, ledgers and document data.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::appointments::{
    self, AppointmentInput, AppointmentKind, AppointmentStatus, Location,
};
use kap_practice::billing::{self, BillingProfile, EstimatePlan, InvoiceStatus, PaymentMethod};
use kap_practice::clients::{self, AgreedFee, FeeArrangement, FeeKind};
use kap_practice::practice::Service;
use kap_practice::store::Store;
use kap_practice::{Cents, Error};

/// Books and completes a KAP session on Mar 10, 2026 (and an integration session by
/// telehealth on Mar 12) for a cleared client on a sliding scale of $350 per KAP session.
fn completed_sessions(store: &Store) -> i64 {
    let (client, _) = cleared_client(store, "Inés Navarro-Søndergaard");
    store
        .write(|w| {
            let mut c = clients::get(w.conn(), client, today())?.details;
            c.fee_arrangement = FeeArrangement {
                kind: FeeKind::SlidingScale,
                agreed: vec![AgreedFee {
                    service: Service::KapSession,
                    cents: Cents(35_000),
                }],
                note: Some("Agreed at intake.".into()),
            };
            clients::update(w, client, c, today())?;
            for (kind, day, location) in [
                (AppointmentKind::KapSession, 10, Location::KapRoom),
                (AppointmentKind::Psychotherapy, 12, Location::Telehealth),
            ] {
                let id = appointments::book(
                    w,
                    AppointmentInput {
                        kind,
                        starts_local: date(2026, 3, day).and_hms_opt(10, 0, 0).unwrap(),
                        duration_minutes: None,
                        location,
                        location_note: None,
                        client_ids: vec![client],
                        notes: String::new(),
                    },
                )?;
                appointments::set_status(w, id, AppointmentStatus::Completed)?;
            }
            Ok(())
        })
        .unwrap();
    client
}

/// Service, usual fee, adjustment, amount.
type ChargeSummary = (Service, Option<Cents>, Option<Cents>, Option<Cents>);

#[test]
fn charges_follow_the_fee_schedule_and_the_sliding_scale() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let client = completed_sessions(store);
    let charges = store
        .read(|c| billing::charges_for_client(c, client))
        .unwrap();
    let summary: Vec<ChargeSummary> = charges
        .iter()
        .map(|c| (c.service, c.usual, c.adjustment, c.amount))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                Service::Prescription,
                Some(Cents(10_000)),
                Some(Cents(0)),
                Some(Cents(10_000))
            ),
            (
                Service::KapSession,
                Some(Cents(60_000)),
                Some(Cents(-25_000)),
                Some(Cents(35_000))
            ),
            (Service::Psychotherapy, None, None, None),
        ],
        "the prescription at the schedule; KAP at the agreed $350; psychotherapy has no price yet"
    );
    let psy = charges[2].id;
    let err = store
        .write(|w| billing::create_invoice(w, client, &[psy], today(), today()))
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid(f) if f.has("charge_ids")),
        "unpriced charges cannot be invoiced"
    );
    let err = store
        .write(|w| billing::set_charge_amount(w, psy, Cents(20_000), Some(Cents(15_000))))
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid(f) if f.has("amount")),
        "never more than the usual fee"
    );
    store
        .write(|w| billing::set_charge_amount(w, psy, Cents(12_000), Some(Cents(18_000))))
        .unwrap();
    assert_eq!(
        store
            .read(|c| billing::ledger(c, client))
            .unwrap()
            .uninvoiced_total,
        Cents(57_000)
    );
}

#[test]
fn invoices_payments_balance_and_void() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let client = completed_sessions(store);
    let charges = store
        .read(|c| billing::charges_for_client(c, client))
        .unwrap();
    let kap = charges[1].id;
    let rx = charges[0].id;
    let first = store
        .write(|w| billing::create_invoice(w, client, &[kap], date(2026, 3, 10), today()))
        .unwrap();
    let inv = store.read(|c| billing::get_invoice(c, first)).unwrap();
    assert_eq!(inv.number, "2026-0001");
    assert_eq!(
        (
            inv.total_usual,
            inv.total_adjustment,
            inv.total,
            inv.balance
        ),
        (Cents(60_000), Cents(-25_000), Cents(35_000), Cents(35_000))
    );

    let err = store
        .write(|w| {
            billing::record_payment(
                w,
                first,
                date(2026, 3, 10),
                PaymentMethod::Zelle,
                Cents(35_001),
                today(),
            )
        })
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid(f) if f.has("amount")),
        "no overpayment"
    );
    store
        .write(|w| {
            billing::record_payment(
                w,
                first,
                date(2026, 3, 10),
                PaymentMethod::Zelle,
                Cents(20_000),
                today(),
            )
        })
        .unwrap();
    store
        .write(|w| {
            billing::record_payment(
                w,
                first,
                date(2026, 3, 11),
                PaymentMethod::Cash,
                Cents(15_000),
                today(),
            )
        })
        .unwrap();
    let inv = store.read(|c| billing::get_invoice(c, first)).unwrap();
    assert_eq!((inv.paid, inv.balance), (Cents(35_000), Cents(0)));
    assert!(
        matches!(
            store.write(|w| billing::void_invoice(w, first, "Wrong client")),
            Err(Error::Conflict(_))
        ),
        "paid invoices stay"
    );

    // A second invoice, voided: its number stays used, its charge can be invoiced again.
    let second = store
        .write(|w| billing::create_invoice(w, client, &[rx], date(2026, 3, 12), today()))
        .unwrap();
    assert!(
        matches!(
            store.write(|w| billing::void_invoice(w, second, " ")),
            Err(Error::Invalid(_))
        ),
        "a reason is required"
    );
    store
        .write(|w| billing::void_invoice(w, second, "Issued by mistake"))
        .unwrap();
    let void = store.read(|c| billing::get_invoice(c, second)).unwrap();
    assert_eq!(
        (void.status, void.number.as_str(), void.lines.len()),
        (InvoiceStatus::Void, "2026-0002", 1),
        "a void invoice keeps its lines"
    );
    let third = store
        .write(|w| billing::create_invoice(w, client, &[rx], date(2026, 3, 12), today()))
        .unwrap();
    assert_eq!(
        store
            .read(|c| billing::get_invoice(c, third))
            .unwrap()
            .number,
        "2026-0003",
        "never reused"
    );
    let next_year = store.write(|w| {
        let psy = billing::charges_for_client(w.conn(), client)?[2].id;
        billing::set_charge_amount(w, psy, Cents(18_000), Some(Cents(18_000)))?;
        billing::create_invoice(w, client, &[psy], date(2026, 11, 26), today())
    });
    assert_eq!(
        store
            .read(|c| billing::get_invoice(c, next_year.unwrap()))
            .unwrap()
            .number,
        "2026-0004"
    );

    let ledger = store.read(|c| billing::ledger(c, client)).unwrap();
    assert_eq!(ledger.balance, Cents(10_000 + 18_000));
    assert!(ledger.uninvoiced.is_empty());
    let audit = store
        .read(|c| {
            kap_practice::audit::for_entity(c, kap_practice::audit::EntityKind::Invoice, second, 5)
        })
        .unwrap();
    assert_eq!(audit[0].action, "void", "the void is in the audit log");
    let practice = store
        .read(|c| billing::practice_billing(c, date(2026, 3, 20)))
        .unwrap();
    assert_eq!(practice.outstanding_total, Cents(28_000));
    assert_eq!(practice.payments_this_month_total, Cents(35_000));
}

#[test]
fn failed_invoice_uses_no_number() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let client = completed_sessions(store);
    let kap = store
        .read(|c| billing::charges_for_client(c, client))
        .unwrap()[1]
        .id;
    // A write that takes a number and then fails rolls back: the number is not used.
    let err = store
        .write(|w| {
            billing::create_invoice(w, client, &[kap], date(2026, 3, 10), today())?;
            Err::<(), _>(Error::Internal("simulated failure after numbering"))
        })
        .unwrap_err();
    assert!(matches!(err, Error::Internal(_)));
    let id = store
        .write(|w| billing::create_invoice(w, client, &[kap], date(2026, 3, 10), today()))
        .unwrap();
    assert_eq!(
        store.read(|c| billing::get_invoice(c, id)).unwrap().number,
        "2026-0001"
    );
}

#[test]
fn superbill_and_estimate_data() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let client = completed_sessions(store);
    store
        .write(|w| {
            billing::set_billing_profile(
                w,
                client,
                BillingProfile {
                    diagnosis_codes: vec!["f33.1".into(), "F43.10".into()],
                    member_id: Some("XJ-4471".into()),
                },
            )
        })
        .unwrap();
    let bad = store.write(|w| {
        billing::set_billing_profile(
            w,
            client,
            BillingProfile {
                diagnosis_codes: vec!["depression".into()],
                member_id: None,
            },
        )
    });
    assert!(matches!(bad, Err(Error::Invalid(_))));
    let ids: Vec<i64> = store
        .read(|c| billing::charges_for_client(c, client))
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    store
        .write(|w| billing::set_charge_amount(w, ids[2], Cents(15_000), Some(Cents(18_000))))
        .unwrap();
    let inv = store
        .write(|w| billing::create_invoice(w, client, &ids, date(2026, 3, 12), today()))
        .unwrap();
    store
        .write(|w| {
            billing::record_payment(
                w,
                inv,
                date(2026, 3, 12),
                PaymentMethod::Card,
                Cents(40_000),
                today(),
            )
        })
        .unwrap();

    let sb = store
        .read(|c| billing::superbill_doc(c, client, date(2026, 3, 1), date(2026, 3, 31), today()))
        .unwrap();
    assert_eq!(
        sb.diagnoses,
        vec![
            ("A".to_string(), "F33.1".to_string()),
            ("B".to_string(), "F43.10".to_string())
        ]
    );
    let lines: Vec<(&str, &str, &str, Cents, Cents, Cents)> = sb
        .lines
        .iter()
        .map(|l| {
            (
                l.cpt.as_str(),
                l.place_of_service.as_str(),
                l.modifiers.as_str(),
                l.fee,
                l.charged,
                l.paid,
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("90837", "11", "", Cents(60_000), Cents(35_000), Cents(30_000)),
            ("90837", "10", "95", Cents(18_000), Cents(15_000), Cents(0)),
        ],
        "the prescription is never on a superbill; $400 paid covers the $100 prescription then $300 of the KAP session"
    );
    let plan = |integration_sessions| EstimatePlan {
        include_intakes: true,
        kap_sessions: 3,
        integration_sessions,
        scheduled_on: None,
    };
    let err = store
        .read(|c| billing::estimate_doc(c, client, &plan(3), today()))
        .unwrap_err();
    assert!(
        matches!(err, Error::Invalid(f) if f.has("integration_sessions")),
        "a service with no fee is refused, not estimated at $0"
    );
    let est = store
        .read(|c| billing::estimate_doc(c, client, &plan(0), today()))
        .unwrap();
    assert_eq!(
        est.total,
        Cents(20_000 + 25_000 + 10_000 + 3 * 35_000),
        "intakes, prescription and 3 KAP sessions at $350"
    );
}
