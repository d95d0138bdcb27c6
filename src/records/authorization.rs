//! Release-of-information authorizations (45 CFR 164.508): the client's written
//! permission for the practice to disclose specific information to a named recipient,
//! for a stated purpose, until a date or an event. The rules and their sources are in
//! `docs/legal.md` (section 5).
//!
//! An authorization is drafted (and printed for the client to read and sign), then
//! recorded as signed, by the client or by their personal representative with their
//! authority. A signed authorization is final: its terms are never edited; a new one is
//! drafted instead. The client may revoke it in writing at any time; the revocation is
//! recorded with the day the practice received it.
//!
//! How one stands on a day is [`status`], a plain function of its dates:
//!
//! - **Draft** until the day it is signed;
//! - **Revoked** from the day the revocation was received (`revoked_on`) inclusive;
//! - **Expired** from the day after its expiry date: an authorization that "expires on"
//!   D is valid through D and expired from D + 1;
//! - **Active** otherwise.
//!
//! An expiry *event* is text only: whether the event has happened is the therapist's
//! judgment, so the app expires an authorization by its date alone, and shows the event
//! beside it.
//!
//! A disclosure that needs an authorization ([`needs_authorization`]) without an active
//! one is warned about ([`warning`]), never refused: the therapist may know of a basis
//! the app does not model.

use crate::audit::{Action, EntityKind};
use crate::records::accounting::{Purpose, Recipient, RecipientKind};
use crate::store::col::{date, stamp, time};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::{clean_optional, FieldErrors};
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// The most characters who may disclose (a name and, perhaps, an address) may hold.
pub const MAX_PARTY: usize = 1000;
/// The most characters the recipient (with their address) may hold.
pub const MAX_RECIPIENT: usize = 2000;
/// The most characters the description of the information or the purpose may hold.
pub const MAX_DESCRIPTION: usize = 4000;
/// The most characters the expiry event may hold.
pub const MAX_EVENT: usize = 1000;
/// The most characters a representative's name and authority may hold.
pub const MAX_REPRESENTATIVE: usize = 500;

/// Who signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum SignedBy {
    Client,
    /// A personal representative (45 CFR 164.502(g)), whose authority the form states
    /// (164.508(c)(1)(vi)).
    Representative,
}
str_enum!(SignedBy {
    Client = "client",
    Representative = "representative",
});

/// How an authorization stands on a day (see the module's notes for the boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "AuthorizationStatus")
)]
pub enum Status {
    /// Not signed (yet, on that day): it allows nothing.
    Draft,
    Active,
    /// Past its expiry date.
    Expired,
    /// Revoked in writing.
    Revoked,
}

/// How an authorization with these dates stands on `on`: Draft before it is signed,
/// Revoked from `revoked_on` inclusive, Expired from the day after `expires_on`, Active
/// otherwise. A revocation wins over an expiry.
pub fn status(
    signed_on: Option<NaiveDate>,
    expires_on: Option<NaiveDate>,
    revoked_on: Option<NaiveDate>,
    on: NaiveDate,
) -> Status {
    match signed_on {
        Some(s) if s <= on => {}
        _ => return Status::Draft,
    }
    if revoked_on.is_some_and(|r| r <= on) {
        Status::Revoked
    } else if expires_on.is_some_and(|e| e < on) {
        Status::Expired
    } else {
        Status::Active
    }
}

/// Whether disclosing to `to` for `purpose` needs the client's written authorization
/// (45 CFR 164.508(a)(1)): when it goes to someone other than the client or their
/// representative, for a purpose the rule does not permit without one (`Authorized`,
/// or `Other`). Treatment, payment and operations (164.506), people involved in care
/// (164.510(b)), the 164.512 purposes (required by law, public health, oversight,
/// judicial, law enforcement, a serious threat) and a copy the client directs to a
/// third party under their right of access (164.524(c)(3)(ii): `ClientRequest`) need
/// none. Psychotherapy notes need one for almost any purpose (164.508(a)(2)); the
/// [`Recipient`] does not say whether they are included, so that case is the
/// therapist's to judge.
pub fn needs_authorization(to: RecipientKind, purpose: Purpose) -> bool {
    let third_party = matches!(
        to,
        RecipientKind::Prescriber | RecipientKind::Insurer | RecipientKind::Other
    );
    third_party && matches!(purpose, Purpose::Authorized | Purpose::Other)
}

