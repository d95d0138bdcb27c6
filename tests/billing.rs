//! Billing through the real store: charges at the fee schedule or the agreed sliding-scale
//! fee, invoices numbered without gaps, payments, voids, ledgers and document data.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::appointments::{
    self, AppointmentInput, AppointmentKind, AppointmentStatus, Location,
};
use kap_practice::billing::{
    self, BillingProfile, EstimatePlan, InvoiceStatus, PaymentMethod, PlaceOfService,
};
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
                        course_reason: None,
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

/// The id of the client's first charge for a service.
fn charge_of(store: &Store, client: i64, service: Service) -> i64 {
    store
        .read(|c| billing::charges_for_client(c, client))
        .unwrap()
        .iter()
        .find(|c| c.service == service)
        .unwrap_or_else(|| panic!("a {service:?} charge"))
        .id
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
                Service::MentalHealthIntake,
                Some(Cents(20_000)),
                Some(Cents(0)),
                Some(Cents(20_000))
            ),
            (
                Service::MedicalIntake,
                Some(Cents(25_000)),
                Some(Cents(0)),
                Some(Cents(25_000))
            ),
            (
                Service::KapSession,
                Some(Cents(60_000)),
                Some(Cents(-25_000)),
                Some(Cents(35_000))
            ),
            (Service::Psychotherapy, None, None, None),
        ],
        "both intakes at the schedule, the first prescription in the medical intake's fee; \
         KAP at the agreed $350; psychotherapy has no price yet"
    );
    let psy = charges[3].id;
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
        Cents(20_000 + 25_000 + 35_000 + 12_000)
    );
}

#[test]
fn invoices_payments_balance_and_void() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let client = completed_sessions(store);
    let kap = charge_of(store, client, Service::KapSession);
    let rx = charge_of(store, client, Service::MentalHealthIntake);
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
        let psy = billing::charges_for_client(w.conn(), client)?[3].id;
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
    assert_eq!(ledger.balance, Cents(20_000 + 18_000));
    assert_eq!(
        ledger.uninvoiced.len(),
        1,
        "only the medical intake is left to invoice"
    );
    let audit = store
        .read(|c| {
            kap_practice::audit::for_entity(c, kap_practice::audit::EntityKind::Invoice, second, 5)
        })
        .unwrap();
    assert_eq!(audit[0].action, "void", "the void is in the audit log");
    let practice = store
        .read(|c| billing::practice_billing(c, date(2026, 3, 20)))
        .unwrap();
    assert_eq!(practice.outstanding_total, Cents(38_000));
    assert_eq!(practice.payments_this_month_total, Cents(35_000));
}

#[test]
fn failed_invoice_uses_no_number() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let client = completed_sessions(store);
    let kap = charge_of(store, client, Service::KapSession);
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
        .write(|w| billing::set_charge_amount(w, ids[3], Cents(15_000), Some(Cents(18_000))))
        .unwrap();
    // The telehealth session was held with the client away from home: 02, not 10.
    store
        .write(|w| {
            billing::set_charge_place_of_service(w, ids[3], PlaceOfService::TelehealthNotAtHome)
        })
        .unwrap();
    let inv = store
        .write(|w| billing::create_invoice(w, client, &ids, date(2026, 3, 12), today()))
        .unwrap();
    let err = store
        .write(|w| billing::set_charge_place_of_service(w, ids[3], PlaceOfService::Office))
        .unwrap_err();
    assert!(
        matches!(err, Error::Conflict(_)),
        "an invoiced charge keeps its place of service"
    );
    store
        .write(|w| {
            billing::record_payment(
                w,
                inv,
                date(2026, 3, 12),
                PaymentMethod::Card,
                Cents(70_000),
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
            (
                "90837",
                "11",
                "",
                Cents(60_000),
                Cents(35_000),
                Cents(25_000)
            ),
            ("90837", "02", "95", Cents(18_000), Cents(15_000), Cents(0)),
        ],
        "January's intakes are outside March; $700 paid covers the $200 intake, the $250 \
         medical intake (never on a superbill), then $250 of the KAP session"
    );
    assert!(
        billing::superbill_gaps(&sb)
            .iter()
            .all(|g| g.field != "diagnosis_codes"),
        "diagnosis codes were given"
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
        Cents(20_000 + 25_000 + 3 * 35_000),
        "intakes (the medical intake includes the prescription) and 3 KAP sessions at $350"
    );
}

