//! Access requests: a client (or their personal representative) asks to inspect the
//! record, for a copy of it, or for a summary. The law sets when the practice must act:
//!
//! - **Inspection**: within ten days of the written request (NY Public Health Law
//!   §18(2)(a), stricter than HIPAA's 30). A deadline of a New York statute that ends on a
//!   Saturday or Sunday moves to the next Monday (General Construction Law §25-a); public
//!   holidays are not modelled, so the date shown is never later than the law's.
//! - **A copy or a summary**: within 30 days of receipt (45 CFR 164.524(b)(2)), extended
//!   once by at most 30 days when, before the 30 days end, the requester is told in
//!   writing why and by when. Federal deadlines are calendar days: a weekend does not move
//!   them.
//!
//! A fee for copies may be recorded (at most 75 cents a page, Public Health Law
//! §18(2)(e)); it never holds up fulfilment, and inability to pay is no ground to refuse.
//! A denial records its ground and reason; its letter states the right to have it
//! reviewed (`documents::access_denial`).

use crate::audit::{Action, EntityKind};
use crate::store::col::{date, stamp};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// Days New York gives to let the subject inspect the record (PHL §18(2)(a)).
pub const INSPECT_DAYS: u64 = 10;
/// Days HIPAA gives to act on a request (45 CFR 164.524(b)(2)(i)).
pub const ACT_DAYS: u64 = 30;
/// The one extension HIPAA allows, in days (45 CFR 164.524(b)(2)(ii)).
pub const EXTENSION_DAYS: u64 = 30;
/// The most a copy may cost per page in New York (PHL §18(2)(e)), in cents.
pub const MAX_CENTS_PER_PAGE: i64 = 75;

/// What the requester asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum AccessKind {
    /// To look at the record (in person).
    Inspect,
    /// A copy of the record.
    Copy,
    /// A summary or explanation instead of the record, agreed in advance.
    Summary,
}
str_enum!(AccessKind {
    Inspect = "inspect",
    Copy = "copy",
    Summary = "summary",
});

/// Who asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Requester {
    Client,
    /// A personal representative (45 CFR 164.502(g)): parent, guardian, health care agent.
    Representative,
}
str_enum!(Requester {
    Client = "client",
    Representative = "representative",
});

/// The form the copy takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum AccessFormat {
    Paper,
    /// The record as a PDF.
    Pdf,
    /// The record as data (JSON and CSV in a zip).
    DataExport,
}
str_enum!(AccessFormat {
    Paper = "paper",
    Pdf = "pdf",
    DataExport = "data_export",
});

/// How it reaches the requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Delivery {
    InPerson,
    Mail,
    Email,
    ElectronicMedia,
}
str_enum!(Delivery {
    InPerson = "in_person",
    Mail = "mail",
    Email = "email",
    ElectronicMedia = "electronic_media",
});

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum AccessStatus {
    Open,
    Fulfilled,
    /// Part given, part denied.
    PartlyDenied,
    Denied,
    Withdrawn,
}
str_enum!(AccessStatus {
    Open = "open",
    Fulfilled = "fulfilled",
    PartlyDenied = "partly_denied",
    Denied = "denied",
    Withdrawn = "withdrawn",
});

/// Why access was denied (45 CFR 164.524(a)(2) and (a)(3); PHL §18(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum DenialGround {
    /// Access is reasonably likely to endanger the life or physical safety of the client
    /// or another person; in New York, substantial and identifiable harm. Reviewable.
    Endangerment,
    /// The record refers to another person and access would likely cause them
    /// substantial harm. Reviewable.
    ReferencesAnotherPerson,
    /// A personal representative's access would likely cause substantial harm. Reviewable.
    RepresentativeHarm,
    /// Psychotherapy (private process) notes: outside the right of access. Not reviewable.
    PsychotherapyNotes,
    /// Compiled in reasonable anticipation of a legal proceeding. Not reviewable.
    LegalProceeding,
    /// Obtained from someone else under a promise of confidentiality, and access would
    /// reveal the source. Not reviewable.
    ConfidentialSource,
}
str_enum!(DenialGround {
    Endangerment = "endangerment",
    ReferencesAnotherPerson = "references_another_person",
    RepresentativeHarm = "representative_harm",
    PsychotherapyNotes = "psychotherapy_notes",
    LegalProceeding = "legal_proceeding",
    ConfidentialSource = "confidential_source",
});