/// What the therapist types to draft (or correct) an authorization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AuthorizationForm {
    /// Who may disclose: the practice, by name (the UI fills it in).
    pub discloser: String,
    /// To whom, with their address if known.
    pub recipient: String,
    /// What information, specifically ("Session notes from March to June 2026").
    pub information: String,
    /// Why ("At the request of the client" is enough when the client asks).
    pub purpose: String,
    /// It ends on this date, or at `expiry_event`, or at whichever comes first.
    pub expires_on: Option<NaiveDate>,
    pub expiry_event: Option<String>,
    /// The authorization is for psychotherapy (process) notes, and nothing else
    /// (164.508(b)(3)(ii)).
    pub process_notes: bool,
}

/// An authorization as recorded, with how it stands on the day asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Authorization {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub discloser: String,
    pub recipient: String,
    pub information: String,
    pub purpose: String,
    pub expires_on: Option<NaiveDate>,
    pub expiry_event: Option<String>,
    pub process_notes: bool,
    pub signed_on: Option<NaiveDate>,
    pub signed_by: Option<SignedBy>,
    /// The representative who signed, with their authority.
    pub representative: Option<String>,
    /// The day the written revocation was received.
    pub revoked_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub status: Status,
}

fn text(e: &mut FieldErrors, field: &str, label: &str, value: &str, max: usize, lines: bool) {
    e.required_text(field, label, value, max);
    e.no_control_chars(field, label, value, lines);
}

impl AuthorizationForm {
    /// Trims the texts and checks every field: each text present and within its length,
    /// an expiry date or event, and an expiry date not before `today`.
    fn validated(&self, today: NaiveDate) -> Result<AuthorizationForm> {
        let f = AuthorizationForm {
            discloser: self.discloser.trim().to_owned(),
            recipient: self.recipient.trim().to_owned(),
            information: self.information.trim().to_owned(),
            purpose: self.purpose.trim().to_owned(),
            expires_on: self.expires_on,
            expiry_event: clean_optional(self.expiry_event.clone()),
            process_notes: self.process_notes,
        };
        let mut e = FieldErrors::new();
        text(
            &mut e,
            "discloser",
            "Who may disclose",
            &f.discloser,
            MAX_PARTY,
            true,
        );
        text(
            &mut e,
            "recipient",
            "Who may receive it",
            &f.recipient,
            MAX_RECIPIENT,
            true,
        );
        text(
            &mut e,
            "information",
            "The information",
            &f.information,
            MAX_DESCRIPTION,
            true,
        );
        text(
            &mut e,
            "purpose",
            "The purpose",
            &f.purpose,
            MAX_DESCRIPTION,
            true,
        );
        if let Some(ev) = &f.expiry_event {
            text(
                &mut e,
                "expiry_event",
                "The expiry event",
                ev,
                MAX_EVENT,
                true,
            );
        }
        match f.expires_on {
            None if f.expiry_event.is_none() => e.add(
                "expires_on",
                "Give an expiry date or an event that ends the authorization.",
            ),
            None => {}
            Some(d) => {
                e.record_date("expires_on", "The expiry date", d);
                if d < today {
                    e.add("expires_on", "The expiry date cannot be in the past.");
                }
            }
        }
        e.into_result()?;
        Ok(f)
    }
}