/// Pays an invoice in part and then in full, reverses the second payment (recorded by
/// mistake) and then the first, and voids the invoice.
#[test]
fn paid_invoices_say_paid_and_a_reversed_payment_restores_the_balance() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let client = completed_sessions(store);
    let kap = charge_of(store, client, Service::KapSession);
    let inv = store
        .write(|w| billing::create_invoice(w, client, &[kap], date(2026, 3, 10), today()))
        .unwrap();
    let status = |store: &Store| store.read(|c| billing::get_invoice(c, inv)).unwrap();
    assert_eq!(status(store).status, InvoiceStatus::Open, "nothing paid");
    let pay = |amount, method| {
        store
            .write(|w| billing::record_payment(w, inv, date(2026, 3, 10), method, amount, today()))
            .unwrap()
    };
    let first = pay(Cents(15_000), PaymentMethod::Cash);
    assert_eq!(status(store).status, InvoiceStatus::PartlyPaid);
    let second = pay(Cents(20_000), PaymentMethod::Zelle);
    let paid = status(store);
    assert_eq!(
        (paid.status, paid.balance),
        (InvoiceStatus::Paid, Cents(0)),
        "a fully paid invoice says Paid, not Open"
    );
    assert_eq!(
        store.read(|c| billing::invoice_doc(c, inv)).unwrap().status,
        "Paid",
        "and so does its PDF"
    );

    // A reversal needs a reason and a sensible date.
    for (on, reason, field) in [
        (date(2026, 3, 11), " ", "reason"),
        (date(2026, 3, 9), "Entered twice", "reversed_on"),
        (date(2026, 11, 27), "Entered twice", "reversed_on"),
    ] {
        let err = store
            .write(|w| billing::reverse_payment(w, second, on, reason, today()))
            .unwrap_err();
        assert!(
            matches!(&err, Error::Invalid(f) if f.has(field)),
            "{field}: {err:?}"
        );
    }
    assert!(
        matches!(
            store.write(|w| billing::void_invoice(w, inv, "Wrong client")),
            Err(Error::Conflict(_))
        ),
        "an invoice with payments that count cannot be voided"
    );
    store
        .write(|w| billing::reverse_payment(w, second, date(2026, 3, 11), "Entered twice", today()))
        .unwrap();
    let after = status(store);
    assert_eq!(
        (
            after.status,
            after.paid,
            after.balance,
            after.payments.len()
        ),
        (InvoiceStatus::PartlyPaid, Cents(15_000), Cents(20_000), 2),
        "the balance is restored and the payment stays on record"
    );
    let reversal = after.payments[1].reversal.clone().unwrap();
    assert_eq!(reversal.reason, "Entered twice");
    assert!(
        matches!(
            store.write(|w| billing::reverse_payment(
                w,
                second,
                date(2026, 3, 11),
                "Again",
                today()
            )),
            Err(Error::Conflict(_))
        ),
        "a payment is reversed once"
    );
    assert!(
        matches!(
            store.write(|w| billing::void_invoice(w, inv, "Wrong client")),
            Err(Error::Conflict(_))
        ),
        "the first payment still counts"
    );
    let month = store
        .read(|c| billing::practice_billing(c, date(2026, 3, 20)))
        .unwrap();
    assert_eq!(
        (
            month.payments_this_month.len(),
            month.payments_this_month_total
        ),
        (2, Cents(15_000)),
        "the reversed payment is listed and not counted"
    );
    store
        .write(|w| billing::reverse_payment(w, first, date(2026, 3, 12), "Wrong client", today()))
        .unwrap();
    store
        .write(|w| billing::void_invoice(w, inv, "Wrong client"))
        .unwrap();
    assert_eq!(status(store).status, InvoiceStatus::Void);

    // Nothing was deleted; the audit log has each reversal, without its reason.
    let rows: i64 = store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM payment", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(rows, 2, "payments are never deleted");
    let audit = store
        .read(|c| {
            kap_practice::audit::for_entity(c, kap_practice::audit::EntityKind::Payment, second, 5)
        })
        .unwrap();
    assert_eq!(
        audit[0].action, "reverse",
        "the reversal is in the audit log"
    );
    let deleted = store.write(|w| {
        w.conn()
            .execute("DELETE FROM payment_reversal", [])
            .map_err(Error::from)?;
        w.audit(
            kap_practice::audit::Action::Update,
            kap_practice::audit::EntityKind::Payment,
            second,
        )
    });
    assert!(deleted.is_err(), "a reversal is final");
}

