//! The clearance rule: may this client be booked into a KAP session (1-on-1 or group) on
//! this date, and if not, exactly why not.
//!
//! [`clearance`] is a pure function of a client's [`ClientFacts`] and a session date;
//! [`facts`] loads those facts from the store. The rule (DOMAIN.md, issue 4):
//! - For each kind of intake (mental-health, medical), the newest one dated on or before
//!   the session date decides. It must be marked cleared, and less than 6 calendar months
//!   old: an intake on D clears sessions on dates strictly before D + 6 months, a month
//!   end clamping (Aug 31 + 6 months = Feb 28, or Feb 29 in a leap year). A newer intake
//!   that is pending or not cleared blocks, even while an older cleared one is in date.
//! - The deciding medical intake's newest screening (dated on or before the session) has
//!   no "yes" or "unknown" answer without a prescriber's override.
//! - A consent of the current form version is signed on or before the session date.
//! - A prescription is dated on or before the session date.
//! - The client is 18 or older on the session date (a date of birth must be on record).
//!
//! When cleared, the answer carries the last date the intakes clear: the earlier of the
//! two intakes' last days.

mod load;

pub use load::{
    badges, badges_of_listed, check, expiring, facts, record, ClearanceBadge, ClearanceRecord,
    ClearanceView, ExpiringClearance, ReasonView, MAX_BADGES,
};

use crate::intakes::{Answer, IntakeKind, IntakeOutcome};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// How long an intake clears sessions.
pub const INTAKE_VALID_MONTHS: u32 = 6;

/// One intake as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeFact {
    /// Breaks ties between intakes of the same date: the later-recorded one is newer.
    pub id: i64,
    pub kind: IntakeKind,
    pub date: NaiveDate,
    pub outcome: IntakeOutcome,
    /// Screenings of a medical intake (any order).
    pub screenings: Vec<ScreeningFact>,
}

/// One screening as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningFact {
    pub id: i64,
    pub screened_on: NaiveDate,
    pub items: Vec<ItemFact>,
}

/// One answered checklist item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFact {
    pub label: String,
    pub answer: Answer,
    /// A prescriber recorded an override (rationale, prescriber, date).
    pub overridden: bool,
}

/// A dated entry on a client's record: an intake or a screening, as the rule sees it or
/// as the record holds it. Of two on one date, the later recorded (higher id) is newer.
pub trait Dated {
    fn dated(&self) -> NaiveDate;
    fn recorded(&self) -> i64;
}

/// An intake of some kind, dated.
pub trait DatedIntake: Dated {
    fn intake_kind(&self) -> IntakeKind;
}

/// The newest of `entries` dated on or before `on`: the one in force on that date.
pub fn newest_on<'a, T: Dated>(
    entries: impl IntoIterator<Item = &'a T>,
    on: NaiveDate,
) -> Option<&'a T> {
    entries
        .into_iter()
        .filter(|e| e.dated() <= on)
        .max_by_key(|e| (e.dated(), e.recorded()))
}

/// The intake of `kind` that decides a session on `session`: the newest dated on or
/// before it. A newer intake decides even when it is pending or not cleared.
pub fn deciding_intake<T: DatedIntake>(
    intakes: &[T],
    kind: IntakeKind,
    session: NaiveDate,
) -> Option<&T> {
    newest_on(intakes.iter().filter(|i| i.intake_kind() == kind), session)
}

/// The screening of the deciding medical intake that counts for a session on `session`:
/// the newest dated on or before it.
pub fn deciding_screening<S: Dated>(screenings: &[S], session: NaiveDate) -> Option<&S> {
    newest_on(screenings, session)
}

impl Dated for IntakeFact {
    fn dated(&self) -> NaiveDate {
        self.date
    }
    fn recorded(&self) -> i64 {
        self.id
    }
}

impl DatedIntake for IntakeFact {
    fn intake_kind(&self) -> IntakeKind {
        self.kind
    }
}