/// Drafts an authorization for `client_id`; returns its id. It allows nothing until
/// [`sign`] records the signature.
///
/// # Errors
/// `Error::NotFound` for an unknown client; `Error::Invalid` naming each field that is
/// wrong (a text missing or too long, neither expiry date nor event, an expiry date
/// before `today`).
pub fn draft(
    w: &mut Writer<'_>,
    client_id: i64,
    form: &AuthorizationForm,
    today: NaiveDate,
) -> Result<i64> {
    // As for access requests, any client on record, archived or not: a former client's
    // request that their record go to a new clinician is the commonest authorization.
    crate::clients::require(w.conn(), client_id)?;
    let f = form.validated(today)?;
    let now = stamp(w.now());
    w.conn().execute(
        "INSERT INTO authorization (client_id, discloser, recipient, information, purpose,
             expires_on, expiry_event, process_notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            client_id,
            f.discloser,
            f.recipient,
            f.information,
            f.purpose,
            f.expires_on.map(|d| d.to_string()),
            f.expiry_event,
            f.process_notes,
            now
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Authorization, id)?;
    Ok(id)
}

/// The dates that decide what may still be done with an authorization.
struct Stored {
    signed_on: Option<NaiveDate>,
    expires_on: Option<NaiveDate>,
    revoked_on: Option<NaiveDate>,
}

fn stored(conn: &Connection, id: i64) -> Result<Stored> {
    let row = conn
        .query_row(
            "SELECT signed_on, expires_on, revoked_on FROM authorization WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            },
        )
        .optional()?
        .ok_or(Error::NotFound("authorization"))?;
    let d = |s: Option<String>| s.map(|s| date(&s)).transpose();
    Ok(Stored {
        signed_on: d(row.0)?,
        expires_on: d(row.1)?,
        revoked_on: d(row.2)?,
    })
}

fn signed_is_final() -> Error {
    Error::Conflict(
        "This authorization has been signed; it can no longer be changed. Draft a new one instead."
            .into(),
    )
}

/// Corrects a draft's terms.
///
/// # Errors
/// `Error::NotFound` for an unknown authorization; `Error::Conflict` once it is signed
/// (a signed authorization is final); `Error::Invalid` as [`draft`].
pub fn update(
    w: &mut Writer<'_>,
    id: i64,
    form: &AuthorizationForm,
    today: NaiveDate,
) -> Result<()> {
    if stored(w.conn(), id)?.signed_on.is_some() {
        return Err(signed_is_final());
    }
    let f = form.validated(today)?;
    w.conn().execute(
        "UPDATE authorization SET discloser = ?2, recipient = ?3, information = ?4,
             purpose = ?5, expires_on = ?6, expiry_event = ?7, process_notes = ?8,
             updated_at = ?9
         WHERE id = ?1",
        params![
            id,
            f.discloser,
            f.recipient,
            f.information,
            f.purpose,
            f.expires_on.map(|d| d.to_string()),
            f.expiry_event,
            f.process_notes,
            stamp(w.now())
        ],
    )?;
    w.audit(Action::Update, EntityKind::Authorization, id)
}

/// Records that the draft `id` was signed on `signed_on`, by the client or by their
/// personal representative (`representative`: their name and authority, required then
/// and only then).
///
/// # Errors
/// `Error::NotFound` for an unknown authorization; `Error::Conflict` when it is already
/// signed; `Error::Invalid` for a signature date in the future or after the expiry
/// date, or a representative missing (or given when the client signed).
pub fn sign(
    w: &mut Writer<'_>,
    id: i64,
    signed_on: NaiveDate,
    signed_by: SignedBy,
    representative: Option<&str>,
    today: NaiveDate,
) -> Result<()> {
    let s = stored(w.conn(), id)?;
    if s.signed_on.is_some() {
        return Err(Error::Conflict(
            "This authorization has already been signed.".into(),
        ));
    }
    let representative = clean_optional(representative.map(str::to_owned));
    let mut e = FieldErrors::new();
    e.record_date("signed_on", "The date signed", signed_on);
    if signed_on > today {
        e.add("signed_on", "The date signed cannot be in the future.");
    } else if s.expires_on.is_some_and(|x| signed_on > x) {
        e.add(
            "signed_on",
            "The date signed is after the authorization's expiry date.",
        );
    }
    match (signed_by, &representative) {
        (SignedBy::Representative, None) => e.add(
            "representative",
            "Name the representative and their authority (parent, guardian, health care agent).",
        ),
        (SignedBy::Client, Some(_)) => e.add(
            "representative",
            "Leave the representative empty when the client signed.",
        ),
        (SignedBy::Representative, Some(r)) => text(
            &mut e,
            "representative",
            "Representative",
            r,
            MAX_REPRESENTATIVE,
            false,
        ),
        (SignedBy::Client, None) => {}
    }
    e.into_result()?;
    w.conn().execute(
        "UPDATE authorization SET signed_on = ?2, signed_by = ?3, representative = ?4,
             updated_at = ?5
         WHERE id = ?1",
        params![
            id,
            signed_on.to_string(),
            signed_by.as_str(),
            representative,
            stamp(w.now())
        ],
    )?;
    w.audit(Action::Update, EntityKind::Authorization, id)
}

