//! Payments against invoices, and their reversals (a payment is never deleted).

use super::invoices::get_invoice;
use super::rules::invoice_number;
use crate::audit::{Action, EntityKind};
use crate::store::col::{date, stamp};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::FieldErrors;
use crate::{Cents, Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum PaymentMethod {
    Cash,
    Card,
    Check,
    Zelle,
    Venmo,
    Other,
}
str_enum!(PaymentMethod { Cash = "cash", Card = "card", Check = "check", Zelle = "zelle", Venmo = "venmo", Other = "other" });

impl PaymentMethod {
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "Cash",
            PaymentMethod::Card => "Card",
            PaymentMethod::Check => "Check",
            PaymentMethod::Zelle => "Zelle",
            PaymentMethod::Venmo => "Venmo",
            PaymentMethod::Other => "Other",
        }
    }
}

/// The correction of a payment recorded by mistake: the payment stays on record and no
/// longer counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PaymentReversal {
    pub reversed_on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Payment {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub invoice_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub invoice_number: String,
    pub paid_on: NaiveDate,
    pub method: PaymentMethod,
    pub amount: Cents,
    /// Set when the payment was reversed; a reversed payment counts for nothing.
    pub reversal: Option<PaymentReversal>,
}

impl Payment {
    /// What the payment counts for: its amount, or nothing once reversed.
    pub fn counted(&self) -> Cents {
        if self.reversal.is_some() {
            Cents::ZERO
        } else {
            self.amount
        }
    }
}

/// Records a payment against an open invoice; never more than its balance.
pub fn record_payment(
    w: &mut Writer<'_>,
    invoice_id: i64,
    paid_on: NaiveDate,
    method: PaymentMethod,
    amount: Cents,
    today: NaiveDate,
) -> Result<i64> {
    let inv = get_invoice(w.conn(), invoice_id)?;
    if inv.status.is_void() {
        return Err(Error::Conflict("This invoice is void.".into()));
    }
    let mut e = FieldErrors::new();
    if amount.0 <= 0 || !amount.is_enterable() {
        e.add("amount", "Enter an amount more than $0.00.");
    } else if amount > inv.balance {
        e.add(
            "amount",
            format!("The balance is {}; a payment cannot be more.", inv.balance),
        );
    }
    if paid_on > today {
        e.add("paid_on", "A payment cannot be dated in the future.");
    }
    e.record_date("paid_on", "The payment date", paid_on);
    if paid_on
        < inv
            .issued_on
            .checked_sub_months(chrono::Months::new(12))
            .unwrap_or(NaiveDate::MIN)
    {
        e.add(
            "paid_on",
            "That date is long before the invoice; please check it.",
        );
    }
    e.into_result()?;
    w.conn().execute(
        "INSERT INTO payment (invoice_id, client_id, paid_on, method, amount_cents, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            invoice_id,
            inv.client_id,
            paid_on.to_string(),
            method.as_str(),
            amount.0,
            stamp(w.now())
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Payment, id)?;
    Ok(id)
}

/// Reverses a payment recorded by mistake. Nothing is deleted: the payment stays, a
/// reversal with its date and reason references it, and from then on the payment counts
/// for nothing (the invoice's balance is restored). A payment is reversed at most once.
/// The reversal is in the audit log.
pub fn reverse_payment(
    w: &mut Writer<'_>,
    payment_id: i64,
    reversed_on: NaiveDate,
    reason: &str,
    today: NaiveDate,
) -> Result<()> {
    let payment = payments_where(w.conn(), "p.id = ?1", [payment_id])?
        .pop()
        .ok_or(Error::NotFound("payment"))?;
    if payment.reversal.is_some() {
        return Err(Error::Conflict("This payment is already reversed.".into()));
    }
    let reason = reason.trim();
    let mut e = FieldErrors::new();
    e.required_text("reason", "Reason", reason, 500);
    e.no_control_chars("reason", "Reason", reason, true);
    if reversed_on > today {
        e.add("reversed_on", "A reversal cannot be dated in the future.");
    }
    if reversed_on < payment.paid_on {
        e.add(
            "reversed_on",
            "A reversal cannot be dated before the payment it reverses.",
        );
    }
    e.record_date("reversed_on", "The reversal date", reversed_on);
    e.into_result()?;
    w.conn().execute(
        "INSERT INTO payment_reversal (payment_id, reversed_on, reason, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![payment_id, reversed_on.to_string(), reason, stamp(w.now())],
    )?;
    w.audit(Action::Reverse, EntityKind::Payment, payment_id)
}

/// The invoice a payment was recorded on.
pub fn invoice_of_payment(conn: &Connection, payment_id: i64) -> Result<i64> {
    conn.query_row(
        "SELECT invoice_id FROM payment WHERE id = ?1",
        [payment_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(Error::NotFound("payment"))
}

/// Payments matching `clause`, oldest first.
pub(super) fn payments_where(
    conn: &Connection,
    clause: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<Payment>> {
    payments_ordered(conn, clause, "p.paid_on, p.id", p)
}

/// Payments matching `clause`, in `order` (which may end in a `LIMIT`).
pub(super) fn payments_ordered(
    conn: &Connection,
    clause: &str,
    order: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<Payment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id, p.invoice_id, p.client_id, i.year, i.seq, p.paid_on, p.method, p.amount_cents,
                r.reversed_on, r.reason
         FROM payment p JOIN invoice i ON i.id = p.invoice_id
         LEFT JOIN payment_reversal r ON r.payment_id = p.id
         WHERE {clause} ORDER BY {order}"
    ))?;
    let rows = stmt
        .query_map(p, |r| {
            Ok(Payment {
                id: r.get(0)?,
                invoice_id: r.get(1)?,
                client_id: r.get(2)?,
                invoice_number: invoice_number(r.get(3)?, r.get(4)?),
                paid_on: date(&r.get::<_, String>(5)?)?,
                method: PaymentMethod::parse(&r.get::<_, String>(6)?)?,
                amount: Cents(r.get(7)?),
                reversal: match r.get::<_, Option<String>>(8)? {
                    None => None,
                    Some(on) => Some(PaymentReversal {
                        reversed_on: date(&on)?,
                        reason: r.get(9)?,
                    }),
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