#[test]
fn billing_page_lists_uninvoiced_charges_by_client_with_names() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let client = completed_sessions(store);
    let page = store
        .read(|c| billing::practice_billing(c, date(2026, 3, 20)))
        .unwrap();
    assert!(page.outstanding.is_empty(), "no invoices yet");
    assert_eq!(page.uninvoiced.len(), 1, "but charges wait: {page:?}");
    let u = &page.uninvoiced[0];
    assert_eq!(
        (
            u.client_id,
            u.legal_name.as_str(),
            u.charges,
            u.unpriced,
            u.total,
            u.oldest
        ),
        (
            client,
            "Inés Navarro-Søndergaard",
            4,
            1,
            Cents(20_000 + 25_000 + 35_000),
            date(2026, 1, 10)
        ),
        "both intakes and the KAP session priced, psychotherapy still to price"
    );
    assert_eq!(page.uninvoiced_total, Cents(80_000));
    let kap = charge_of(store, client, Service::KapSession);
    let inv = store
        .write(|w| billing::create_invoice(w, client, &[kap], date(2026, 3, 10), today()))
        .unwrap();
    store
        .write(|w| {
            billing::record_payment(
                w,
                inv,
                date(2026, 3, 11),
                PaymentMethod::Venmo,
                Cents(5_000),
                today(),
            )
        })
        .unwrap();
    let page = store
        .read(|c| billing::practice_billing(c, date(2026, 3, 20)))
        .unwrap();
    assert_eq!(page.uninvoiced_total, Cents(45_000));
    assert_eq!(
        page.outstanding[0].legal_name, "Inés Navarro-Søndergaard",
        "balances name the client"
    );
    assert_eq!(
        page.payments_this_month[0].legal_name, "Inés Navarro-Søndergaard",
        "payments name the client"
    );
}

/// Sets which of the prescriber's services the practice bills.
fn bills(store: &Store, medical_intake: bool, prescriptions: bool) {
    store
        .write(|w| {
            let mut s = kap_practice::practice::get(w.conn())?;
            s.bills_medical_intake = medical_intake;
            s.bills_prescriptions = prescriptions;
            kap_practice::practice::update(w, s)
        })
        .unwrap();
}

fn services_charged(store: &Store, client: i64) -> Vec<(Service, chrono::NaiveDate)> {
    store
        .read(|c| billing::charges_for_client(c, client))
        .unwrap()
        .iter()
        .map(|c| (c.service, c.service_date))
        .collect()
}

fn prescribe(store: &Store, client: i64, prescriber: i64, on: chrono::NaiveDate) {
    use kap_practice::prescriptions;
    store
        .write(|w| {
            prescriptions::create(
                w,
                client,
                prescriptions::PrescriptionInput {
                    prescriber_id: prescriber,
                    date: on,
                    formulation: prescriptions::Formulation::SublingualLozenge,
                    strength_mg: 100,
                    quantity: 4,
                    directions: "In session only.".into(),
                    pharmacy: "Union Square Compounding".into(),
                    cost: Cents(10_000),
                },
                today(),
            )
        })
        .unwrap();
}

#[test]
fn fees_the_practice_bills_are_decided_once() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    // The practice bills everything (a new practice's default): both intakes are
    // charged, the first prescription is in the medical intake's fee, the next is not.
    let (client, prescriber) = cleared_client(store, "Maya Brennan");
    prescribe(store, client, prescriber, date(2026, 2, 20));
    assert_eq!(
        services_charged(store, client),
        vec![
            (Service::MentalHealthIntake, date(2026, 1, 10)),
            (Service::MedicalIntake, date(2026, 1, 20)),
            (Service::Prescription, date(2026, 2, 20)),
        ],
        "the intakes as appointments; only the second prescription at $100"
    );

    // The prescriber bills the medical intake and prescriptions directly.
    bills(store, false, false);
    let (other, prescriber) = cleared_client(store, "Sol Ortega");
    prescribe(store, other, prescriber, date(2026, 2, 20));
    assert_eq!(
        services_charged(store, other),
        vec![(Service::MentalHealthIntake, date(2026, 1, 10))],
        "only the therapist's own intake"
    );

    // The practice bills prescriptions but not the medical intake.
    bills(store, false, true);
    let (third, prescriber) = cleared_client(store, "Ada Lin");
    prescribe(store, third, prescriber, date(2026, 3, 1));
    assert_eq!(
        services_charged(store, third),
        vec![
            (Service::MentalHealthIntake, date(2026, 1, 10)),
            (Service::Prescription, date(2026, 3, 1)),
        ],
        "the first prescription is still the medical intake's"
    );
    let s = store.read(kap_practice::practice::get).unwrap();
    assert_eq!(
        (s.bills_medical_intake, s.bills_prescriptions),
        (false, true),
        "the choice is kept in the practice settings"
    );
}