/// Records the client's written revocation, received on `revoked_on`: from that day the
/// authorization allows no further disclosure (what was disclosed in reliance on it
/// before stays disclosed, 164.508(b)(5)(i)).
///
/// # Errors
/// `Error::NotFound` for an unknown authorization; `Error::Conflict` when it is not
/// signed, or already revoked; `Error::Invalid` for a date in the future or before the
/// signature.
pub fn revoke(w: &mut Writer<'_>, id: i64, revoked_on: NaiveDate, today: NaiveDate) -> Result<()> {
    let s = stored(w.conn(), id)?;
    let Some(signed_on) = s.signed_on else {
        return Err(Error::Conflict(
            "Only a signed authorization can be revoked; a draft allows nothing yet.".into(),
        ));
    };
    if s.revoked_on.is_some() {
        return Err(Error::Conflict(
            "This authorization has already been revoked.".into(),
        ));
    }
    let mut e = FieldErrors::new();
    e.record_date("revoked_on", "The date revoked", revoked_on);
    if revoked_on > today {
        e.add("revoked_on", "The date revoked cannot be in the future.");
    } else if revoked_on < signed_on {
        e.add(
            "revoked_on",
            "The date revoked cannot be before the authorization was signed.",
        );
    }
    e.into_result()?;
    w.conn().execute(
        "UPDATE authorization SET revoked_on = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, revoked_on.to_string(), stamp(w.now())],
    )?;
    w.audit(Action::Update, EntityKind::Authorization, id)
}

const SELECT: &str = "SELECT id, client_id, discloser, recipient, information, purpose,
        expires_on, expiry_event, process_notes, signed_on, signed_by, representative,
        revoked_on, created_at, updated_at
    FROM authorization";

fn from_row(r: &Row<'_>, today: NaiveDate) -> rusqlite::Result<Authorization> {
    let opt_date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        r.get::<_, Option<String>>(i)?.map(|s| date(&s)).transpose()
    };
    let expires_on = opt_date(6)?;
    let signed_on = opt_date(9)?;
    let revoked_on = opt_date(12)?;
    Ok(Authorization {
        id: r.get(0)?,
        client_id: r.get(1)?,
        discloser: r.get(2)?,
        recipient: r.get(3)?,
        information: r.get(4)?,
        purpose: r.get(5)?,
        expires_on,
        expiry_event: r.get(7)?,
        process_notes: r.get(8)?,
        signed_on,
        signed_by: r
            .get::<_, Option<String>>(10)?
            .map(|s| SignedBy::parse(&s))
            .transpose()?,
        representative: r.get(11)?,
        revoked_on,
        created_at: time(&r.get::<_, String>(13)?)?,
        updated_at: time(&r.get::<_, String>(14)?)?,
        status: status(signed_on, expires_on, revoked_on, today),
    })
}

/// One authorization, with how it stands on `today`.
///
/// # Errors
/// `Error::NotFound` for an unknown authorization.
pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<Authorization> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], |r| {
        from_row(r, today)
    })
    .optional()?
    .ok_or(Error::NotFound("authorization"))
}

