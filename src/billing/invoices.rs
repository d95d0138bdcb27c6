//! Invoices: issued for priced charges and numbered without gaps, read back with their
//! lines and payments, voided (never deleted).

use super::charges::{charges_on_invoice, get_charge, Charge};
use super::payments::{payments_where, Payment};
use super::rules::{invoice_number, invoice_status, sum, InvoiceStatus};
use crate::audit::{Action, EntityKind};
use crate::store::col::{date, stamp};
use crate::store::Writer;
use crate::validate::FieldErrors;
use crate::{Cents, Error, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Invoice {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    /// "2026-0042": the year it was issued and its place in that year's sequence.
    pub number: String,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub issued_on: NaiveDate,
    pub status: InvoiceStatus,
    pub void_reason: Option<String>,
    pub lines: Vec<Charge>,
    pub payments: Vec<Payment>,
    pub total_usual: Cents,
    pub total_adjustment: Cents,
    pub total: Cents,
    pub paid: Cents,
    pub balance: Cents,
}

/// Issues an invoice for a client's priced, uninvoiced charges. The number is the next in
/// the year's sequence, taken inside the same transaction as the invoice itself, so a
/// number is used exactly when the invoice exists: no gaps, even across a crash.
pub fn create_invoice(
    w: &mut Writer<'_>,
    client_id: i64,
    charge_ids: &[i64],
    issued_on: NaiveDate,
    today: NaiveDate,
) -> Result<i64> {
    let mut e = FieldErrors::new();
    if charge_ids.is_empty() {
        e.add("charge_ids", "Choose at least one charge to invoice.");
    }
    if issued_on > today {
        e.add("issued_on", "An invoice cannot be dated in the future.");
    }
    e.record_date("issued_on", "The invoice date", issued_on);
    for id in charge_ids {
        match get_charge(w.conn(), *id) {
            Err(Error::NotFound(_)) => e.add("charge_ids", "A chosen charge does not exist."),
            Err(err) => return Err(err),
            Ok(c) if c.client_id != client_id => {
                e.add("charge_ids", "A chosen charge belongs to another client.")
            }
            Ok(c) if c.invoice_id.is_some() => {
                e.add("charge_ids", "A chosen charge is already on an invoice.")
            }
            Ok(c) if c.amount.is_none() || c.usual.is_none() => e.add(
                "charge_ids",
                "Set the amount of every chosen charge before invoicing.",
            ),
            Ok(_) => {}
        }
    }
    e.into_result()?;
    let year = issued_on.year();
    let seq: i64 = w.conn().query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM invoice WHERE year = ?1",
        [year],
        |r| r.get(0),
    )?;
    w.conn().execute(
        "INSERT INTO invoice (year, seq, client_id, issued_on, status, created_at) VALUES (?1, ?2, ?3, ?4, 'open', ?5)",
        params![year, seq, client_id, issued_on.to_string(), stamp(w.now())],
    )?;
    let id = w.conn().last_insert_rowid();
    for c in charge_ids {
        w.conn().execute(
            "UPDATE charge SET invoice_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![c, id, stamp(w.now())],
        )?;
        w.conn().execute(
            "INSERT INTO invoice_line (invoice_id, charge_id, usual_cents, amount_cents)
             SELECT ?1, id, usual_cents, amount_cents FROM charge WHERE id = ?2",
            params![id, c],
        )?;
    }
    w.audit(Action::Create, EntityKind::Invoice, id)?;
    Ok(id)
}

/// Voids an invoice with no payments that count (reversed ones do not): its number stays
/// used, its charges can be invoiced again. The void is in the audit log.
pub fn void_invoice(w: &mut Writer<'_>, invoice_id: i64, reason: &str) -> Result<()> {
    let inv = get_invoice(w.conn(), invoice_id)?;
    if inv.status.is_void() {
        return Err(Error::Conflict("This invoice is already void.".into()));
    }
    if inv.payments.iter().any(|p| p.reversal.is_none()) {
        return Err(Error::Conflict(
            "This invoice has payments; reverse them first if they were recorded by mistake."
                .into(),
        ));
    }
    let reason = reason.trim();
    let mut e = FieldErrors::new();
    e.required_text("reason", "Reason", reason, 500);
    e.no_control_chars("reason", "Reason", reason, true);
    e.into_result()?;
    w.conn().execute(
        "UPDATE invoice SET status = 'void', void_reason = ?2 WHERE id = ?1",
        params![invoice_id, reason],
    )?;
    // The lines stay listed on the void invoice for the record; the charges are released.
    w.conn().execute(
        "UPDATE charge SET invoice_id = NULL, updated_at = ?2 WHERE invoice_id = ?1",
        params![invoice_id, stamp(w.now())],
    )?;
    w.audit(Action::Void, EntityKind::Invoice, invoice_id)
}

pub fn get_invoice(conn: &Connection, id: i64) -> Result<Invoice> {
    let head: Option<(i32, i64, i64, String, String, Option<String>)> = conn
        .query_row(
            "SELECT year, seq, client_id, issued_on, status, void_reason FROM invoice WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let (year, seq, client_id, issued_on, status, void_reason) =
        head.ok_or(Error::NotFound("invoice"))?;
    let lines = charges_on_invoice(conn, id)?;
    let payments = payments_where(conn, "p.invoice_id = ?1", [id])?;
    let total_usual = sum(lines.iter().map(|c| c.usual.unwrap_or(Cents::ZERO)))?;
    let total = sum(lines.iter().map(|c| c.amount.unwrap_or(Cents::ZERO)))?;
    let paid = sum(payments.iter().map(Payment::counted))?;
    let status = invoice_status(status == "void", total, paid);
    Ok(Invoice {
        id,
        number: invoice_number(year, seq),
        client_id,
        issued_on: date(&issued_on)?,
        status,
        void_reason,
        total_adjustment: Cents(total.0 - total_usual.0),
        balance: if status == InvoiceStatus::Void {
            Cents::ZERO
        } else {
            Cents(total.0 - paid.0)
        },
        lines,
        payments,
        total_usual,
        total,
        paid,
    })
}
