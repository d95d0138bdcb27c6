//! Loading a client's clearance facts from the store, and the practice-wide list of
//! clearances that run out soon.

use super::{clearance, Clearance, ClientFacts, ConsentFact, IntakeFact, ItemFact, ScreeningFact};
use crate::intakes::{self, IntakeKind};
use crate::store::col::date;
use crate::{consent, Error, Result};
use chrono::{Months, NaiveDate};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

/// Everything the rule needs about one client.
pub fn facts(conn: &Connection, client_id: i64) -> Result<ClientFacts> {
    let dob: Option<Option<String>> = conn
        .query_row(
            "SELECT date_of_birth FROM client WHERE id = ?1",
            [client_id],
            |r| r.get(0),
        )
        .optional()?;
    let dob = dob.ok_or(Error::NotFound("client"))?;
    let intakes = intakes::for_client(conn, client_id)?
        .into_iter()
        .map(|i| IntakeFact {
            id: i.id,
            kind: i.details.kind,
            date: i.details.date,
            outcome: i.details.outcome,
            screenings: i
                .screenings
                .into_iter()
                .map(|s| ScreeningFact {
                    id: s.id,
                    screened_on: s.screened_on,
                    items: s
                        .answers
                        .into_iter()
                        .map(|a| ItemFact {
                            overridden: a.override_.is_some(),
                            label: a.label,
                            answer: a.answer,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let mut stmt = conn.prepare("SELECT date FROM prescription WHERE client_id = ?1")?;
    let prescriptions = stmt
        .query_map([client_id], |r| date(&r.get::<_, String>(0)?))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt =
        conn.prepare("SELECT form_version, signed_on FROM consent WHERE client_id = ?1")?;
    let consents = stmt
        .query_map([client_id], |r| {
            Ok(ConsentFact {
                version: r.get(0)?,
                signed_on: date(&r.get::<_, String>(1)?)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ClientFacts {
        date_of_birth: dob.map(|d| date(&d)).transpose()?,
        intakes,
        prescriptions,
        consents,
    })
}

/// A client whose clearance runs out soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ExpiringClearance {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    /// The last date the client is cleared.
    pub until: NaiveDate,
}

/// The latest intake date whose clearance ends on or before `horizon` (its last cleared
/// day, the day before [`super::intake_expires_on`], is on or before it).
pub(crate) fn last_intake_ending_by(horizon: NaiveDate) -> NaiveDate {
    let Some(end) = horizon.succ_opt() else {
        return horizon;
    };
    // Clamping only moves an expiry earlier, so this date's clearance ends by `horizon`;
    // a later one's may too (a month end clamped), so step on while it does.
    let mut d = end
        .checked_sub_months(Months::new(super::INTAKE_VALID_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    while let Some(next) = d.succ_opt() {
        if super::intake_expires_on(next) > end {
            break;
        }
        d = next;
    }
    d
}

/// Clients cleared today whose clearance ends within `days` days, soonest first. A
/// client's clearance ends when the first of their two deciding intakes does, so only
/// clients with a cleared intake dated in the first `days` days of the six months before
/// today can be on the list: only they are checked, found through the intakes' date
/// index. The cost follows a month of intakes, not the size or age of the practice.
pub fn expiring(conn: &Connection, today: NaiveDate, days: u32) -> Result<Vec<ExpiringClearance>> {
    let since = today
        .checked_sub_months(Months::new(super::INTAKE_VALID_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    let horizon = today + chrono::Days::new(u64::from(days));
    let ending_by = last_intake_ending_by(horizon).min(today);
    let mut stmt = conn.prepare(
        "SELECT c.id, c.legal_name, c.preferred_name FROM client c
         WHERE c.id IN (SELECT i.client_id FROM intake i WHERE i.date > ?1 AND i.date <= ?5
                          AND i.outcome = 'cleared')
           AND c.status NOT IN ('archived', 'completed', 'not_suitable')
           AND EXISTS (SELECT 1 FROM intake i WHERE i.client_id = c.id AND i.kind = ?2
                       AND i.outcome = 'cleared' AND i.date > ?1 AND i.date <= ?3)
           AND EXISTS (SELECT 1 FROM intake i WHERE i.client_id = c.id AND i.kind = ?4
                       AND i.outcome = 'cleared' AND i.date > ?1 AND i.date <= ?3)",
    )?;
    let candidates = stmt
        .query_map(
            rusqlite::params![
                since.to_string(),
                IntakeKind::MentalHealth.as_str(),
                today.to_string(),
                IntakeKind::Medical.as_str(),
                ending_by.to_string()
            ],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let current = consent::current().version;
    let mut out = Vec::new();
    for (client_id, legal_name, preferred_name) in candidates {
        if let Clearance::Cleared { until } = clearance(&facts(conn, client_id)?, today, current) {
            if until <= horizon {
                out.push(ExpiringClearance {
                    client_id,
                    legal_name,
                    preferred_name,
                    until,
                });
            }
        }
    }
    out.sort_by(|a, b| a.until.cmp(&b.until).then(a.client_id.cmp(&b.client_id)));
    Ok(out)
}

/// One reason with its plain-English message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ReasonView {
    pub reason: super::Reason,
    pub message: String,
}

/// A clearance answer ready to show: cleared until a date, or every reason why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClearanceView {
    /// The session date asked about.
    pub on: NaiveDate,
    pub cleared: bool,
    /// When cleared: the last date the client is cleared.
    pub until: Option<NaiveDate>,
    pub reasons: Vec<ReasonView>,
}

impl ClearanceView {
    pub fn new(on: NaiveDate, c: Clearance) -> Self {
        match c {
            Clearance::Cleared { until } => ClearanceView {
                on,
                cleared: true,
                until: Some(until),
                reasons: vec![],
            },
            Clearance::NotCleared { reasons } => ClearanceView {
                on,
                cleared: false,
                until: None,
                reasons: reasons
                    .into_iter()
                    .map(|reason| ReasonView {
                        message: reason.message(),
                        reason,
                    })
                    .collect(),
            },
        }
    }
}

/// Is the client cleared for a KAP session on `on`? The check the scheduling rules call.
pub fn check(conn: &Connection, client_id: i64, on: NaiveDate) -> Result<Clearance> {
    Ok(clearance(
        &facts(conn, client_id)?,
        on,
        consent::current().version,
    ))
}

/// Most clients one [`badges`] call answers for: a page of a list.
pub const MAX_BADGES: usize = 100;

/// One client's clearance on a date, in brief, for lists and pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClearanceBadge {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    /// Cleared on the date and for sessions up to this one; `None` when not cleared.
    pub cleared_until: Option<NaiveDate>,
    /// How many reasons stand in the way when not cleared.
    pub reasons: u32,
}

/// Clearance on `on` for the clients of a list's page, archived ones left out (they are
/// never cleared), at most [`MAX_BADGES`] of them.
pub fn badges_of_listed(
    conn: &Connection,
    listed: &[crate::clients::ClientSummary],
    on: NaiveDate,
) -> Result<Vec<ClearanceBadge>> {
    let ids: Vec<i64> = listed
        .iter()
        .filter(|c| c.status != crate::clients::ClientStatus::Archived)
        .map(|c| c.id)
        .take(MAX_BADGES)
        .collect();
    badges(conn, &ids, on)
}

/// Clearance on `on` for each of `client_ids` (a page of a list, a picker's matches), in
/// the order given; unknown ids are left out. At most [`MAX_BADGES`].
pub fn badges(conn: &Connection, client_ids: &[i64], on: NaiveDate) -> Result<Vec<ClearanceBadge>> {
    if client_ids.len() > MAX_BADGES {
        return Err(crate::Error::invalid(
            "client_ids",
            "Ask for at most 100 clients at a time.",
        ));
    }
    let mut out = Vec::with_capacity(client_ids.len());
    for &client_id in client_ids {
        if crate::clients::require(conn, client_id).is_err() {
            continue;
        }
        out.push(match check(conn, client_id, on)? {
            Clearance::Cleared { until } => ClearanceBadge {
                client_id,
                cleared_until: Some(until),
                reasons: 0,
            },
            Clearance::NotCleared { reasons } => ClearanceBadge {
                client_id,
                cleared_until: None,
                reasons: u32::try_from(reasons.len()).unwrap_or(u32::MAX),
            },
        });
    }
    Ok(out)
}

/// A client's intake and clearance section: intakes with screenings, prescriptions,
/// consents, and clearance as of `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClearanceRecord {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub intakes: Vec<intakes::Intake>,
    pub prescriptions: Vec<crate::prescriptions::Prescription>,
    pub consents: Vec<consent::Consent>,
    pub clearance: ClearanceView,
    /// The consent form version a client must sign, and its title.
    pub consent_version: u32,
    pub consent_title: String,
}

pub fn record(conn: &Connection, client_id: i64, today: NaiveDate) -> Result<ClearanceRecord> {
    let form = consent::current();
    Ok(ClearanceRecord {
        client_id,
        intakes: intakes::for_client(conn, client_id)?,
        prescriptions: crate::prescriptions::for_client(conn, client_id)?,
        consents: consent::for_client(conn, client_id)?,
        clearance: ClearanceView::new(today, check(conn, client_id, today)?),
        consent_version: form.version,
        consent_title: form.title.into(),
    })
}