impl Dated for ScreeningFact {
    fn dated(&self) -> NaiveDate {
        self.screened_on
    }
    fn recorded(&self) -> i64 {
        self.id
    }
}

impl Dated for crate::intakes::Intake {
    fn dated(&self) -> NaiveDate {
        self.details.date
    }
    fn recorded(&self) -> i64 {
        self.id
    }
}

impl DatedIntake for crate::intakes::Intake {
    fn intake_kind(&self) -> IntakeKind {
        self.details.kind
    }
}

impl Dated for crate::prescriptions::Prescription {
    fn dated(&self) -> NaiveDate {
        self.details.date
    }
    fn recorded(&self) -> i64 {
        self.id
    }
}

impl Dated for crate::intakes::Screening {
    fn dated(&self) -> NaiveDate {
        self.screened_on
    }
    fn recorded(&self) -> i64 {
        self.id
    }
}

/// One signed consent as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentFact {
    pub version: u32,
    pub signed_on: NaiveDate,
}

/// Everything the rule needs to know about a client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientFacts {
    pub date_of_birth: Option<NaiveDate>,
    pub intakes: Vec<IntakeFact>,
    pub prescriptions: Vec<NaiveDate>,
    pub consents: Vec<ConsentFact>,
}

/// Why a client is not cleared on a date. Each says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Reason {
    DateOfBirthMissing,
    Underage {
        turns_18_on: NaiveDate,
    },
    IntakeMissing {
        intake: IntakeKind,
    },
    IntakeNotCleared {
        intake: IntakeKind,
        dated: NaiveDate,
        outcome: IntakeOutcome,
    },
    IntakeExpired {
        intake: IntakeKind,
        dated: NaiveDate,
        expired_on: NaiveDate,
    },
    ScreeningMissing {
        dated: NaiveDate,
    },
    ContraindicationUnresolved {
        item: String,
        answer: Answer,
    },
    ConsentMissing,
    ConsentOutdated {
        signed_version: u32,
        current_version: u32,
    },
    PrescriptionMissing,
}

/// US form, e.g. "Mar 3, 2027".
pub fn us_date(d: NaiveDate) -> String {
    d.format("%b %-d, %Y").to_string()
}

fn intake_name(k: IntakeKind) -> &'static str {
    match k {
        IntakeKind::MentalHealth => "mental-health intake",
        IntakeKind::Medical => "medical intake",
    }
}

impl Reason {
    /// The reason in plain English, for the therapist.
    pub fn message(&self) -> String {
        match self {
            Reason::DateOfBirthMissing => {
                "No date of birth is recorded, so the app cannot confirm the client is 18 or older.".into()
            }
            Reason::Underage { turns_18_on } => {
                format!("The client is under 18 on this date; KAP is for adults (turns 18 on {}).", us_date(*turns_18_on))
            }
            Reason::IntakeMissing { intake } => {
                format!("No {} is on record on or before this date.", intake_name(*intake))
            }
            Reason::IntakeNotCleared { intake, dated, outcome } => {
                let state = match outcome {
                    IntakeOutcome::Pending => "is still pending",
                    IntakeOutcome::NotCleared => "did not clear the client",
                    IntakeOutcome::Cleared => "is cleared",
                };
                let name = intake_name(*intake);
                format!("The latest {name} (on {}) {state}.", us_date(*dated))
            }
            Reason::IntakeExpired { intake, dated, expired_on } => format!(
                "The {} of {} expired on {}; a new one is needed.",
                intake_name(*intake),
                us_date(*dated),
                us_date(*expired_on)
            ),
            Reason::ScreeningMissing { dated } => format!(
                "The medical intake of {} has no contraindication screening.",
                us_date(*dated)
            ),
            Reason::ContraindicationUnresolved { item, answer } => {
                let a = match answer {
                    Answer::Yes => "yes",
                    Answer::Unknown => "unknown",
                    Answer::No => "no",
                };
                format!("Contraindication \"{item}\" is answered {a} and has no prescriber override.")
            }
            Reason::ConsentMissing => "No signed KAP consent is on file.".into(),
            Reason::ConsentOutdated { signed_version, current_version } => format!(
                "The signed consent is form version {signed_version}; the client must sign the current version {current_version}."
            ),
            Reason::PrescriptionMissing => "No ketamine prescription is on record.".into(),
        }
    }
}

