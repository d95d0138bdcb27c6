//! The home dashboard: today and this week at a glance.

use crate::appointments::{self, Appointment};
use crate::clearance::{self, ExpiringClearance};
use crate::followups::{self, FollowUp};
use crate::measures::due::{self, MeasuresDue};
use crate::measures::safety::{self, SafetyFlag};
use crate::notes::{self, UnsignedNote};
use crate::records::access::{self, AccessRequest};
use crate::{practice, Result};
use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;

/// How far ahead "this week" and "expiring soon" look.
pub const WEEK_DAYS: u64 = 7;
pub const EXPIRING_DAYS: u32 = 30;
/// How many overdue follow-ups Home shows before "Show more".
pub const OVERDUE_SHOWN: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Dashboard {
    pub today: NaiveDate,
    /// Today's appointments, in time order.
    pub today_appointments: Vec<Appointment>,
    /// The next seven days after today.
    pub week_appointments: Vec<Appointment>,
    /// Open follow-ups due before today, most overdue first: the first
    /// [`OVERDUE_SHOWN`] of them (the rest page in through [`followups::overdue`]).
    pub overdue_follow_ups: Vec<FollowUp>,
    /// How many follow-ups are overdue in all.
    pub overdue_total: u32,
    /// Open follow-ups due today through the next seven days.
    pub follow_ups_this_week: Vec<FollowUp>,
    /// Clearances that end within 30 days.
    pub expiring_clearances: Vec<ExpiringClearance>,
    /// Notes still unsigned 24 hours after their session ended.
    pub unsigned_notes: Vec<UnsignedNote>,
    /// PHQ-9 item 9 flags still waiting for their safety assessment, oldest first.
    pub safety_flags: Vec<SafetyFlag>,
    /// Questionnaires due for today's and this week's scheduled sessions.
    pub measures_due: Vec<MeasuresDue>,
    /// Open records requests overdue or due within a week, soonest first: the first
    /// [`OVERDUE_SHOWN`] of them.
    pub access_requests_due: Vec<AccessRequest>,
    /// How many records requests are overdue or due within a week in all.
    pub access_requests_due_total: u32,
}

pub fn dashboard(conn: &Connection, now: DateTime<Utc>) -> Result<Dashboard> {
    let today = practice::today(conn, now)?;
    let tomorrow = today + Days::new(1);
    let week_end = tomorrow + Days::new(WEEK_DAYS);
    let (overdue, overdue_total) = followups::overdue(conn, today, 0, OVERDUE_SHOWN)?;
    let this_week = followups::open_between(conn, today, today + Days::new(WEEK_DAYS))?;
    let today_appointments = appointments::between(conn, today, tomorrow)?;
    let week_appointments = appointments::between(conn, tomorrow, week_end)?;
    let (access_requests_due, access_requests_due_total) = access::due(conn, today, OVERDUE_SHOWN)?;
    let mut measures_due = due::due_among(conn, &today_appointments)?;
    measures_due.extend(due::due_among(conn, &week_appointments)?);
    Ok(Dashboard {
        today,
        today_appointments,
        week_appointments,
        overdue_follow_ups: overdue,
        overdue_total,
        follow_ups_this_week: this_week,
        expiring_clearances: clearance::expiring(conn, today, EXPIRING_DAYS)?,
        unsigned_notes: notes::unsigned_before(conn, now - chrono::Duration::hours(24))?,
        safety_flags: safety::open_flags(conn)?,
        measures_due,
        access_requests_due,
        access_requests_due_total,
    })
}
