//! How long a client's record must be kept, under New York's rule for licensed
//! professionals (8 NYCRR 29.2(a)(3)): at least six years after the last contact, and a
//! minor's record also until one year after they reach 21, i.e. until age 22, whichever
//! is later. The app only says from when a record may lawfully be destroyed; it never
//! destroys anything itself, and archiving a client keeps the whole record.
//!
//! The last contact is the latest of: a non-cancelled appointment the client did not miss
//! that has begun (its date in the practice's time zone), an intake that has happened,
//! and the day the record was created.

use crate::appointments::AppointmentStatus;
use crate::store::col;
use crate::Result;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;

/// Years a record is kept after the last contact.
pub const YEARS_AFTER_LAST_CONTACT: u32 = 6;
/// A minor's record is also kept until this age.
pub const MINOR_UNTIL_AGE: u32 = 22;

/// Which part of the rule sets the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum RetentionRule {
    /// Six years after the last contact.
    SixYearsAfterLastContact,
    /// The client's 22nd birthday, later than six years after the last contact.
    #[serde(rename = "until_age_22")]
    UntilAge22,
}

/// From when a client's record may lawfully be destroyed, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Retention {
    pub last_contact: NaiveDate,
    /// The first day the record may be destroyed: keep it at least until then.
    pub destroy_not_before: NaiveDate,
    pub rule: RetentionRule,
}

/// The same day `years` later. February 29 in a year without one becomes March 1: a
/// period that ends a day later keeps a record a day longer, never a day too short.
pub fn years_after(date: NaiveDate, years: u32) -> NaiveDate {
    let year = date
        .year()
        .saturating_add(i32::try_from(years).unwrap_or(i32::MAX));
    date.with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .or_else(|| date.checked_add_months(Months::new(years.saturating_mul(12))))
        .unwrap_or(NaiveDate::MAX)
}

/// The New York rule: six years after `last_contact`, or the client's 22nd birthday if
/// that is later. (For a client who was an adult at the last contact the 22nd birthday
/// is always earlier, so the rule needs no separate test for minority.)
pub fn destroy_not_before(last_contact: NaiveDate, date_of_birth: Option<NaiveDate>) -> Retention {
    let six_years = years_after(last_contact, YEARS_AFTER_LAST_CONTACT);
    match date_of_birth.map(|dob| years_after(dob, MINOR_UNTIL_AGE)) {
        Some(age_22) if age_22 > six_years => Retention {
            last_contact,
            destroy_not_before: age_22,
            rule: RetentionRule::UntilAge22,
        },
        _ => Retention {
            last_contact,
            destroy_not_before: six_years,
            rule: RetentionRule::SixYearsAfterLastContact,
        },
    }
}

/// The client's last contact as of `now`: see the module's documentation.
pub fn last_contact(conn: &Connection, client_id: i64, now: DateTime<Utc>) -> Result<NaiveDate> {
    crate::clients::require(conn, client_id)?;
    let tz = crate::practice::tz(conn)?;
    let today = now.with_timezone(&tz).date_naive();
    let created: String = conn.query_row(
        "SELECT created_at FROM client WHERE id = ?1",
        params![client_id],
        |r| r.get(0),
    )?;
    let mut last = col::time(&created)?.with_timezone(&tz).date_naive();
    let mut stmt = conn.prepare(&format!(
        "SELECT a.starts_at FROM appointment a
           JOIN appointment_attendee t ON t.appointment_id = a.id
          WHERE t.client_id = ?1 AND t.attendance <> 'absent'
            AND a.status IN {}",
        AppointmentStatus::holding_sql()
    ))?;
    let starts = stmt.query_map(params![client_id], |r| r.get::<_, String>(0))?;
    for s in starts {
        let start = col::time(&s?)?;
        if start <= now {
            last = last.max(start.with_timezone(&tz).date_naive());
        }
    }
    let intake: Option<String> = conn.query_row(
        "SELECT max(date) FROM intake WHERE client_id = ?1 AND date <= ?2",
        params![client_id, today.to_string()],
        |r| r.get(0),
    )?;
    if let Some(d) = intake {
        last = last.max(col::date(&d)?);
    }
    Ok(last)
}

/// From when the client's record may be destroyed, as of `now`.
pub fn load(conn: &Connection, client_id: i64, now: DateTime<Utc>) -> Result<Retention> {
    let last = last_contact(conn, client_id, now)?;
    let dob: Option<String> = conn.query_row(
        "SELECT date_of_birth FROM client WHERE id = ?1",
        params![client_id],
        |r| r.get(0),
    )?;
    let dob = dob.map(|d| col::date(&d)).transpose()?;
    Ok(destroy_not_before(last, dob))
}