/// A client's authorizations, newest first (by when they were drafted).
///
/// # Errors
/// `Error::NotFound` for an unknown client.
pub fn for_client(
    conn: &Connection,
    client_id: i64,
    today: NaiveDate,
) -> Result<Vec<Authorization>> {
    crate::clients::require(conn, client_id)?;
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE client_id = ?1 ORDER BY created_at DESC, id DESC"
    ))?;
    let rows = stmt.query_map([client_id], |r| from_row(r, today))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A client's authorizations that are [`Status::Active`] on `on`: signed on or before
/// it, not revoked on or before it, not expired by it. Newest first.
///
/// # Errors
/// `Error::NotFound` for an unknown client.
pub fn active(conn: &Connection, client_id: i64, on: NaiveDate) -> Result<Vec<Authorization>> {
    let mut all = for_client(conn, client_id, on)?;
    all.retain(|a| a.status == Status::Active);
    Ok(all)
}

/// Why a disclosure's authorization is in doubt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "AuthorizationWarningReason")
)]
pub enum WarningReason {
    /// The disclosure needs an authorization and names none.
    Missing,
    /// The authorization named is not signed.
    Unsigned,
    /// The authorization named has expired.
    Expired,
    /// The authorization named has been revoked.
    Revoked,
}

/// A warning to show before a disclosure is made: it does not stop it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "AuthorizationWarning")
)]
pub struct Warning {
    pub reason: WarningReason,
    /// A sentence for the therapist; it names no one.
    pub message: String,
    /// The client's authorizations active on the day, to choose from.
    #[cfg_attr(feature = "ts-export", ts(type = "Array<number>"))]
    pub active: Vec<i64>,
}

impl WarningReason {
    pub fn message(self) -> &'static str {
        match self {
            WarningReason::Missing => {
                "This disclosure needs the client's signed authorization (45 CFR 164.508), and none is named."
            }
            WarningReason::Unsigned => {
                "The authorization named has not been signed; it allows nothing yet."
            }
            WarningReason::Expired => "The authorization named has expired.",
            WarningReason::Revoked => "The authorization named has been revoked.",
        }
    }
}

/// Whether a disclosure of `client_id`'s information to `to`, on `today`, should be
/// warned about: it needs an authorization ([`needs_authorization`]) and names none, or
/// it names one (for whatever purpose) that is not active on `today`. Naming one
/// exempts the disclosure from the accounting, so an inactive one is always worth a
/// word. `None` when there is nothing to say.
///
/// # Errors
/// `Error::NotFound` for an unknown client; `Error::Invalid` on
/// `recipient.authorization_id` when it names an authorization that is not this
/// client's (as [`Recipient::validated`] refuses it).
pub fn warning(
    conn: &Connection,
    client_id: i64,
    to: &Recipient,
    today: NaiveDate,
) -> Result<Option<Warning>> {
    crate::clients::require(conn, client_id)?;
    let reason = match to.authorization_id {
        None if needs_authorization(to.kind, to.purpose) => Some(WarningReason::Missing),
        None => None,
        Some(id) => {
            let not_theirs = || {
                Error::invalid(
                    "recipient.authorization_id",
                    "That is not one of this client's records.",
                )
            };
            let a = match get(conn, id, today) {
                Ok(a) if a.client_id == client_id => a,
                Ok(_) | Err(Error::NotFound(_)) => return Err(not_theirs()),
                Err(e) => return Err(e),
            };
            match a.status {
                Status::Active => None,
                Status::Draft => Some(WarningReason::Unsigned),
                Status::Expired => Some(WarningReason::Expired),
                Status::Revoked => Some(WarningReason::Revoked),
            }
        }
    };
    let Some(reason) = reason else {
        return Ok(None);
    };
    Ok(Some(Warning {
        reason,
        message: reason.message().to_owned(),
        active: active(conn, client_id, today)?
            .into_iter()
            .map(|a| a.id)
            .collect(),
    }))
}

#[cfg(test)]
mod tests;