#[test]
fn an_intake_and_its_appointment_are_charged_once() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let client = store
        .write(|w| {
            let mut c = clients::ClientInput::named("Noor Haddad");
            c.status = clients::ClientStatus::Active;
            clients::create(w, c, today())
        })
        .unwrap();
    // The intake appointment is completed, then the intake recorded for the same day.
    store
        .write(|w| {
            let id = appointments::book(
                w,
                AppointmentInput {
                    course_reason: None,
                    kind: AppointmentKind::MentalHealthIntake,
                    starts_local: date(2026, 3, 2).and_hms_opt(10, 0, 0).unwrap(),
                    duration_minutes: None,
                    location: Location::Other,
                    location_note: None,
                    client_ids: vec![client],
                    notes: String::new(),
                },
            )?;
            appointments::set_status(w, id, AppointmentStatus::Completed)?;
            kap_practice::intakes::create(
                w,
                client,
                kap_practice::intakes::IntakeInput {
                    kind: kap_practice::intakes::IntakeKind::MentalHealth,
                    date: date(2026, 3, 2),
                    clinician: "Dana Whitfield".into(),
                    prescriber_id: None,
                    duration_minutes: 55,
                    outcome: kap_practice::intakes::IntakeOutcome::Pending,
                    notes: String::new(),
                },
                today(),
            )
        })
        .unwrap();
    assert_eq!(
        services_charged(store, client),
        vec![(Service::MentalHealthIntake, date(2026, 3, 2))],
        "one visit, one charge"
    );

    // An intake recorded on its own is charged from its record; correcting its date
    // moves the charge while it is not invoiced.
    let other = store
        .write(|w| {
            let c = clients::create(w, clients::ClientInput::named("Lea Brandt"), today())?;
            let mut input = kap_practice::intakes::IntakeInput {
                kind: kap_practice::intakes::IntakeKind::MentalHealth,
                date: date(2026, 4, 2),
                clinician: "Dana Whitfield".into(),
                prescriber_id: None,
                duration_minutes: 55,
                outcome: kap_practice::intakes::IntakeOutcome::Cleared,
                notes: String::new(),
            };
            let intake = kap_practice::intakes::create(w, c, input.clone(), today())?;
            input.date = date(2026, 4, 3);
            kap_practice::intakes::update(w, intake, input, today())?;
            Ok(c)
        })
        .unwrap();
    assert_eq!(
        services_charged(store, other),
        vec![(Service::MentalHealthIntake, date(2026, 4, 3))],
        "the charge follows the corrected date"
    );
}

#[test]
fn a_superbill_lists_what_an_insurer_will_miss() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let client = completed_sessions(store);
    let gaps = |store: &Store| -> Vec<String> {
        let doc = store
            .read(|c| {
                billing::superbill_doc(c, client, date(2026, 3, 1), date(2026, 3, 31), today())
            })
            .unwrap();
        billing::superbill_gaps(&doc)
            .into_iter()
            .map(|g| g.field)
            .collect()
    };
    assert_eq!(
        gaps(store),
        vec![
            "diagnosis_codes",
            "address",
            "npi",
            "ein",
            "ny_license_number",
            "lines"
        ],
        "no diagnosis, no address, no identifiers and nothing invoiced yet"
    );
    store
        .write(|w| {
            billing::set_billing_profile(
                w,
                client,
                BillingProfile {
                    diagnosis_codes: vec!["F33.1".into()],
                    member_id: None,
                },
            )?;
            let mut c = clients::get(w.conn(), client, today())?.details;
            c.address = Some("12 Irving Pl, New York, NY 10003".into());
            clients::update(w, client, c, today())?;
            let mut s = kap_practice::practice::get(w.conn())?;
            s.npi = "1234567893".into();
            s.ein = "123456789".into();
            s.ny_license_number = "R-012345".into();
            kap_practice::practice::update(w, s)?;
            let kap = billing::charges_for_client(w.conn(), client)?
                .into_iter()
                .find(|c| c.service == Service::KapSession)
                .unwrap()
                .id;
            billing::create_invoice(w, client, &[kap], date(2026, 3, 10), today())
        })
        .unwrap();
    assert!(gaps(store).is_empty(), "nothing missing: {:?}", gaps(store));
    assert_eq!(
        store.read(kap_practice::practice::get).unwrap().ein,
        "12-3456789",
        "an EIN typed without the dash is stored formatted"
    );
}