/// The answer for one client and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Clearance {
    /// Cleared on the date asked, and for sessions up to and including `until`.
    Cleared {
        until: NaiveDate,
    },
    NotCleared {
        reasons: Vec<Reason>,
    },
}

impl Clearance {
    pub fn is_cleared(&self) -> bool {
        matches!(self, Clearance::Cleared { .. })
    }
}

/// The first date an intake of `date` no longer clears: `date` + 6 calendar months, a
/// month end clamping to the last day of the shorter month.
pub fn intake_expires_on(date: NaiveDate) -> NaiveDate {
    date.checked_add_months(Months::new(INTAKE_VALID_MONTHS))
        .unwrap_or(NaiveDate::MAX)
}

/// The 18th birthday; for a 29 February birth, 1 March in a common year (the day the
/// client has lived 18 full years, as [`crate::clients::age_on`] counts).
pub fn eighteenth_birthday(dob: NaiveDate) -> NaiveDate {
    let year = dob.year() + 18;
    NaiveDate::from_ymd_opt(year, dob.month(), dob.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(NaiveDate::MAX)
}

/// Is the client cleared for a KAP session on `session`? `current_consent` is the consent
/// form version that must have been signed.
pub fn clearance(facts: &ClientFacts, session: NaiveDate, current_consent: u32) -> Clearance {
    let mut reasons = Vec::new();
    let mut until = NaiveDate::MAX;

    match facts.date_of_birth {
        None => reasons.push(Reason::DateOfBirthMissing),
        Some(dob) => {
            let b18 = eighteenth_birthday(dob);
            if session < b18 {
                reasons.push(Reason::Underage { turns_18_on: b18 });
            }
        }
    }

    for kind in [IntakeKind::MentalHealth, IntakeKind::Medical] {
        let Some(intake) = deciding_intake(&facts.intakes, kind, session) else {
            reasons.push(Reason::IntakeMissing { intake: kind });
            continue;
        };
        let expires = intake_expires_on(intake.date);
        if session >= expires {
            reasons.push(Reason::IntakeExpired {
                intake: kind,
                dated: intake.date,
                expired_on: expires,
            });
            continue;
        }
        if intake.outcome != IntakeOutcome::Cleared {
            reasons.push(Reason::IntakeNotCleared {
                intake: kind,
                dated: intake.date,
                outcome: intake.outcome,
            });
        } else {
            until = until.min(expires.pred_opt().unwrap_or(expires));
        }
        if kind == IntakeKind::Medical {
            match deciding_screening(&intake.screenings, session) {
                None => reasons.push(Reason::ScreeningMissing { dated: intake.date }),
                Some(s) => reasons.extend(
                    s.items
                        .iter()
                        .filter(|i| i.answer != Answer::No && !i.overridden)
                        .map(|i| Reason::ContraindicationUnresolved {
                            item: i.label.clone(),
                            answer: i.answer,
                        }),
                ),
            }
        }
    }

    let signed: Vec<&ConsentFact> = facts
        .consents
        .iter()
        .filter(|c| c.signed_on <= session)
        .collect();
    if signed.is_empty() {
        reasons.push(Reason::ConsentMissing);
    } else if !signed.iter().any(|c| c.version == current_consent) {
        let newest = signed.iter().map(|c| c.version).max().unwrap_or(0);
        reasons.push(Reason::ConsentOutdated {
            signed_version: newest,
            current_version: current_consent,
        });
    }

    if !facts.prescriptions.iter().any(|d| *d <= session) {
        reasons.push(Reason::PrescriptionMissing);
    }

    if reasons.is_empty() {
        Clearance::Cleared { until }
    } else {
        Clearance::NotCleared { reasons }
    }
}

#[cfg(test)]
mod tests;
