//! The Billing page on the demo practice: its balances, counts and totals agree with every
//! invoice read one by one, its lists come a page at a time, the balances it keeps
//! (migration 16) follow payments, reversals and voids, and an upgraded practice's are
//! computed from its invoices.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use chrono::NaiveDate;
use common::*;
use kap_practice::billing::{self, BillingRows, PaymentMethod, PracticeBilling};
use kap_practice::demo::{self, DemoOptions, DemoSize};
use kap_practice::store::Store;
use kap_practice::Cents;
use rusqlite::Connection;
use std::collections::BTreeMap;

/// Every client's balance on invoices and the oldest invoice still owed, from every
/// invoice read one by one (`get_invoice`, the client ledger's numbers).
fn owed_by_reading_every_invoice(c: &Connection) -> BTreeMap<i64, (Cents, NaiveDate)> {
    let ids: Vec<i64> = c
        .prepare("SELECT id FROM invoice")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut owed: BTreeMap<i64, (Cents, NaiveDate)> = BTreeMap::new();
    for id in ids {
        let inv = billing::get_invoice(c, id).unwrap();
        if inv.balance.0 > 0 {
            let e = owed
                .entry(inv.client_id)
                .or_insert((Cents::ZERO, inv.issued_on));
            e.0 = Cents(e.0 .0 + inv.balance.0);
            e.1 = e.1.min(inv.issued_on);
        }
    }
    owed
}

fn all_rows() -> BillingRows {
    BillingRows {
        outstanding: billing::MAX_BILLING_ROWS,
        uninvoiced: billing::MAX_BILLING_ROWS,
        payments: billing::MAX_BILLING_ROWS,
    }
}

/// The page agrees with every invoice: who owes, how much, since when, and the total.
fn assert_page_matches_invoices(store: &Store, why: &str) -> PracticeBilling {
    let (page, owed) = store
        .read(|c| {
            Ok((
                billing::practice_billing_rows(c, today(), all_rows())?,
                owed_by_reading_every_invoice(c),
            ))
        })
        .unwrap();
    let listed: BTreeMap<i64, (Cents, NaiveDate)> = page
        .outstanding
        .iter()
        .map(|b| (b.client_id, (b.balance, b.oldest_open_invoice)))
        .collect();
    assert_eq!(listed, owed, "{why}");
    assert_eq!(page.outstanding_clients as usize, owed.len(), "{why}");
    assert_eq!(
        page.outstanding_total.0,
        owed.values().map(|(b, _)| b.0).sum::<i64>(),
        "{why}"
    );
    assert!(
        page.outstanding
            .windows(2)
            .all(|w| w[0].balance >= w[1].balance),
        "largest balance first ({why})"
    );
    page
}

fn demo_practice() -> (tempfile::TempDir, Store) {
    let (dir, _folder, _keychain, opened) = practice();
    let store = opened.store;
    store
        .write(|w| demo::fill(w, &DemoOptions::new(DemoSize::Small, today())))
        .unwrap();
    (dir, store)
}

#[test]
fn the_billing_page_agrees_with_every_invoice_and_comes_a_page_at_a_time() {
    let (_dir, store) = demo_practice();
    let all = assert_page_matches_invoices(&store, "the demo practice");
    assert!(all.outstanding.len() >= 3, "the demo leaves balances owed");

    // This month's payments: counted and summed over all of them, newest first.
    let (count, total, newest): (u32, i64, String) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*), coalesce(sum(amount_cents), 0), max(paid_on) FROM payment
                 WHERE paid_on >= '2026-11-01' AND paid_on < '2026-12-01'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert!(count >= 3, "the demo has payments this month");
    assert_eq!(all.payments_this_month_count, count);
    assert_eq!(all.payments_this_month_total, Cents(total));
    assert_eq!(all.payments_this_month.len(), count as usize);
    assert_eq!(
        all.payments_this_month[0].payment.paid_on.to_string(),
        newest
    );
    assert!(all
        .payments_this_month
        .windows(2)
        .all(|w| w[0].payment.paid_on >= w[1].payment.paid_on));
    assert_eq!(all.month, "November 2026");

    // A page of each list: the first rows of the whole, the counts and totals of all.
    let page = store
        .read(|c| {
            billing::practice_billing_rows(
                c,
                today(),
                BillingRows {
                    outstanding: 2,
                    uninvoiced: 1,
                    payments: 2,
                },
            )
        })
        .unwrap();
    assert_eq!(page.outstanding, all.outstanding[..2]);
    assert_eq!(page.payments_this_month, all.payments_this_month[..2]);
    assert!(page.uninvoiced.len() <= 1);
    assert_eq!(page.uninvoiced[..], all.uninvoiced[..page.uninvoiced.len()]);
    for (p, a) in [
        (page.outstanding_clients, all.outstanding_clients),
        (page.uninvoiced_clients, all.uninvoiced_clients),
        (
            page.payments_this_month_count,
            all.payments_this_month_count,
        ),
    ] {
        assert_eq!(p, a, "counts cover every row");
    }
    assert_eq!(
        (
            page.outstanding_total,
            page.uninvoiced_total,
            page.payments_this_month_total
        ),
        (
            all.outstanding_total,
            all.uninvoiced_total,
            all.payments_this_month_total
        ),
        "totals cover every row"
    );

    // The first page is BILLING_ROWS of each; more than MAX_BILLING_ROWS is never sent.
    let first = store
        .read(|c| billing::practice_billing(c, today()))
        .unwrap();
    assert_eq!(
        first.outstanding.len(),
        all.outstanding.len().min(billing::BILLING_ROWS as usize)
    );
    let huge = store
        .read(|c| {
            billing::practice_billing_rows(
                c,
                today(),
                BillingRows {
                    outstanding: u32::MAX,
                    uninvoiced: u32::MAX,
                    payments: u32::MAX,
                },
            )
        })
        .unwrap();
    assert_eq!(huge, all);
}

