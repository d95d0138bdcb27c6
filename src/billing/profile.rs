//! What superbills need besides the charges: a client's billing profile (ICD-10 diagnosis
//! codes, member ID) and the CPT code of each service.

use super::rules::{on_superbills, superbill_services};
use crate::audit::{Action, EntityKind};
use crate::practice::Service;
use crate::store::col::stamp;
use crate::store::Writer;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A client's details for superbills: ICD-10 diagnosis codes and an insurance member ID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct BillingProfile {
    /// ICD-10-CM codes, e.g. "F33.1", in the order the superbill letters them (A, B, …).
    pub diagnosis_codes: Vec<String>,
    pub member_id: Option<String>,
}

/// A plausible ICD-10-CM code: a letter, two characters, and an optional dotted suffix.
pub fn is_icd10(code: &str) -> bool {
    let b = code.as_bytes();
    let head_ok = b.len() >= 3
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && (b[2].is_ascii_digit() || b[2].is_ascii_uppercase());
    // `get`, not slicing: byte 3 may fall inside a character ("AAé"), which no code has.
    let tail = code.get(3..).unwrap_or_default();
    head_ok
        && (tail.is_empty()
            || (tail.starts_with('.')
                && (2..=5).contains(&tail.len())
                && tail[1..]
                    .bytes()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())))
}

/// A CPT code: five characters, four digits and a digit or letter.
pub fn is_cpt(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4].is_ascii_alphanumeric()
}

pub fn billing_profile(conn: &Connection, client_id: i64) -> Result<BillingProfile> {
    let row: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT diagnosis_codes, member_id FROM billing_profile WHERE client_id = ?1",
            [client_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        None => BillingProfile::default(),
        Some((codes, member_id)) => BillingProfile {
            diagnosis_codes: serde_json::from_str(&codes).map_err(|_| Error::Corrupt)?,
            member_id,
        },
    })
}

pub fn set_billing_profile(
    w: &mut Writer<'_>,
    client_id: i64,
    mut p: BillingProfile,
) -> Result<()> {
    crate::clients::get(w.conn(), client_id, NaiveDate::MIN)?;
    let mut e = FieldErrors::new();
    p.diagnosis_codes = p
        .diagnosis_codes
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    let mut seen = std::collections::HashSet::new();
    p.diagnosis_codes.retain(|c| seen.insert(c.clone()));
    if p.diagnosis_codes.len() > 12 {
        e.add("diagnosis_codes", "At most 12 diagnosis codes.");
    }
    if p.diagnosis_codes.iter().any(|c| !is_icd10(c)) {
        e.add(
            "diagnosis_codes",
            "Enter ICD-10 codes such as F33.1 or F43.10.",
        );
    }
    p.member_id = crate::validate::clean_optional(p.member_id);
    if let Some(m) = &p.member_id {
        e.max_chars("member_id", "Member ID", m, 50);
        e.no_control_chars("member_id", "Member ID", m, false);
    }
    e.into_result()?;
    let codes = serde_json::to_string(&p.diagnosis_codes).map_err(|_| Error::Internal("codes"))?;
    w.conn().execute(
        "INSERT INTO billing_profile (client_id, diagnosis_codes, member_id, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (client_id) DO UPDATE SET diagnosis_codes = excluded.diagnosis_codes,
            member_id = excluded.member_id, updated_at = excluded.updated_at",
        params![client_id, codes, p.member_id, stamp(w.now())],
    )?;
    w.audit(Action::Update, EntityKind::BillingProfile, client_id)
}

/// The CPT code billed for each service (`None`: never on a superbill).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ServiceCode {
    pub service: Service,
    pub cpt: Option<String>,
}

pub fn service_codes(conn: &Connection) -> Result<Vec<ServiceCode>> {
    let mut stmt = conn.prepare("SELECT service, cpt FROM service_code")?;
    let stored = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Service::ALL
        .into_iter()
        .map(|service| ServiceCode {
            service,
            cpt: stored
                .iter()
                .find(|(s, _)| Service::parse(s) == Some(service))
                .and_then(|(_, c)| c.clone()),
        })
        .collect())
}

/// Settings → Service codes: every service's CPT code, and which services a superbill can
/// include ([`superbill_services`]): only those take a code, so the UI asks rather than
/// keeping its own list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ServiceCodes {
    pub codes: Vec<ServiceCode>,
    pub superbill_services: Vec<Service>,
}

/// The practice's CPT codes with the services a superbill can include.
pub fn service_code_settings(conn: &Connection) -> Result<ServiceCodes> {
    Ok(ServiceCodes {
        codes: service_codes(conn)?,
        superbill_services: superbill_services(),
    })
}

pub fn set_service_codes(w: &mut Writer<'_>, codes: Vec<ServiceCode>) -> Result<()> {
    let mut e = FieldErrors::new();
    for c in &codes {
        if !on_superbills(c.service) && c.cpt.is_some() {
            e.add(
                format!("cpt.{}", c.service.as_str()),
                "The prescriber's services are never on the therapist's superbill.",
            );
        }
        if let Some(cpt) = &c.cpt {
            if !is_cpt(cpt.trim()) {
                e.add(
                    format!("cpt.{}", c.service.as_str()),
                    "A CPT code has five characters, e.g. 90837.",
                );
            }
        }
    }
    e.into_result()?;
    for c in codes {
        w.conn().execute(
            "INSERT INTO service_code (service, cpt) VALUES (?1, ?2)
             ON CONFLICT (service) DO UPDATE SET cpt = excluded.cpt",
            params![c.service.as_str(), c.cpt.map(|s| s.trim().to_owned())],
        )?;
    }
    w.audit(Action::Update, EntityKind::FeeSchedule, 2)
}
