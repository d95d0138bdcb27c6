//! Ledgers: one client's money at a glance, and the practice's billing page.

use super::charges::{charges_for_client, Charge};
use super::invoices::{get_invoice, Invoice};
use super::payments::{payments_ordered, payments_where, Payment};
use super::rules::sum;
use crate::store::col::date;
use crate::{Cents, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

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

/// How many rows of each of the Billing page's lists it shows at first; each "Show more"
/// asks for as many again.
pub const BILLING_ROWS: u32 = 50;
/// The most rows of one list one call returns.
pub const MAX_BILLING_ROWS: u32 = 1000;

fn billing_rows() -> u32 {
    BILLING_ROWS
}

/// How many rows of each list to return: the first page, or more of a list after
/// "Show more". The totals and counts always cover every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct BillingRows {
    /// Clients owing on invoices, largest balance first.
    #[serde(default = "billing_rows")]
    pub outstanding: u32,
    /// Clients with charges not yet invoiced, oldest charge first.
    #[serde(default = "billing_rows")]
    pub uninvoiced: u32,
    /// This month's payments, newest first.
    #[serde(default = "billing_rows")]
    pub payments: u32,
}

impl Default for BillingRows {
    fn default() -> Self {
        BillingRows {
            outstanding: BILLING_ROWS,
            uninvoiced: BILLING_ROWS,
            payments: BILLING_ROWS,
        }
    }
}

/// The practice's billing page: who owes what on invoices, what is not invoiced yet, and
/// this month's payments, each list a page at a time ([`BillingRows`]) with its count and
/// total over every row. Reversed payments are listed, marked, and not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PracticeBilling {
    /// Clients owing on invoices, largest balance first; at most the rows asked for.
    pub outstanding: Vec<ClientBalance>,
    /// How many clients owe in all.
    pub outstanding_clients: u32,
    pub outstanding_total: Cents,
    /// Clients with charges not yet invoiced, oldest charge first; at most the rows asked
    /// for.
    pub uninvoiced: Vec<ClientUninvoiced>,
    /// How many clients have charges not yet invoiced in all.
    pub uninvoiced_clients: u32,
    /// The sum of the priced charges not yet invoiced.
    pub uninvoiced_total: Cents,
    pub month: String,
    /// This month's payments, newest first; at most the rows asked for.
    pub payments_this_month: Vec<ClientPayment>,
    /// How many payments this month has in all (reversed ones included).
    pub payments_this_month_count: u32,
    pub payments_this_month_total: Cents,
}

/// The Billing page's first rows of each list ([`BILLING_ROWS`]).
pub fn practice_billing(conn: &Connection, today: NaiveDate) -> Result<PracticeBilling> {
    practice_billing_rows(conn, today, BillingRows::default())
}

/// The Billing page with `rows` of each list (at most [`MAX_BILLING_ROWS`]). Balances come
/// from `client_owing` (migration 16: the clients owing on open invoices, kept by
/// triggers from the invoices' lines, payments, reversals and voids), read largest first
/// through its index: the page reads a page of what is owed, never ten years of paid
/// invoices. This month's payments are read through their date index, newest first.
pub fn practice_billing_rows(
    conn: &Connection,
    today: NaiveDate,
    rows: BillingRows,
) -> Result<PracticeBilling> {
    let limit = |n: u32| n.min(MAX_BILLING_ROWS);
    let (outstanding_clients, outstanding_total): (u32, i64) = conn
        .prepare_cached("SELECT count(*), coalesce(sum(balance_cents), 0) FROM client_owing")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut stmt = conn.prepare_cached(
        "SELECT o.client_id, c.legal_name, c.preferred_name, o.balance_cents, o.oldest_owed
         FROM client_owing o JOIN client c ON c.id = o.client_id
         ORDER BY o.balance_cents DESC, c.sort_name, o.client_id LIMIT ?1",
    )?;
    let outstanding = stmt
        .query_map([limit(rows.outstanding)], |r| {
            Ok(ClientBalance {
                client_id: r.get(0)?,
                legal_name: r.get(1)?,
                preferred_name: r.get(2)?,
                balance: Cents(r.get(3)?),
                oldest_open_invoice: date(&r.get::<_, String>(4)?)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (uninvoiced_clients, uninvoiced_total): (u32, i64) = conn
        .prepare_cached(
            "SELECT count(DISTINCT client_id), coalesce(sum(amount_cents), 0)
             FROM charge WHERE invoice_id IS NULL",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut stmt = conn.prepare_cached(
        "SELECT ch.client_id, c.legal_name, c.preferred_name, count(*),
                count(*) - count(ch.amount_cents), coalesce(sum(ch.amount_cents), 0),
                min(ch.service_date)
         FROM charge ch JOIN client c ON c.id = ch.client_id
         WHERE ch.invoice_id IS NULL
         GROUP BY ch.client_id
         ORDER BY min(ch.service_date), c.sort_name, ch.client_id LIMIT ?1",
    )?;
    let uninvoiced = stmt
        .query_map([limit(rows.uninvoiced)], |r| {
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
    let (first_s, next_s) = (first.to_string(), next.to_string());
    // Reversed payments are counted among the month's payments, and add nothing.
    let (payments_this_month_count, payments_this_month_total): (u32, i64) = conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(CASE WHEN r.id IS NULL THEN p.amount_cents END), 0)
             FROM payment p LEFT JOIN payment_reversal r ON r.payment_id = p.id
             WHERE p.paid_on >= ?1 AND p.paid_on < ?2",
        )?
        .query_row(params![first_s, next_s], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let payments = payments_ordered(
        conn,
        "p.paid_on >= ?1 AND p.paid_on < ?2",
        "p.paid_on DESC, p.id DESC LIMIT ?3",
        params![first_s, next_s, limit(rows.payments)],
    )?;
    let mut names =
        conn.prepare_cached("SELECT legal_name, preferred_name FROM client WHERE id = ?1")?;
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
        outstanding,
        outstanding_clients,
        outstanding_total: Cents(outstanding_total),
        uninvoiced,
        uninvoiced_clients,
        uninvoiced_total: Cents(uninvoiced_total),
        month: first.format("%B %Y").to_string(),
        payments_this_month: payments,
        payments_this_month_count,
        payments_this_month_total: Cents(payments_this_month_total),
    })
}
