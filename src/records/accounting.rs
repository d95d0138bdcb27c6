//! The accounting of disclosures (45 CFR 164.528): on request, a client is told of each
//! disclosure of their information in the six years before the request, with its date,
//! who received it (and their address, if known), what was disclosed and why, except the
//! disclosures the rule exempts. [`accountable`] is that rule.
//!
//! Two sources feed it: every file or print job that left the app (`disclosure`, where
//! the therapist said who it went to and why) and the disclosures made some other way,
//! entered by hand ([`add_entry`]). A save whose recipient was not given is not listed:
//! the practice's own copies are not disclosures.

use crate::audit::{Action, EntityKind};
use crate::store::col::{date, stamp, time};
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::FieldErrors;
use crate::Result;
use chrono::{Months, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// The years an accounting covers (45 CFR 164.528(a)(1)).
pub const YEARS: u32 = 6;

/// Who received the information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum RecipientKind {
    /// The client themself.
    Client,
    /// The client's personal representative.
    Representative,
    /// The collaborating prescriber (or another treating clinician).
    Prescriber,
    /// An insurer or other payer.
    Insurer,
    Other,
}
str_enum!(RecipientKind {
    Client = "client",
    Representative = "representative",
    Prescriber = "prescriber",
    Insurer = "insurer",
    Other = "other",
});

/// Why it was disclosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Purpose {
    /// Treatment (the prescriber, a referral).
    Treatment,
    /// Payment (a superbill for the insurer).
    Payment,
    /// The practice's health care operations (its accountant, its lawyer).
    Operations,
    /// At the client's own request, to them (an access request, their invoice).
    ClientRequest,
    /// Under a signed authorization (45 CFR 164.508).
    Authorized,
    /// To family or others involved in the client's care (45 CFR 164.510(b)).
    InvolvedInCare,
    /// Required by law (a mandated report, a court order).
    RequiredByLaw,
    /// Public health, or a report of abuse, neglect or domestic violence.
    PublicHealth,
    /// Health oversight (an audit by a licensing board).
    HealthOversight,
    /// A judicial or administrative proceeding (a subpoena).
    Judicial,
    LawEnforcement,
    /// To avert a serious threat to health or safety (a duty to warn).
    SeriousThreat,
    Other,
}
str_enum!(Purpose {
    Treatment = "treatment",
    Payment = "payment",
    Operations = "operations",
    ClientRequest = "client_request",
    Authorized = "authorized",
    InvolvedInCare = "involved_in_care",
    RequiredByLaw = "required_by_law",
    PublicHealth = "public_health",
    HealthOversight = "health_oversight",
    Judicial = "judicial",
    LawEnforcement = "law_enforcement",
    SeriousThreat = "serious_threat",
    Other = "other",
});

/// Whether a disclosure belongs in the client's accounting (45 CFR 164.528(a)(1)): not
/// when it went to the client or their representative, was for treatment, payment or
/// health care operations, was made under the client's authorization, or went to people
/// involved in their care.
pub fn accountable(to: RecipientKind, purpose: Purpose, authorized: bool) -> bool {
    let to_the_client = matches!(to, RecipientKind::Client | RecipientKind::Representative);
    let exempt_purpose = matches!(
        purpose,
        Purpose::Treatment
            | Purpose::Payment
            | Purpose::Operations
            | Purpose::ClientRequest
            | Purpose::Authorized
            | Purpose::InvolvedInCare
    );
    !(to_the_client || exempt_purpose || authorized)
}

/// The first day an accounting requested on `asked_on` covers: six years back.
pub fn covers_from(asked_on: NaiveDate) -> NaiveDate {
    asked_on
        .checked_sub_months(Months::new(12 * YEARS))
        .unwrap_or(NaiveDate::MIN)
}

/// Who a file or print job is going to, and why: asked, optionally, with every save or
/// print of a client's data, and recorded with its audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Recipient {
    pub kind: RecipientKind,
    /// Their name and, if known, address; may be empty for the client.
    pub name: String,
    pub purpose: Purpose,
    pub purpose_note: Option<String>,
    /// The authorization it is made under.
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub authorization_id: Option<i64>,
    /// The access request it answers.
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub access_request_id: Option<i64>,
}

const MAX_TEXT: usize = 2000;

impl Recipient {
    /// Checks the texts, and that an authorization or access request named is the
    /// client's own. Field errors are named `recipient.<field>`.
    pub fn validated(self, conn: &Connection, client_id: Option<i64>) -> Result<Self> {
        self.validated_as(conn, client_id, "recipient.")
    }