impl DenialGround {
    /// Whether the requester may have the denial reviewed (45 CFR 164.524(a)(4); in New
    /// York by the Medical Record Access Review Committee, PHL §18(4)).
    pub fn reviewable(self) -> bool {
        matches!(
            self,
            DenialGround::Endangerment
                | DenialGround::ReferencesAnotherPerson
                | DenialGround::RepresentativeHarm
        )
    }
}

/// The next business day on or after `d`: a Saturday or Sunday moves to Monday.
pub fn on_or_after_weekend(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d + Days::new(2),
        Weekday::Sun => d + Days::new(1),
        _ => d,
    }
}

/// When the practice must have acted on a request of `kind` received on `received`,
/// with the one extension when `extended`.
pub fn due_on(kind: AccessKind, received: NaiveDate, extended: bool) -> NaiveDate {
    match kind {
        AccessKind::Inspect => on_or_after_weekend(received + Days::new(INSPECT_DAYS)),
        AccessKind::Copy | AccessKind::Summary => {
            let base = received + Days::new(ACT_DAYS);
            if extended {
                base + Days::new(EXTENSION_DAYS)
            } else {
                base
            }
        }
    }
}

/// Whether a request of `kind`, received on `received`, may be extended on `on`: only a
/// copy or a summary (New York allows no more time for inspection), once, and only
/// before the original 30 days have run out.
pub fn extension_refusal(
    kind: AccessKind,
    received: NaiveDate,
    already: bool,
    on: NaiveDate,
) -> Option<&'static str> {
    if kind == AccessKind::Inspect {
        Some("An inspection cannot be extended: New York allows ten days.")
    } else if already {
        Some("This request has already had its one extension.")
    } else if on < received {
        Some("The extension cannot be given before the request was received.")
    } else if on > due_on(kind, received, false) {
        Some("The extension had to be given within the first 30 days; they have passed.")
    } else {
        None
    }
}

/// How a request stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Urgency {
    /// Past its due date and still open.
    Overdue,
    /// Due today or within the next week.
    DueSoon,
    Later,
    Closed,
}

/// The days before the due date from which an open request shows as due.
pub const DUE_SOON_DAYS: u64 = 7;

pub fn urgency(status: AccessStatus, due: NaiveDate, today: NaiveDate) -> Urgency {
    if status != AccessStatus::Open {
        Urgency::Closed
    } else if due < today {
        Urgency::Overdue
    } else if due <= today + Days::new(DUE_SOON_DAYS) {
        Urgency::DueSoon
    } else {
        Urgency::Later
    }
}

/// A request as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AccessRequestInput {
    pub received_on: NaiveDate,
    pub requested_by: Requester,
    /// The representative's name and authority; required when one asked.
    pub representative: Option<String>,
    pub access: AccessKind,
    /// What was asked for, in the requester's words.
    pub records: String,
    pub format: AccessFormat,
    pub delivery: Delivery,
}

/// A request, with its due date and how it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AccessRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub received_on: NaiveDate,
    pub requested_by: Requester,
    pub representative: Option<String>,
    pub access: AccessKind,
    pub records: String,
    pub format: AccessFormat,
    pub delivery: Delivery,
    pub due_on: NaiveDate,
    pub extended_on: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    pub pages: Option<u32>,
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub fee_cents: Option<i64>,
    pub fee_waived: bool,
    pub status: AccessStatus,
    pub closed_on: Option<NaiveDate>,
    pub outcome_note: Option<String>,
    pub denial_ground: Option<DenialGround>,
    pub denial_reason: Option<String>,
    pub urgency: Urgency,
    /// How many files or print jobs answered this request.
    pub disclosures: u32,
}

/// The outcome when the practice gave what was asked (all of it, or the part not denied).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct FulfilInput {
    pub on: NaiveDate,
    /// How and what was given ("Mailed the record PDF", "Inspected in the office").
    pub note: String,
    pub pages: Option<u32>,
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub fee_cents: Option<i64>,
    pub fee_waived: bool,
}

