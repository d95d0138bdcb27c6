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

/// The field a name mismatch is reported on: the UI asks the therapist to confirm it.
pub const NAME_MISMATCH: &str = "typed_name.mismatch";

/// Folds a name for comparison: accents, case, punctuation and spacing aside.
fn fold(name: &str) -> String {
    crate::clients::sort_key(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the name a client typed to sign is theirs: their legal name, their preferred
/// name, or their preferred name with the legal surname ("Tom Ferreira" for Tomás
/// Ferreira known as Tom), accents, case and punctuation aside.
pub fn name_matches(typed: &str, legal: &str, preferred: Option<&str>) -> bool {
    let t = fold(typed);
    if t.is_empty() {
        return false;
    }
    let legal = fold(legal);
    let mut names = vec![legal.clone()];
    if let Some(p) = preferred.map(fold).filter(|p| !p.is_empty()) {
        if let Some(surname) = legal.rsplit(' ').next() {
            names.push(format!("{p} {surname}"));
        }
        names.push(p);
    }
    names.contains(&t)
}

/// Records a signed consent. A typed name that is not the client's own (see
/// [`name_matches`]) is refused on [`NAME_MISMATCH`] unless `name_confirmed` says the
/// therapist checked it (a maiden name, a typo the client insists on).
pub fn record(
    w: &mut Writer<'_>,
    client_id: i64,
    mut c: ConsentInput,
    today: NaiveDate,
    name_confirmed: bool,
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
    if !e.has("typed_name") && !name_confirmed {
        let (legal, preferred): (String, Option<String>) = w.conn().query_row(
            "SELECT legal_name, preferred_name FROM client WHERE id = ?1",
            [client_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if !name_matches(&c.typed_name, &legal, preferred.as_deref()) {
            e.add(
                NAME_MISMATCH,
                "The typed name is not the client's legal or preferred name. Check it with the client, then confirm it.",
            );
        }
    }
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
    fn a_typed_name_matches_the_clients_own_accents_and_case_aside() {
        let cases = [
            ("Tomás Ferreira", "Tomás Ferreira", None, true),
            ("tomas ferreira", "Tomás Ferreira", None, true),
            ("  TOMÁS   FERREIRA ", "Tomás Ferreira", None, true),
            ("Tom Ferreira", "Tomás Ferreira", Some("Tom"), true),
            ("Tom", "Tomás Ferreira", Some("Tom"), true),
            ("Mary-Ann O'Neil", "Mary Ann ONeil", None, false),
            ("Mary-Ann O'Neil", "Mary-Ann O'Neil", None, true),
            ("Tomas Ferreira Jr", "Tomás Ferreira", None, false),
            ("Priya Natarajan", "Tomás Ferreira", Some("Tom"), false),
            ("Ferreira", "Tomás Ferreira", None, false),
            ("Tom Ferreira", "Tomás Ferreira", None, false),
            ("", "Tomás Ferreira", None, false),
            ("...", "Tomás Ferreira", None, false),
        ];
        for (typed, legal, preferred, want) in cases {
            assert_eq!(
                name_matches(typed, legal, preferred),
                want,
                "{typed:?} against {legal:?} / {preferred:?}"
            );
        }
    }

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