    fn validated_as(
        mut self,
        conn: &Connection,
        client_id: Option<i64>,
        prefix: &str,
    ) -> Result<Self> {
        let mut e = FieldErrors::new();
        let f = |name: &str| format!("{prefix}{name}");
        // An entry's own field for the recipient is `recipient`.
        let name_field = if prefix.is_empty() {
            "recipient".to_owned()
        } else {
            f("name")
        };
        self.name = self.name.trim().to_owned();
        if self.kind == RecipientKind::Client {
            e.max_chars(&name_field, "Recipient", &self.name, MAX_TEXT);
        } else {
            e.required_text(&name_field, "Recipient", &self.name, MAX_TEXT);
        }
        e.no_control_chars(&name_field, "Recipient", &self.name, true);
        self.purpose_note = crate::validate::clean_optional(self.purpose_note);
        if let Some(n) = &self.purpose_note {
            e.max_chars(&f("purpose_note"), "Purpose", n, MAX_TEXT);
            e.no_control_chars(&f("purpose_note"), "Purpose", n, true);
        }
        if self.purpose == Purpose::Other && self.purpose_note.is_none() {
            e.add(f("purpose_note"), "Say what the disclosure was for.");
        }
        for (field, table, id) in [
            ("authorization_id", "authorization", self.authorization_id),
            (
                "access_request_id",
                "access_request",
                self.access_request_id,
            ),
        ] {
            let Some(id) = id else { continue };
            let owner: Option<i64> = conn
                .query_row(
                    &format!("SELECT client_id FROM {table} WHERE id = ?1"),
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            if owner.is_none() || owner != client_id {
                e.add(f(field), "That is not one of this client's records.");
            }
        }
        e.into_result()?;
        Ok(self)
    }
}

/// A disclosure made outside the app, entered by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct EntryInput {
    pub disclosed_on: NaiveDate,
    pub recipient_kind: RecipientKind,
    /// Who received it, with their address if known.
    pub recipient: String,
    /// What was disclosed.
    pub information: String,
    pub purpose: Purpose,
    pub purpose_note: Option<String>,
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub authorization_id: Option<i64>,
}

/// Records a disclosure made outside the app; returns its id.
///
/// # Errors
/// `Error::NotFound` for an unknown client; `Error::Invalid` for an empty recipient or
/// description, a date in the future, or an authorization that is not the client's.
pub fn add_entry(
    w: &mut Writer<'_>,
    client_id: i64,
    input: EntryInput,
    today: NaiveDate,
) -> Result<i64> {
    crate::clients::require(w.conn(), client_id)?;
    let checked = Recipient {
        kind: input.recipient_kind,
        name: input.recipient,
        purpose: input.purpose,
        purpose_note: input.purpose_note,
        authorization_id: input.authorization_id,
        access_request_id: None,
    }
    .validated_as(w.conn(), Some(client_id), "")?;
    let information = input.information.trim();
    let mut e = FieldErrors::new();
    e.record_date("disclosed_on", "The date", input.disclosed_on);
    if input.disclosed_on > today {
        e.add("disclosed_on", "The date cannot be in the future.");
    }
    e.required_text("information", "What was disclosed", information, MAX_TEXT);
    e.no_control_chars("information", "What was disclosed", information, true);
    e.into_result()?;
    let now = stamp(w.now());
    w.conn().execute(
        "INSERT INTO disclosure_entry (client_id, disclosed_on, recipient_kind, recipient,
             information, purpose, purpose_note, authorization_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            client_id,
            input.disclosed_on.to_string(),
            checked.kind.as_str(),
            checked.name,
            information,
            checked.purpose.as_str(),
            checked.purpose_note,
            checked.authorization_id,
            now
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::DisclosureEntry, id)?;
    Ok(id)
}

/// One line of an accounting, or of the therapist's full list of a client's disclosures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DisclosureLine {
    pub on: NaiveDate,
    pub recipient_kind: RecipientKind,
    pub recipient: String,
    /// What was disclosed: the document's kind for a file from the app, the therapist's
    /// words for an entry.
    pub information: String,
    pub purpose: Purpose,
    pub purpose_note: Option<String>,
    pub authorized: bool,
    /// Whether the accounting lists it.
    pub accountable: bool,
    /// Entered by hand (or a file the app saved or printed).
    pub by_hand: bool,
    pub printed: bool,
}