/// A denial, of the whole request or of part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DenyInput {
    pub on: NaiveDate,
    /// Only part was denied; the rest was given.
    pub partly: bool,
    pub ground: DenialGround,
    /// The reason, in plain words, as the letter states it.
    pub reason: String,
}

const MAX_TEXT: usize = 2000;

fn text(e: &mut FieldErrors, field: &str, label: &str, value: &str, required: bool) {
    if required {
        e.required_text(field, label, value, MAX_TEXT);
    } else {
        e.max_chars(field, label, value, MAX_TEXT);
    }
    e.no_control_chars(field, label, value, true);
}

fn not_after_today(e: &mut FieldErrors, field: &str, label: &str, d: NaiveDate, today: NaiveDate) {
    e.record_date(field, label, d);
    if d > today {
        e.add(field, format!("{label} cannot be in the future."));
    }
}

impl AccessRequestInput {
    fn validated(mut self, today: NaiveDate) -> Result<Self> {
        let mut e = FieldErrors::new();
        not_after_today(
            &mut e,
            "received_on",
            "The date received",
            self.received_on,
            today,
        );
        self.representative = crate::validate::clean_optional(self.representative);
        match (self.requested_by, &self.representative) {
            (Requester::Representative, None) => e.add(
                "representative",
                "Name the representative and their authority (parent, guardian, health care agent).",
            ),
            (Requester::Client, Some(_)) => e.add(
                "representative",
                "Leave the representative empty when the client asked.",
            ),
            (_, Some(r)) => text(&mut e, "representative", "Representative", r, true),
            _ => {}
        }
        self.records = self.records.trim().to_owned();
        text(&mut e, "records", "What was asked for", &self.records, true);
        if self.access == AccessKind::Inspect && self.delivery != Delivery::InPerson {
            e.add("delivery", "An inspection is in person.");
        }
        e.into_result()?;
        Ok(self)
    }
}

/// Logs a request for `client_id`; returns its id.
///
/// # Errors
/// `Error::NotFound` for an unknown client; `Error::Invalid` naming each field that is
/// wrong (a date in the future, a representative without a name, ...).
pub fn log(
    w: &mut Writer<'_>,
    client_id: i64,
    input: AccessRequestInput,
    today: NaiveDate,
) -> Result<i64> {
    crate::clients::require(w.conn(), client_id)?;
    let r = input.validated(today)?;
    let now = stamp(w.now());
    w.conn().execute(
        "INSERT INTO access_request (client_id, received_on, requested_by, representative,
             access, records, format, delivery, due_on, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'open', ?10, ?10)",
        params![
            client_id,
            r.received_on.to_string(),
            r.requested_by.as_str(),
            r.representative,
            r.access.as_str(),
            r.records,
            r.format.as_str(),
            r.delivery.as_str(),
            due_on(r.access, r.received_on, false).to_string(),
            now,
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::AccessRequest, id)?;
    Ok(id)
}

/// What an open request needs to be changed: its kind, date received, extension.
struct Open {
    access: AccessKind,
    received_on: NaiveDate,
    extended: bool,
}

