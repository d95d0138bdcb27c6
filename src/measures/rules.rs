//! The KAP course's rules: warnings a therapist sees (and, where a decision is needed,
//! records), never refusals. Pure functions over dates and values, table-tested in
//! `tests.rs` across the weeks the clocks change.
//!
//! - A third KAP session within any 7 calendar days (in the practice's zone).
//! - A KAP session with no integration session since the client's previous one.
//! - A pre-dose blood pressure at or above the hold threshold (140/90 unless set).
//! - A dose stronger than the prescription in force.

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;

/// The blood pressure at or above which a dose is held unless the note says why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldThreshold {
    pub systolic: u32,
    pub diastolic: u32,
}

pub const DEFAULT_HOLD: HoldThreshold = HoldThreshold {
    systolic: 140,
    diastolic: 90,
};

/// Whether a session on `day` would make three KAP sessions (itself and two of `others`)
/// within some 7 consecutive calendar days.
pub fn third_within_7_days(others: &[NaiveDate], day: NaiveDate) -> bool {
    (0..7u64).any(|back| {
        let Some(start) = day.checked_sub_days(Days::new(back)) else {
            return false;
        };
        let end = start + Days::new(6);
        others.iter().filter(|d| (start..=end).contains(d)).count() >= 2
    })
}

/// Whether a KAP session at `at` comes with no integration session since the client's
/// previous KAP session: an integration session that took place after the previous KAP
/// session started and before this one. The first KAP session needs none.
pub fn no_integration_since_last(
    kap_sessions: &[DateTime<Utc>],
    integrations: &[DateTime<Utc>],
    at: DateTime<Utc>,
) -> bool {
    let Some(previous) = kap_sessions.iter().filter(|&&k| k < at).max() else {
        return false;
    };
    !integrations.iter().any(|&i| i > *previous && i < at)
}

/// Whether a pre-dose reading is at or above the hold threshold (either number).
pub fn at_or_above_hold(systolic: u32, diastolic: u32, hold: HoldThreshold) -> bool {
    systolic >= hold.systolic || diastolic >= hold.diastolic
}

/// Whether a dose's strength is above the prescription's.
pub fn above_prescription(dose_strength_mg: u32, prescribed_strength_mg: u32) -> bool {
    dose_strength_mg > prescribed_strength_mg
}

/// The practice-zone calendar day of an instant.
pub fn local_day(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}