#[test]
fn balances_follow_payments_reversals_and_voids() {
    let (_dir, store) = demo_practice();
    // An invoice still owed in full, and its client.
    let (invoice, client, balance): (i64, i64, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT i.id, i.client_id,
                        (SELECT sum(amount_cents) FROM invoice_line WHERE invoice_id = i.id)
                 FROM invoice i WHERE i.status = 'open'
                   AND NOT EXISTS (SELECT 1 FROM payment WHERE invoice_id = i.id)
                   AND (SELECT sum(amount_cents) FROM invoice_line WHERE invoice_id = i.id) > 100
                 ORDER BY i.id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    let owed = |store: &Store| {
        store
            .read(|c| Ok(owed_by_reading_every_invoice(c).get(&client).map(|o| o.0)))
            .unwrap()
    };
    let before = owed(&store).unwrap();
    assert_page_matches_invoices(&store, "before");

    let part = store
        .write(|w| {
            billing::record_payment(
                w,
                invoice,
                today(),
                PaymentMethod::Cash,
                Cents(100),
                today(),
            )
        })
        .unwrap();
    assert_eq!(owed(&store), Some(Cents(before.0 - 100)));
    assert_page_matches_invoices(&store, "after a part payment");

    let rest = store
        .write(|w| {
            billing::record_payment(
                w,
                invoice,
                today(),
                PaymentMethod::Card,
                Cents(balance - 100),
                today(),
            )
        })
        .unwrap();
    assert_page_matches_invoices(&store, "after paying in full");

    for (payment, why) in [(rest, "a reversal"), (part, "both reversals")] {
        store
            .write(|w| {
                billing::reverse_payment(w, payment, today(), "Recorded by mistake", today())
            })
            .unwrap();
        assert_page_matches_invoices(&store, why);
    }
    assert_eq!(owed(&store), Some(before), "the balance is back");

    store
        .write(|w| billing::void_invoice(w, invoice, "Issued to the wrong client"))
        .unwrap();
    assert_eq!(
        owed(&store),
        Some(Cents(before.0 - balance)).filter(|c| c.0 > 0)
    );
    assert_page_matches_invoices(&store, "after the void");

    // Invoicing the released charges again owes them again.
    let charges: Vec<i64> = store
        .read(|c| {
            Ok(
                c.prepare("SELECT charge_id FROM invoice_line WHERE invoice_id = ?1")?
                    .query_map([invoice], |r| r.get(0))?
                    .collect::<Result<_, _>>()?,
            )
        })
        .unwrap();
    store
        .write(|w| billing::create_invoice(w, client, &charges, today(), today()))
        .unwrap();
    assert_eq!(owed(&store), Some(before));
    assert_page_matches_invoices(&store, "after invoicing again");
}

/// A practice from before migration 16 (its kept balances and migration 17's imports gone,
/// at schema 15) gets them computed from its invoices when it is opened.
#[test]
fn an_upgraded_practice_keeps_the_balances_of_its_invoices() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("practice.db");
    let key = kap_practice::key::DataKey::generate().unwrap();
    let store = Store::create(&path, &key).unwrap();
    store
        .write(|w| {
            kap_practice::practice::init(w, &new_practice())?;
            demo::fill(w, &DemoOptions::new(DemoSize::Small, today()))
        })
        .unwrap();
    let want = assert_page_matches_invoices(&store, "before");
    drop(store);
    let c = Connection::open(&path).unwrap();
    let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    c.pragma_update(None, "key", format!("x'{hex}'")).unwrap();
    c.execute_batch(
        "DROP TRIGGER invoice_owing_line_insert; DROP TRIGGER invoice_owing_line_delete;
         DROP TRIGGER invoice_owing_payment_insert; DROP TRIGGER invoice_owing_payment_update;
         DROP TRIGGER invoice_owing_reversal; DROP TRIGGER invoice_owing_status;
         DROP TRIGGER client_owing_insert; DROP TRIGGER client_owing_delete;
         DROP TRIGGER invoice_owing_no_update;
         DROP TABLE client_owing; DROP TABLE invoice_owing; DROP VIEW invoice_balance;
         DROP TABLE import_batch;
         PRAGMA user_version = 15;",
    )
    .unwrap();
    drop(c);
    let store = Store::open(&path, &key).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        kap_practice::store::SCHEMA_VERSION
    );
    let got = assert_page_matches_invoices(&store, "after the upgrade");
    assert_eq!(got, want);
}
