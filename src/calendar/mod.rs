//! Exporting the schedule to an iCalendar (`.ics`) file. Client names are left out unless
//! the user asks for them: a calendar file is easily shared, synced or lost.

use crate::appointments::{self, AppointmentStatus, Location};
use crate::audit::EntityKind;
use crate::disclose::{Disclosure, Document};
use crate::store::Store;
use crate::{Error, Result};
use chrono::NaiveDate;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use rusqlite::Connection;
use std::io::Write;
use std::path::Path;

/// The schedule from `from` up to but not including `to` (local dates) as iCalendar text.
/// Cancelled appointments and no-shows are left out. Each event is named by its kind
/// ("KAP session"); with `include_names`, the clients' names follow it.
pub fn export_ics(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    include_names: bool,
) -> Result<String> {
    let mut cal = Calendar::new();
    cal.name("KAP Practice schedule");
    for a in appointments::between(conn, from, to)? {
        if !a.status.holds_slot() {
            continue;
        }
        let mut summary = a.kind.label().to_owned();
        if include_names && !a.attendees.is_empty() {
            let names: Vec<String> = a
                .attendees
                .iter()
                .map(|t| match &t.preferred_name {
                    Some(p) => format!("{} ({p})", t.legal_name),
                    None => t.legal_name.clone(),
                })
                .collect();
            summary.push_str(": ");
            summary.push_str(&names.join(", "));
        }
        let location = match a.location {
            Location::KapRoom => "KAP room",
            Location::Telehealth => "Telehealth",
            Location::Other => "Other",
        };
        let mut event = Event::new();
        event
            .uid(&format!("appointment-{}@kap-practice.invalid", a.id))
            .summary(&summary)
            .location(location)
            .starts(a.starts_at)
            .ends(a.ends_at)
            .status(if a.status == AppointmentStatus::Completed {
                EventStatus::Confirmed
            } else {
                EventStatus::Tentative
            });
        cal.push(event.done());
    }
    Ok(cal.done().to_string())
}

/// Saves the schedule from `from` up to but not including `to` as an `.ics` file at
/// `target`, through [`crate::disclose::save`]: an `export` row against the practice,
/// recording whether client names are in it, committed with the file. At most a year at
/// a time.
///
/// # Errors
/// `Error::Invalid` on `to` for an empty or longer range, on `path` for a target
/// [`crate::disclose::check_target`] refuses; those of [`crate::disclose::save`].
pub fn save_ics(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    include_names: bool,
    target: &Path,
) -> Result<()> {
    if to <= from || (to - from).num_days() > 366 {
        return Err(Error::invalid(
            "to",
            "Export between one day and a year at a time.",
        ));
    }
    crate::disclose::save(
        store,
        target,
        "ics",
        |_| Ok(()),
        |w, file, ()| {
            let ics = export_ics(w.conn(), from, to, include_names)?;
            file.write_all(ics.as_bytes())?;
            let disclosure = Disclosure::export(
                Document::Schedule,
                EntityKind::Practice,
                1,
                None,
                include_names,
            );
            Ok(((), disclosure))
        },
    )
}
