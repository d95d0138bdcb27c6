//! Ledgers: one client's money at a glance, and the practice's billing page.

use super::charges::{charges_for_client, Charge};
use super::invoices::{get_invoice, Invoice};
use super::payments::{payments_where, Payment};
use super::rules::sum;
use crate::store::col::date;
use crate::{Cents, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection};
use serde::Serialize;

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