/// Every disclosure of `client_id`'s information whose recipient is known, from
/// `from` to `to` (both included, in the practice's time zone), oldest first.
pub fn entries(
    conn: &Connection,
    client_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DisclosureLine>> {
    let tz = crate::practice::tz(conn)?;
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT l.at, d.document, d.recipient_kind, d.recipient, d.purpose, d.purpose_note,
                d.authorization_id IS NOT NULL, d.printed
         FROM disclosure AS d JOIN audit_log AS l ON l.seq = d.audit_seq
         WHERE d.client_id = ?1 AND d.recipient_kind IS NOT NULL ORDER BY d.audit_seq",
    )?;
    let mut rows = stmt.query([client_id])?;
    while let Some(r) = rows.next()? {
        let on = time(&r.get::<_, String>(0)?)?
            .with_timezone(&tz)
            .date_naive();
        if on < from || on > to {
            continue;
        }
        let document = r.get::<_, String>(1)?;
        let kind = RecipientKind::parse(&r.get::<_, String>(2)?)?;
        let purpose = Purpose::parse(&r.get::<_, String>(4)?)?;
        let authorized: bool = r.get(6)?;
        out.push(DisclosureLine {
            on,
            recipient_kind: kind,
            recipient: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            information: describe(&document).to_owned(),
            purpose,
            purpose_note: r.get(5)?,
            authorized,
            accountable: accountable(kind, purpose, authorized),
            by_hand: false,
            printed: r.get(7)?,
        });
    }
    let mut stmt = conn.prepare(
        "SELECT disclosed_on, recipient_kind, recipient, information, purpose, purpose_note,
                authorization_id IS NOT NULL
         FROM disclosure_entry
         WHERE client_id = ?1 AND disclosed_on BETWEEN ?2 AND ?3 ORDER BY disclosed_on, id",
    )?;
    let mut rows = stmt.query(params![client_id, from.to_string(), to.to_string()])?;
    while let Some(r) = rows.next()? {
        let kind = RecipientKind::parse(&r.get::<_, String>(1)?)?;
        let purpose = Purpose::parse(&r.get::<_, String>(4)?)?;
        let authorized: bool = r.get(6)?;
        out.push(DisclosureLine {
            on: date(&r.get::<_, String>(0)?)?,
            recipient_kind: kind,
            recipient: r.get(2)?,
            information: r.get(3)?,
            purpose,
            purpose_note: r.get(5)?,
            authorized,
            accountable: accountable(kind, purpose, authorized),
            by_hand: true,
            printed: false,
        });
    }
    out.sort_by_key(|e| e.on);
    Ok(out)
}

/// The accounting a client asking on `asked_on` receives: the accountable disclosures of
/// the six years before, oldest first.
pub fn accounting(
    conn: &Connection,
    client_id: i64,
    asked_on: NaiveDate,
) -> Result<Vec<DisclosureLine>> {
    crate::clients::require(conn, client_id)?;
    let mut all = entries(conn, client_id, covers_from(asked_on), asked_on)?;
    all.retain(|e| e.accountable);
    Ok(all)
}

/// A purpose in words, for an accounting's "why".
pub fn purpose_words(p: Purpose) -> &'static str {
    match p {
        Purpose::Treatment => "Treatment",
        Purpose::Payment => "Payment",
        Purpose::Operations => "Health care operations",
        Purpose::ClientRequest => "At the client's request",
        Purpose::Authorized => "Under the client's authorization",
        Purpose::InvolvedInCare => "To someone involved in the client's care",
        Purpose::RequiredByLaw => "Required by law",
        Purpose::PublicHealth => "Public health, or a report of abuse or neglect",
        Purpose::HealthOversight => "Health oversight",
        Purpose::Judicial => "A judicial or administrative proceeding",
        Purpose::LawEnforcement => "Law enforcement",
        Purpose::SeriousThreat => "To avert a serious threat to health or safety",
        Purpose::Other => "Other",
    }
}

/// A document's kind in words, for an accounting's "what was disclosed".
pub fn describe(document: &str) -> &'static str {
    match document {
        "invoice" => "An invoice",
        "consent" => "A consent form",
        "superbill" => "A superbill (diagnoses, services and fees)",
        "estimate" => "A good-faith estimate",
        "client_record" => "The clinical record (PDF)",
        "prescriber_summary" => "A summary of the KAP course (doses, vital signs, measures)",
        "client_export" => "The record as data (JSON and CSV)",
        "access_denial" => "A letter denying access to the record",
        "disclosure_accounting" => "An accounting of disclosures",
        "authorization" => "An authorization form",
        _ => "A document from the record",
    }
}

#[cfg(test)]
mod tests;