fn open(conn: &Connection, id: i64) -> Result<Open> {
    let row = conn
        .query_row(
            "SELECT access, received_on, extended_on IS NOT NULL, status
             FROM access_request WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?
        .ok_or(Error::NotFound("access request"))?;
    if row.3 != AccessStatus::Open.as_str() {
        return Err(Error::Conflict(
            "This request has been closed; it can no longer be changed.".into(),
        ));
    }
    Ok(Open {
        access: AccessKind::parse(&row.0)?,
        received_on: date(&row.1)?,
        extended: row.2,
    })
}

/// Gives the one extension on `on`, with the written reason sent to the requester; the
/// due date moves 30 days on.
///
/// # Errors
/// `Error::Invalid` on `extended_on` when [`extension_refusal`] refuses, or on `reason`
/// when it is empty; `Error::Conflict` for a closed request.
pub fn extend(
    w: &mut Writer<'_>,
    id: i64,
    on: NaiveDate,
    reason: &str,
    today: NaiveDate,
) -> Result<()> {
    let req = open(w.conn(), id)?;
    let reason = reason.trim();
    let mut e = FieldErrors::new();
    not_after_today(
        &mut e,
        "extended_on",
        "The date of the extension",
        on,
        today,
    );
    if let Some(why) = extension_refusal(req.access, req.received_on, req.extended, on) {
        e.add("extended_on", why);
    }
    text(
        &mut e,
        "extension_reason",
        "The reason for the delay",
        reason,
        true,
    );
    e.into_result()?;
    w.conn().execute(
        "UPDATE access_request SET extended_on = ?2, extension_reason = ?3, due_on = ?4,
             updated_at = ?5 WHERE id = ?1",
        params![
            id,
            on.to_string(),
            reason,
            due_on(req.access, req.received_on, true).to_string(),
            stamp(w.now())
        ],
    )?;
    w.audit(Action::Update, EntityKind::AccessRequest, id)
}

fn closing_date(e: &mut FieldErrors, on: NaiveDate, received: NaiveDate, today: NaiveDate) {
    not_after_today(e, "on", "The date", on, today);
    if on < received {
        e.add("on", "The date cannot be before the request was received.");
    }
}

/// Checks a copy fee: a page count where there is a fee, and at most 75 cents a page.
fn check_fee(e: &mut FieldErrors, pages: Option<u32>, fee_cents: Option<i64>) {
    match (fee_cents, pages) {
        (Some(f), _) if f < 0 => e.add("fee_cents", "A fee cannot be negative."),
        (Some(f), None) if f > 0 => e.add("pages", "Give the page count the fee is for."),
        (Some(f), Some(p)) if f > i64::from(p) * MAX_CENTS_PER_PAGE => e.add(
            "fee_cents",
            "New York allows at most 75 cents a page for copies (Public Health Law §18(2)(e)).",
        ),
        _ => {}
    }
    if pages.is_some_and(|p| p > 100_000) {
        e.add("pages", "The page count must be at most 100000.");
    }
}

/// Closes a request as fulfilled: what was asked was given. A fee is recorded only; an
/// unpaid or waived fee never holds up fulfilment.
///
/// # Errors
/// `Error::Invalid` for a date before receipt or in the future, a fee above 75 cents a
/// page or without a page count, an empty note; `Error::Conflict` for a closed request.
pub fn fulfil(w: &mut Writer<'_>, id: i64, input: &FulfilInput, today: NaiveDate) -> Result<()> {
    let req = open(w.conn(), id)?;
    let note = input.note.trim();
    let mut e = FieldErrors::new();
    closing_date(&mut e, input.on, req.received_on, today);
    text(&mut e, "note", "How it was given", note, true);
    check_fee(&mut e, input.pages, input.fee_cents);
    e.into_result()?;
    w.conn().execute(
        "UPDATE access_request SET status = 'fulfilled', closed_on = ?2, outcome_note = ?3,
             pages = ?4, fee_cents = ?5, fee_waived = ?6, updated_at = ?7 WHERE id = ?1",
        params![
            id,
            input.on.to_string(),
            note,
            input.pages,
            input.fee_cents,
            input.fee_waived,
            stamp(w.now())
        ],
    )?;
    w.audit(Action::Update, EntityKind::AccessRequest, id)
}

/// Closes a request as denied, in whole or in part, with its ground and reason.
///
/// # Errors
/// `Error::Invalid` for a date before receipt or in the future, or an empty reason;
/// `Error::Conflict` for a closed request.
pub fn deny(w: &mut Writer<'_>, id: i64, input: &DenyInput, today: NaiveDate) -> Result<()> {
    let req = open(w.conn(), id)?;
    let reason = input.reason.trim();
    let mut e = FieldErrors::new();
    closing_date(&mut e, input.on, req.received_on, today);
    text(&mut e, "reason", "The reason", reason, true);
    e.into_result()?;
    let status = if input.partly {
        AccessStatus::PartlyDenied
    } else {
        AccessStatus::Denied
    };
    w.conn().execute(
        "UPDATE access_request SET status = ?2, closed_on = ?3, denial_ground = ?4,
             denial_reason = ?5, updated_at = ?6 WHERE id = ?1",
        params![
            id,
            status.as_str(),
            input.on.to_string(),
            input.ground.as_str(),
            reason,
            stamp(w.now())
        ],
    )?;
    w.audit(Action::Update, EntityKind::AccessRequest, id)
}

/// Closes a request the requester withdrew.
pub fn withdraw(
    w: &mut Writer<'_>,
    id: i64,
    on: NaiveDate,
    note: &str,
    today: NaiveDate,
) -> Result<()> {
    let req = open(w.conn(), id)?;
    let note = note.trim();
    let mut e = FieldErrors::new();
    closing_date(&mut e, on, req.received_on, today);
    text(&mut e, "note", "Note", note, false);
    e.into_result()?;
    w.conn().execute(
        "UPDATE access_request SET status = 'withdrawn', closed_on = ?2, outcome_note = ?3,
             updated_at = ?4 WHERE id = ?1",
        params![
            id,
            on.to_string(),
            Some(note).filter(|n| !n.is_empty()),
            stamp(w.now())
        ],
    )?;
    w.audit(Action::Update, EntityKind::AccessRequest, id)
}

const SELECT: &str = "SELECT r.id, r.client_id, c.legal_name, c.preferred_name, r.received_on,
        r.requested_by, r.representative, r.access, r.records, r.format, r.delivery, r.due_on,
        r.extended_on, r.extension_reason, r.pages, r.fee_cents, r.fee_waived, r.status,
        r.closed_on, r.outcome_note, r.denial_ground, r.denial_reason,
        (SELECT count(*) FROM disclosure AS d WHERE d.access_request_id = r.id)
    FROM access_request AS r JOIN client AS c ON c.id = r.client_id";

fn from_row(r: &Row<'_>, today: NaiveDate) -> rusqlite::Result<AccessRequest> {
    let opt_date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        r.get::<_, Option<String>>(i)?.map(|s| date(&s)).transpose()
    };
    let status = AccessStatus::parse(&r.get::<_, String>(17)?)?;
    let due = date(&r.get::<_, String>(11)?)?;
    Ok(AccessRequest {
        id: r.get(0)?,
        client_id: r.get(1)?,
        legal_name: r.get(2)?,
        preferred_name: r.get(3)?,
        received_on: date(&r.get::<_, String>(4)?)?,
        requested_by: Requester::parse(&r.get::<_, String>(5)?)?,
        representative: r.get(6)?,
        access: AccessKind::parse(&r.get::<_, String>(7)?)?,
        records: r.get(8)?,
        format: AccessFormat::parse(&r.get::<_, String>(9)?)?,
        delivery: Delivery::parse(&r.get::<_, String>(10)?)?,
        due_on: due,
        extended_on: opt_date(12)?,
        extension_reason: r.get(13)?,
        pages: r.get(14)?,
        fee_cents: r.get(15)?,
        fee_waived: r.get(16)?,
        status,
        closed_on: opt_date(18)?,
        outcome_note: r.get(19)?,
        denial_ground: r
            .get::<_, Option<String>>(20)?
            .map(|s| DenialGround::parse(&s))
            .transpose()?,
        denial_reason: r.get(21)?,
        urgency: urgency(status, due, today),
        disclosures: r.get(22)?,
    })
}

/// One request.
pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<AccessRequest> {
    conn.query_row(&format!("{SELECT} WHERE r.id = ?1"), [id], |r| {
        from_row(r, today)
    })
    .optional()?
    .ok_or(Error::NotFound("access request"))
}

/// A client's requests, newest first.
pub fn for_client(
    conn: &Connection,
    client_id: i64,
    today: NaiveDate,
) -> Result<Vec<AccessRequest>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE r.client_id = ?1 ORDER BY r.received_on DESC, r.id DESC"
    ))?;
    let rows = stmt.query_map([client_id], |r| from_row(r, today))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The open requests due within a week or overdue, soonest first (Home), at most
/// `limit`, with how many there are in all.
pub fn due(conn: &Connection, today: NaiveDate, limit: u32) -> Result<(Vec<AccessRequest>, u32)> {
    let until = (today + Days::new(DUE_SOON_DAYS)).to_string();
    let total: u32 = conn.query_row(
        "SELECT count(*) FROM access_request WHERE status = 'open' AND due_on <= ?1",
        [&until],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE r.status = 'open' AND r.due_on <= ?1 ORDER BY r.due_on, r.id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![until, limit.min(100)], |r| from_row(r, today))?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total))
}

#[cfg(test)]
mod tests;
