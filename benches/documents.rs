//! Benchmarks of rendering the practice's paper to PDF bytes: invoices of 5 and 40
//! lines, the consent form, a superbill of 10 lines and a good-faith estimate. The
//! target is at most 20 ms per document in release.
//! Run: `cargo bench -p kap-practice --bench documents`. Figures go in the README.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use kap_practice::documents::{
    render_consent, render_estimate, render_invoice, render_superbill, ConsentDoc, EstimateDoc,
    EstimateItem, InvoiceDoc, InvoiceLine, PaymentLine, PracticeHeader, SuperbillDoc,
    SuperbillLine,
};
use kap_practice::Cents;
use std::hint::black_box;

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 5).unwrap() + chrono::Days::new(n)
}

fn practice() -> PracticeHeader {
    PracticeHeader {
        practice_name: "Union Square KAP".into(),
        therapist_name: "Dana Whitfield".into(),
        credentials: "LCSW".into(),
        address: "12 East 14th Street, Suite 5\nNew York, NY 10003".into(),
        phone: "(212) 555-0147".into(),
        license_number: "087654".into(),
        npi: "1234567893".into(),
        ein: "12-3456789".into(),
    }
}

const CLIENT: &str = "Renée Søndergaard-Núñez";

fn invoice(lines: usize) -> InvoiceDoc {
    let lines: Vec<InvoiceLine> = (0..lines)
        .map(|i| {
            let usual = [60_000, 20_000, 18_000][i % 3];
            let adjustment = if i.is_multiple_of(2) { 0 } else { -5_000 };
            InvoiceLine {
                date: day(i as u64 * 3),
                description: [
                    "KAP session (1-on-1)",
                    "Integration session",
                    "Psychotherapy",
                ][i % 3]
                    .into(),
                usual: Cents(usual),
                adjustment: Cents(adjustment),
                amount: Cents(usual + adjustment),
            }
        })
        .collect();
    let total: i64 = lines.iter().map(|l| l.amount.0).sum();
    InvoiceDoc {
        practice: practice(),
        number: "2026-0042".into(),
        issued_on: day(60),
        voided: false,
        status: "Open".into(),
        client_name: CLIENT.into(),
        client_address: Some("Calle del Ñandú 7, Apt 4B\nBrooklyn, NY 11201".into()),
        total_usual: Cents(lines.iter().map(|l| l.usual.0).sum()),
        total_adjustment: Cents(lines.iter().map(|l| l.adjustment.0).sum()),
        total: Cents(total),
        paid: Cents(60_000),
        balance: Cents(total - 60_000),
        lines,
        payments: vec![PaymentLine {
            date: day(0),
            method: "Zelle".into(),
            amount: Cents(60_000),
        }],
        how_to_pay: "Pay by Zelle, by check or by card at your next session.".into(),
    }
}

fn consent() -> ConsentDoc {
    let form = kap_practice::consent::current();
    ConsentDoc {
        practice: practice(),
        form_version: form.version,
        title: form.title.into(),
        text: form.text.into(),
        client_name: CLIENT.into(),
        date: day(60),
    }
}

fn superbill(lines: usize) -> SuperbillDoc {
    let lines: Vec<SuperbillLine> = (0..lines)
        .map(|i| SuperbillLine {
            date: day(i as u64 * 7),
            place_of_service: "11".into(),
            cpt: "90837".into(),
            modifiers: String::new(),
            diagnosis_pointer: "A".into(),
            units: 1,
            description: "Psychotherapy, 60 minutes".into(),
            fee: Cents(20_000),
            adjustment: Cents(-5_000),
            charged: Cents(15_000),
            paid: Cents(15_000),
        })
        .collect();
    SuperbillDoc {
        practice: practice(),
        issued_on: day(80),
        client_name: CLIENT.into(),
        client_dob: NaiveDate::from_ymd_opt(1987, 7, 14),
        client_address: Some("Calle del Ñandú 7, Apt 4B\nBrooklyn, NY 11201".into()),
        member_id: Some("XJH-44871023".into()),
        diagnoses: vec![("A".into(), "F33.1".into())],
        total_charged: Cents(15_000 * lines.len() as i64),
        total_paid: Cents(15_000 * lines.len() as i64),
        lines,
    }
}

fn estimate() -> EstimateDoc {
    EstimateDoc {
        practice: practice(),
        issued_on: day(60),
        client_name: CLIENT.into(),
        client_dob: NaiveDate::from_ymd_opt(1987, 7, 14),
        primary_service: "Ketamine-assisted psychotherapy".into(),
        scheduled_on: Some(day(70)),
        diagnosis_codes: vec!["F33.1".into()],
        items: vec![
            EstimateItem {
                description: "KAP session".into(),
                code: "90837".into(),
                quantity: 3,
                unit_fee: Cents(60_000),
                total: Cents(180_000),
            },
            EstimateItem {
                description: "Integration session".into(),
                code: "90834".into(),
                quantity: 3,
                unit_fee: Cents(18_000),
                total: Cents(54_000),
            },
        ],
        total: Cents(234_000),
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("documents");
    let (invoice_5, invoice_40) = (invoice(5), invoice(40));
    let (consent, superbill_10, estimate) = (consent(), superbill(10), estimate());
    g.bench_function("invoice_5_lines", |b| {
        b.iter(|| black_box(render_invoice(black_box(&invoice_5)).unwrap()))
    });
    g.bench_function("invoice_40_lines", |b| {
        b.iter(|| black_box(render_invoice(black_box(&invoice_40)).unwrap()))
    });
    g.bench_function("consent_form", |b| {
        b.iter(|| black_box(render_consent(black_box(&consent)).unwrap()))
    });
    g.bench_function("superbill_10_lines", |b| {
        b.iter(|| black_box(render_superbill(black_box(&superbill_10)).unwrap()))
    });
    g.bench_function("estimate", |b| {
        b.iter(|| black_box(render_estimate(black_box(&estimate)).unwrap()))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
