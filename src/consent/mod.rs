//! KAP informed consent: the versioned form (its text lives in `assets/consent/`) and a
//! client's signed consent records. A client re-signs when the form's version changes.

use crate::audit::{Action, EntityKind};
use crate::store::col::{date, stamp, time};
use crate::store::Writer;
use crate::validate::FieldErrors;
use crate::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

/// One version of the consent form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentForm {
    pub version: u32,
    pub title: &'static str,
    /// The form's text: `# ` title, `## ` section headings, paragraphs separated by blank
    /// lines.
    pub text: &'static str,
}

/// Every version of the form, oldest first. Add a version; never edit one that clients
/// have signed.
pub const FORMS: &[ConsentForm] = &[ConsentForm {
    version: 1,
    title: "Informed Consent for Ketamine-Assisted Psychotherapy (KAP)",
    text: include_str!("../../assets/consent/kap-informed-consent-v1.txt"),
}];

/// The version clients must have signed to be cleared.
pub fn current() -> ConsentForm {
    FORMS[FORMS.len() - 1]
}

pub fn form(version: u32) -> Option<ConsentForm> {
    FORMS.iter().copied().find(|f| f.version == version)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ConsentInput {
    pub form_version: u32,
    pub signed_on: NaiveDate,
    /// The client's name as they typed it to sign.
    pub typed_name: String,
    /// The therapist who witnessed the signature.
    pub witness: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Consent {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    #[serde(flatten)]
    pub details: ConsentInput,
    pub created_at: DateTime<Utc>,
}

pub fn record(
    w: &mut Writer<'_>,
    client_id: i64,
    mut c: ConsentInput,
    today: NaiveDate,
) -> Result<i64> {
    crate::clients::require(w.conn(), client_id)?;
    let mut e = FieldErrors::new();
    c.typed_name = c.typed_name.trim().to_owned();
    c.witness = c.witness.trim().to_owned();
    if form(c.form_version).is_none() {
        e.add("form_version", "There is no consent form of that version.");
    }
    if c.signed_on > today {
        e.add("signed_on", "The signing date cannot be in the future.");
    }
    e.record_date("signed_on", "The signing date", c.signed_on);
    e.required_text("typed_name", "The client's typed name", &c.typed_name, 200);
    e.no_control_chars(
        "typed_name",
        "The client's typed name",
        &c.typed_name,
        false,
    );
    e.required_text("witness", "Witness", &c.witness, 200);
    e.no_control_chars("witness", "Witness", &c.witness, false);
    e.into_result()?;
    w.conn().execute(
        "INSERT INTO consent (client_id, form_version, signed_on, typed_name, witness, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            client_id,
            c.form_version,
            c.signed_on.to_string(),
            c.typed_name,
            c.witness,
            stamp(w.now())
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Consent, id)?;
    Ok(id)
}

/// A client's signed consents, newest first.
pub fn for_client(conn: &Connection, client_id: i64) -> Result<Vec<Consent>> {
    let mut stmt = conn.prepare(
        "SELECT id, client_id, form_version, signed_on, typed_name, witness, created_at
         FROM consent WHERE client_id = ?1 ORDER BY signed_on DESC, id DESC",
    )?;
    let rows = stmt
        .query_map([client_id], |r| {
            Ok(Consent {
                id: r.get(0)?,
                client_id: r.get(1)?,
                details: ConsentInput {
                    form_version: r.get(2)?,
                    signed_on: date(&r.get::<_, String>(3)?)?,
                    typed_name: r.get(4)?,
                    witness: r.get(5)?,
                },
                created_at: time(&r.get::<_, String>(6)?)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_covers_what_the_practice_promised() {
        let text = current().text.to_lowercase();
        for topic in [
            "off-label",
            "2.5 to 3 hours",
            "60 to 75 minutes",
            "nausea",
            "blood pressure",
            "pregnancy",
            "psychosis",
            "hyperthyroidism",
            "mania",
            "traumatic brain injury",
            "must not drive",
            "ride",
            "do not eat",
            "alcohol",
            "withdraw",
            "before you take it",
            "confidential",
            "sliding-scale",
            "pay-what-you-can",
            "$600",
        ] {
            assert!(
                text.contains(topic),
                "the consent form must cover {topic:?}"
            );
        }
        assert!(
            current().text.starts_with("# "),
            "the first line is the title"
        );
    }
}
