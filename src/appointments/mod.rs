//! Appointments: intakes, KAP sessions (1-on-1 and group), integration sessions and
//! psychotherapy, in the practice's one KAP room, by telehealth or elsewhere.
//!
//! Rules kept here: a KAP or group KAP session is only booked for clients cleared on its
//! date (the clearance check); the KAP room never holds two overlapping appointments, and
//! the therapist is never in two at once, wherever they are (a conflict names the other
//! appointment's time, never its client); times are stored
//! in UTC and entered and shown as wall times in the practice's time zone. Completing a
//! KAP session creates each client's "integration session due" follow-up.

pub mod time;

use crate::audit::{Action, EntityKind};
use crate::clearance::{self, Clearance, ClearanceView};
use crate::followups::{self, FollowUpKind};
use crate::intakes::{self, IntakeKind};
use crate::practice;
use crate::store::col::{stamp, time as parse_time};
use crate::store::Writer;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Most clients in one group session.
pub const MAX_GROUP: usize = 16;
/// The longest appointment, in minutes.
pub const MAX_MINUTES: u32 = 600;

use crate::str_enum::str_enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum AppointmentKind {
    MentalHealthIntake,
    /// Off-site with a prescriber; recorded for clearance.
    MedicalIntake,
    KapSession,
    GroupKapSession,
    IntegrationSession,
    Psychotherapy,
}
str_enum!(AppointmentKind {
    MentalHealthIntake = "mental_health_intake",
    MedicalIntake = "medical_intake",
    KapSession = "kap_session",
    GroupKapSession = "group_kap_session",
    IntegrationSession = "integration_session",
    Psychotherapy = "psychotherapy",
});

impl AppointmentKind {
    /// KAP sessions need clearance and create integration follow-ups.
    pub fn is_kap(self) -> bool {
        matches!(
            self,
            AppointmentKind::KapSession | AppointmentKind::GroupKapSession
        )
    }

    pub fn is_group(self) -> bool {
        self == AppointmentKind::GroupKapSession
    }

    pub fn label(self) -> &'static str {
        match self {
            AppointmentKind::MentalHealthIntake => "Mental-health intake",
            AppointmentKind::MedicalIntake => "Medical intake",
            AppointmentKind::KapSession => "KAP session",
            AppointmentKind::GroupKapSession => "Group KAP session",
            AppointmentKind::IntegrationSession => "Integration session",
            AppointmentKind::Psychotherapy => "Psychotherapy",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Location {
    KapRoom,
    Telehealth,
    Other,
}
str_enum!(Location { KapRoom = "kap_room", Telehealth = "telehealth", Other = "other" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum AppointmentStatus {
    Scheduled,
    Completed,
    Cancelled,
    LateCancelled,
    NoShow,
}
str_enum!(AppointmentStatus {
    Scheduled = "scheduled",
    Completed = "completed",
    Cancelled = "cancelled",
    LateCancelled = "late_cancelled",
    NoShow = "no_show",
});

impl AppointmentStatus {
    /// The statuses in which an appointment holds its slot: the therapist's time and, in
    /// the KAP room, the room. A cancelled, late-cancelled or no-show one frees both.
    /// The one definition: the conflict check, retention, the calendar feed and the UI
    /// (through [`Appointment::holds_slot`]) all read it.
    pub const HOLDING: &'static [AppointmentStatus] =
        &[AppointmentStatus::Scheduled, AppointmentStatus::Completed];

    /// Whether the appointment holds its slot (and the room).
    pub fn holds_slot(self) -> bool {
        Self::HOLDING.contains(&self)
    }

    /// [`Self::HOLDING`] as an SQL list, `('scheduled', 'completed')`.
    pub fn holding_sql() -> String {
        let quoted: Vec<String> = Self::HOLDING
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        format!("({})", quoted.join(", "))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Attendance {
    Expected,
    Attended,
    Absent,
}
str_enum!(Attendance { Expected = "expected", Attended = "attended", Absent = "absent" });

/// What a user enters to book or change an appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AppointmentInput {
    pub kind: AppointmentKind,
    /// The start as a wall time in the practice's time zone.
    pub starts_local: NaiveDateTime,
    /// Minutes; `None` takes the kind's default (intakes 60, KAP 180, integration 60,
    /// group and psychotherapy from settings).
    pub duration_minutes: Option<u32>,
    pub location: Location,
    pub location_note: Option<String>,
    /// One client, or for a group session the roster.
    #[cfg_attr(feature = "ts-export", ts(type = "Array<number>"))]
    pub client_ids: Vec<i64>,
    pub notes: String,
    /// Why a KAP session is booked although the course's rules warn
    /// ([`course_warnings`]); required then, and kept with the appointment.
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub course_reason: Option<String>,
}

/// A client on an appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Attendee {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub attendance: Attendance,
    /// For a KAP session: contraindication overrides in force for this client, shown
    /// wherever the session is shown ("Item: rationale (by, date)").
    pub overrides: Vec<String>,
    /// Whether this client's note for the session is signed.
    pub note_signed: bool,
    /// Whether a note (draft or signed) exists.
    pub has_note: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Appointment {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub kind: AppointmentKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Wall times in the practice's time zone.
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    pub duration_minutes: u32,
    pub location: Location,
    pub location_note: Option<String>,
    pub status: AppointmentStatus,
    /// Whether it holds its slot ([`AppointmentStatus::holds_slot`]), sent so the UI
    /// needs no list of its own.
    pub holds_slot: bool,
    pub attendees: Vec<Attendee>,
    pub notes: String,
    /// Why it was booked although the course's rules warned ([`course_warnings`]).
    pub course_reason: Option<String>,
}

fn default_minutes(conn: &Connection, kind: AppointmentKind) -> Result<u32> {
    Ok(match kind {
        AppointmentKind::MentalHealthIntake | AppointmentKind::MedicalIntake => 60,
        AppointmentKind::KapSession => 180,
        AppointmentKind::IntegrationSession => 60,
        AppointmentKind::GroupKapSession => conn.query_row(
            "SELECT group_session_minutes FROM practice WHERE id = 1",
            [],
            |r| r.get(0),
        )?,
        AppointmentKind::Psychotherapy => conn.query_row(
            "SELECT psychotherapy_minutes FROM practice WHERE id = 1",
            [],
            |r| r.get(0),
        )?,
    })
}

/// The validated, resolved booking.
struct Slot {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    minutes: u32,
}

fn resolve(conn: &Connection, tz: Tz, a: &mut AppointmentInput) -> Result<Slot> {
    let mut e = FieldErrors::new();
    a.location_note = crate::validate::clean_optional(a.location_note.take());
    if let Some(n) = &a.location_note {
        e.max_chars("location_note", "Location note", n, 200);
        e.no_control_chars("location_note", "Location note", n, false);
    }
    e.max_chars("notes", "Notes", &a.notes, 2000);
    e.no_control_chars("notes", "Notes", &a.notes, true);
    a.course_reason = crate::validate::clean_optional(a.course_reason.take());
    if let Some(r) = &a.course_reason {
        e.max_chars("course_reason", "The reason", r, 2000);
        e.no_control_chars("course_reason", "The reason", r, true);
    }
    let minutes = match a.duration_minutes {
        Some(m) => m,
        None => default_minutes(conn, a.kind)?,
    };
    if !(5..=MAX_MINUTES).contains(&minutes) {
        e.add(
            "duration_minutes",
            "Duration must be between 5 and 600 minutes.",
        );
    }
    a.client_ids.dedup();
    let mut seen = std::collections::HashSet::new();
    a.client_ids.retain(|id| seen.insert(*id));
    match (a.kind.is_group(), a.client_ids.len()) {
        (_, 0) => e.add("client_ids", "Choose the client."),
        (false, 1) => {}
        (false, _) => e.add("client_ids", "Only a group session has several clients."),
        (true, n) if n > MAX_GROUP => {
            e.add("client_ids", "A group session has at most 16 clients.")
        }
        (true, _) => {}
    }
    for id in &a.client_ids {
        let status: Option<String> = conn
            .query_row("SELECT status FROM client WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        match status.as_deref() {
            None => e.add("client_ids", "A chosen client does not exist."),
            Some("archived") => e.add(
                "client_ids",
                "An archived client cannot be booked; unarchive them first.",
            ),
            Some(_) => {}
        }
    }
    if a.starts_local.nanosecond() >= 1_000_000_000 {
        e.add("starts_local", "Choose a start time on the clock.");
    }
    e.record_date("starts_local", "The date", a.starts_local.date());
    let starts_at = match time::to_utc(tz, a.starts_local) {
        _ if e.has("starts_local") => None,
        Ok(t) => Some(t),
        Err(time::WallTimeError::DoesNotExist) => {
            e.add(
                "starts_local",
                "That time does not exist on this date: the clocks spring forward. Choose another time.",
            );
            None
        }
    };
    e.into_result()?;
    let starts_at = starts_at.ok_or(Error::Internal("start time"))?;
    let ends_at = starts_at + Duration::minutes(i64::from(minutes));
    Ok(Slot {
        starts_at,
        ends_at,
        minutes,
    })
}

/// An appointment as the booking rules see it: what, where and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booked {
    pub kind: AppointmentKind,
    pub location: Location,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Why a booking cannot be made at its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// Another appointment holds the one KAP room then.
    Room {
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    },
    /// The therapist already has an appointment then, wherever it is.
    Therapist {
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    },
}

impl Booked {
    /// Whether the therapist is there: she holds every appointment but the medical
    /// intake, which the collaborating prescriber holds and the app only records.
    pub fn needs_therapist(&self) -> bool {
        self.kind != AppointmentKind::MedicalIntake
    }

    /// Whether the two share some time; one ending as the other starts do not.
    pub fn overlaps(&self, other: &Booked) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }
}

/// The booking rules on time, as a pure function: the KAP room holds one appointment at
/// a time, and the therapist (a solo practice) is in one appointment at a time, whether
/// in the KAP room, the office or by telehealth. A group session is one appointment, so
/// it counts once however many clients it has. `others` are the appointments that hold
/// their slots (scheduled or completed), the one being changed left out. The room
/// conflict is reported first, as the more specific; then the earliest other.
pub fn conflict(new: &Booked, others: &[Booked]) -> Option<Conflict> {
    let mut overlapping: Vec<&Booked> = others.iter().filter(|o| o.overlaps(new)).collect();
    overlapping.sort_by_key(|o| (o.starts_at, o.ends_at));
    let room = overlapping
        .iter()
        .find(|o| new.location == Location::KapRoom && o.location == Location::KapRoom);
    if let Some(o) = room {
        return Some(Conflict::Room {
            starts_at: o.starts_at,
            ends_at: o.ends_at,
        });
    }
    overlapping
        .iter()
        .find(|o| new.needs_therapist() && o.needs_therapist())
        .map(|o| Conflict::Therapist {
            starts_at: o.starts_at,
            ends_at: o.ends_at,
        })
}

impl Conflict {
    /// The sentence for the therapist: the other appointment's time, never its client.
    pub fn message(&self, tz: Tz) -> String {
        let (what, s, e) = match *self {
            Conflict::Room { starts_at, ends_at } => {
                ("The KAP room is already booked", starts_at, ends_at)
            }
            Conflict::Therapist { starts_at, ends_at } => {
                ("You already have an appointment", starts_at, ends_at)
            }
        };
        let (s, e) = (time::to_local(tz, s), time::to_local(tz, e));
        let end = if e.date() == s.date() {
            e.format("%-I:%M %p").to_string()
        } else {
            time::us_datetime(e)
        };
        format!("{what} from {} to {end}.", time::us_datetime(s))
    }
}

/// The appointments holding their slots that overlap `slot`, but `except`.
fn overlapping(conn: &Connection, slot: &Slot, except: Option<i64>) -> Result<Vec<Booked>> {
    // No appointment is longer than the longest booking allows, so one that overlaps
    // starts at most that long before this one: the index on the start time then reads
    // a few rows, not every appointment before this one.
    let earliest = slot.starts_at - Duration::minutes(i64::from(MAX_MINUTES));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT kind, location, starts_at, ends_at FROM appointment
         WHERE starts_at >= ?4 AND starts_at < ?2 AND ends_at > ?1
           AND status IN {} AND id <> ?3
         ORDER BY starts_at LIMIT 50",
        AppointmentStatus::holding_sql()
    ))?;
    let rows = stmt
        .query_map(
            params![
                stamp(slot.starts_at),
                stamp(slot.ends_at),
                except.unwrap_or(-1),
                stamp(earliest)
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(k, l, s, e)| {
            Ok(Booked {
                kind: AppointmentKind::parse(&k)?,
                location: Location::parse(&l)?,
                starts_at: parse_time(&s)?,
                ends_at: parse_time(&e)?,
            })
        })
        .collect()
}

/// Refuses when the room or the therapist is taken at the slot's time (see [`conflict`]).
/// The error gives the other appointment's time, never its client.
fn check_time(
    conn: &Connection,
    tz: Tz,
    kind: AppointmentKind,
    location: Location,
    slot: &Slot,
    except: Option<i64>,
) -> Result<()> {
    let new = Booked {
        kind,
        location,
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
    };
    match conflict(&new, &overlapping(conn, slot, except)?) {
        Some(c) => Err(Error::Conflict(c.message(tz))),
        None => Ok(()),
    }
}

/// What would stop this booking (or, with `except`, this change) at its time, checked
/// before it is saved, as the booking form is filled in: the room or the therapist being
/// taken. `None` when the time is free or the input is not complete enough to tell.
pub fn time_conflict(
    conn: &Connection,
    mut input: AppointmentInput,
    except: Option<i64>,
) -> Result<Option<String>> {
    let tz = practice::tz(conn)?;
    let slot = match resolve(conn, tz, &mut input) {
        Ok(s) => s,
        Err(Error::Invalid(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    match check_time(conn, tz, input.kind, input.location, &slot, except) {
        Ok(()) => Ok(None),
        Err(Error::Conflict(m)) => Ok(Some(m)),
        Err(e) => Err(e),
    }
}

/// Refuses a KAP session for a client who is not cleared on the session's date.
fn check_clearance(
    conn: &Connection,
    kind: AppointmentKind,
    clients: &[i64],
    day: NaiveDate,
) -> Result<()> {
    if !kind.is_kap() {
        return Ok(());
    }
    for &client_id in clients {
        if let c @ Clearance::NotCleared { .. } = clearance::check(conn, client_id, day)? {
            return Err(Error::NotCleared {
                client_id,
                reasons: ClearanceView::new(day, c).reasons,
            });
        }
    }
    Ok(())
}

/// The course's warnings for booking a KAP session for these clients at `starts_at`
/// ([`crate::measures::rules`]), each naming no client: a third KAP session within any 7
/// days, and no integration session since the client's previous KAP session. Other
/// appointments count while they hold their slot; `except` is the one being changed.
pub fn course_warnings(
    conn: &Connection,
    kind: AppointmentKind,
    client_ids: &[i64],
    starts_at: DateTime<Utc>,
    except: Option<i64>,
) -> Result<Vec<String>> {
    use crate::measures::rules;
    if !kind.is_kap() {
        return Ok(Vec::new());
    }
    let tz = practice::tz(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.kind, a.starts_at FROM appointment a
         JOIN appointment_attendee t ON t.appointment_id = a.id AND t.client_id = ?1
         WHERE a.kind IN ('kap_session', 'group_kap_session', 'integration_session')
           AND a.status IN {} AND a.id IS NOT ?2",
        AppointmentStatus::holding_sql()
    ))?;
    let several = client_ids.len() > 1;
    let whose = |n: usize| {
        if several {
            format!(" for {n} of the clients")
        } else {
            String::new()
        }
    };
    let (mut third, mut no_integration) = (0, 0);
    let mut last_kap = None;
    for &client_id in client_ids {
        let rows = stmt
            .query_map(params![client_id, except], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (mut kaps, mut integrations) = (Vec::new(), Vec::new());
        for (k, t) in rows {
            let t = parse_time(&t)?;
            if k == "integration_session" {
                integrations.push(t);
            } else {
                kaps.push(t);
            }
        }
        let days: Vec<NaiveDate> = kaps.iter().map(|&t| rules::local_day(t, tz)).collect();
        if rules::third_within_7_days(&days, rules::local_day(starts_at, tz)) {
            third += 1;
        }
        if rules::no_integration_since_last(&kaps, &integrations, starts_at) {
            no_integration += 1;
            last_kap = kaps.iter().filter(|&&k| k < starts_at).max().copied();
        }
    }
    let mut out = Vec::new();
    if third > 0 {
        out.push(format!(
            "This would be a third KAP session within 7 days{}.",
            whose(third)
        ));
    }
    if no_integration > 0 {
        let since = match (several, last_kap) {
            (false, Some(t)) => format!(
                " since the previous KAP session on {}",
                t.with_timezone(&tz).format("%b %-d, %Y")
            ),
            _ => " since the previous KAP session".to_owned(),
        };
        out.push(format!(
            "No integration session has taken place or is booked{since}{}.",
            whose(no_integration)
        ));
    }
    Ok(out)
}

/// Refuses a KAP session the course's rules warn about unless the input says why
/// (`course_reason`); returns the reason to keep (none when nothing warned).
fn check_course(
    conn: &Connection,
    input: &AppointmentInput,
    slot: &Slot,
    except: Option<i64>,
) -> Result<Option<String>> {
    let warnings = course_warnings(conn, input.kind, &input.client_ids, slot.starts_at, except)?;
    if warnings.is_empty() {
        return Ok(None);
    }
    match &input.course_reason {
        Some(r) => Ok(Some(r.clone())),
        None => Err(Error::invalid(
            "course_reason",
            &format!(
                "{} Record why you are booking it anyway.",
                warnings.join(" ")
            ),
        )),
    }
}

/// What the course's rules say about this booking (or, with `except`, this change), asked
/// as the booking form is filled in: the warnings a reason must answer. Empty when none,
/// or when the input is not complete enough to tell.
pub fn booking_warnings(
    conn: &Connection,
    mut input: AppointmentInput,
    except: Option<i64>,
) -> Result<Vec<String>> {
    let tz = practice::tz(conn)?;
    let slot = match resolve(conn, tz, &mut input) {
        Ok(s) => s,
        Err(Error::Invalid(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    course_warnings(conn, input.kind, &input.client_ids, slot.starts_at, except)
}

/// Books an appointment; returns its id.
pub fn book(w: &mut Writer<'_>, mut input: AppointmentInput) -> Result<i64> {
    let tz = practice::tz(w.conn())?;
    let slot = resolve(w.conn(), tz, &mut input)?;
    check_clearance(
        w.conn(),
        input.kind,
        &input.client_ids,
        input.starts_local.date(),
    )?;
    check_time(w.conn(), tz, input.kind, input.location, &slot, None)?;
    let reason = check_course(w.conn(), &input, &slot, None)?;
    let now = stamp(w.now());
    w.conn().execute(
        "INSERT INTO appointment (kind, starts_at, ends_at, duration_minutes, location, location_note,
            status, notes, created_at, updated_at, course_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'scheduled', ?7, ?8, ?8, ?9)",
        params![
            input.kind.as_str(),
            stamp(slot.starts_at),
            stamp(slot.ends_at),
            slot.minutes,
            input.location.as_str(),
            input.location_note,
            input.notes,
            now,
            reason
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    for client_id in &input.client_ids {
        w.conn().execute(
            "INSERT INTO appointment_attendee (appointment_id, client_id, attendance) VALUES (?1, ?2, 'expected')",
            params![id, client_id],
        )?;
    }
    w.audit(Action::Create, EntityKind::Appointment, id)?;
    Ok(id)
}

fn current(
    conn: &Connection,
    id: i64,
) -> Result<(AppointmentKind, AppointmentStatus, DateTime<Utc>)> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT kind, status, starts_at FROM appointment WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (k, s, t) = row.ok_or(Error::NotFound("appointment"))?;
    Ok((
        AppointmentKind::parse(&k)?,
        AppointmentStatus::parse(&s)?,
        parse_time(&t)?,
    ))
}

/// Changes a scheduled appointment (time, length, place, roster, notes). Its kind stays;
/// every booking rule is checked again.
pub fn reschedule(w: &mut Writer<'_>, id: i64, mut input: AppointmentInput) -> Result<()> {
    let (kind, status, _) = current(w.conn(), id)?;
    if status != AppointmentStatus::Scheduled {
        return Err(Error::Conflict(
            "Only a scheduled appointment can be changed.".into(),
        ));
    }
    if kind != input.kind {
        return Err(Error::invalid(
            "kind",
            "An appointment's kind cannot change; cancel it and book another.",
        ));
    }
    let tz = practice::tz(w.conn())?;
    let slot = resolve(w.conn(), tz, &mut input)?;
    check_clearance(
        w.conn(),
        input.kind,
        &input.client_ids,
        input.starts_local.date(),
    )?;
    check_time(w.conn(), tz, input.kind, input.location, &slot, Some(id))?;
    let reason = check_course(w.conn(), &input, &slot, Some(id))?;
    w.conn().execute(
        "UPDATE appointment SET starts_at = ?2, ends_at = ?3, duration_minutes = ?4, location = ?5,
            location_note = ?6, notes = ?7, updated_at = ?8, course_reason = ?9 WHERE id = ?1",
        params![
            id,
            stamp(slot.starts_at),
            stamp(slot.ends_at),
            slot.minutes,
            input.location.as_str(),
            input.location_note,
            input.notes,
            stamp(w.now()),
            reason
        ],
    )?;
    w.conn().execute(
        &format!(
            "DELETE FROM appointment_attendee WHERE appointment_id = ?1 AND client_id NOT IN ({})",
            input
                .client_ids
                .iter()
                .map(|_| "?")
                .collect::<Vec<_>>()
                .join(",")
        ),
        rusqlite::params_from_iter(std::iter::once(id).chain(input.client_ids.iter().copied())),
    )?;
    for client_id in &input.client_ids {
        w.conn().execute(
            "INSERT OR IGNORE INTO appointment_attendee (appointment_id, client_id, attendance)
             VALUES (?1, ?2, 'expected')",
            params![id, client_id],
        )?;
    }
    w.audit(Action::Update, EntityKind::Appointment, id)
}

/// Sets the status. Completing it or marking a no-show needs the session to have started; it marks expected
/// clients attended and, for a KAP session, creates each attended client's "integration
/// session due" follow-up. Only a scheduled appointment changes status.
pub fn set_status(w: &mut Writer<'_>, id: i64, status: AppointmentStatus) -> Result<()> {
    let (kind, old, starts_at) = current(w.conn(), id)?;
    if old != AppointmentStatus::Scheduled {
        return Err(Error::Conflict(
            "This appointment is no longer scheduled.".into(),
        ));
    }
    if status == AppointmentStatus::Scheduled {
        return Ok(());
    }
    if matches!(
        status,
        AppointmentStatus::Completed | AppointmentStatus::NoShow
    ) && w.now() < starts_at
    {
        return Err(Error::Conflict(
            "An appointment can be completed or marked a no-show once it has started.".into(),
        ));
    }
    w.conn().execute(
        "UPDATE appointment SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), stamp(w.now())],
    )?;
    w.audit(Action::Update, EntityKind::Appointment, id)?;
    if status == AppointmentStatus::Completed {
        w.conn().execute(
            "UPDATE appointment_attendee SET attendance = 'attended' WHERE appointment_id = ?1 AND attendance = 'expected'",
            [id],
        )?;
        let tz = practice::tz(w.conn())?;
        let day = time::to_local(tz, starts_at).date();
        let location: String = w.conn().query_row(
            "SELECT location FROM appointment WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        for client_id in attendees_attended(w.conn(), id)? {
            crate::billing::charge_appointment(
                w,
                id,
                client_id,
                kind,
                day,
                Location::parse(&location)?,
            )?;
        }
        if kind.is_kap() {
            let tz = practice::tz(w.conn())?;
            let days: u32 = w.conn().query_row(
                "SELECT integration_due_days FROM practice WHERE id = 1",
                [],
                |r| r.get(0),
            )?;
            let day = time::to_local(tz, starts_at).date();
            let due = day
                .checked_add_days(chrono::Days::new(u64::from(days)))
                .ok_or(Error::Internal("integration due date"))?;
            for client_id in attendees_attended(w.conn(), id)? {
                followups::create_for_appointment(
                    w,
                    client_id,
                    id,
                    FollowUpKind::IntegrationSessionDue,
                    due,
                )?;
            }
        }
    }
    Ok(())
}

fn attendees_attended(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT client_id FROM appointment_attendee WHERE appointment_id = ?1 AND attendance = 'attended'",
    )?;
    let ids = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Records one group member's attendance (attended or absent) after the session.
pub fn set_attendance(
    w: &mut Writer<'_>,
    id: i64,
    client_id: i64,
    attendance: Attendance,
) -> Result<()> {
    let n = w.conn().execute(
        "UPDATE appointment_attendee SET attendance = ?3 WHERE appointment_id = ?1 AND client_id = ?2",
        params![id, client_id, attendance.as_str()],
    )?;
    if n == 0 {
        return Err(Error::NotFound("attendee"));
    }
    w.audit(Action::Update, EntityKind::Appointment, id)
}

/// Overrides in force for a client on a date, from the deciding medical intake's
/// newest screening.
fn overrides_for(conn: &Connection, client_id: i64, day: NaiveDate) -> Result<Vec<String>> {
    let intakes = intakes::for_client(conn, client_id)?;
    let Some(intake) = clearance::deciding_intake(&intakes, IntakeKind::Medical, day) else {
        return Ok(vec![]);
    };
    let Some(screening) = clearance::deciding_screening(&intake.screenings, day) else {
        return Ok(vec![]);
    };
    Ok(screening
        .answers
        .iter()
        .filter_map(|a| {
            a.override_.as_ref().map(|o| {
                format!(
                    "{}: {} ({}, {})",
                    a.label,
                    o.rationale,
                    a.override_by.as_deref().unwrap_or_default(),
                    clearance::us_date(o.date)
                )
            })
        })
        .collect())
}

const COLUMNS: &str =
    "id, kind, starts_at, ends_at, duration_minutes, location, location_note, status, notes,
     course_reason";

/// The attendees of `ids`, each appointment's in name order: one query for a whole week
/// (the ids as a JSON array), not one per appointment.
fn attendees_of(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, Vec<Attendee>>> {
    let mut out: HashMap<i64, Vec<Attendee>> = HashMap::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(out);
    }
    let mut att = conn.prepare_cached(
        "SELECT a.appointment_id, a.client_id, c.legal_name, c.preferred_name, a.attendance,
                n.id IS NOT NULL, n.signed_at IS NOT NULL
         FROM appointment_attendee a JOIN client c ON c.id = a.client_id
         LEFT JOIN session_note n ON n.appointment_id = a.appointment_id AND n.client_id = a.client_id
         WHERE a.appointment_id IN (SELECT value FROM json_each(?1))
         ORDER BY a.appointment_id, c.sort_name, c.id",
    )?;
    let json = serde_json::to_string(ids).map_err(|_| Error::Internal("appointment ids"))?;
    let rows = att.query_map([json], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            Attendee {
                client_id: r.get(1)?,
                legal_name: r.get(2)?,
                preferred_name: r.get(3)?,
                attendance: Attendance::parse(&r.get::<_, String>(4)?)?,
                overrides: Vec::new(),
                has_note: r.get(5)?,
                note_signed: r.get(6)?,
            },
        ))
    })?;
    for row in rows {
        let (id, attendee) = row?;
        out.entry(id).or_default().push(attendee);
    }
    Ok(out)
}

fn load(conn: &Connection, tz: Tz, rows: Vec<Raw>) -> Result<Vec<Appointment>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut attendees_by_id = attendees_of(conn, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, kind, s, e, minutes, location, location_note, status, notes, course_reason) in rows {
        let kind = AppointmentKind::parse(&kind)?;
        let starts_at = parse_time(&s)?;
        let starts_local = time::to_local(tz, starts_at);
        let mut attendees = attendees_by_id.remove(&id).unwrap_or_default();
        if kind.is_kap() {
            for a in &mut attendees {
                a.overrides = overrides_for(conn, a.client_id, starts_local.date())?;
            }
        }
        let ends_at = parse_time(&e)?;
        let status = AppointmentStatus::parse(&status)?;
        out.push(Appointment {
            id,
            kind,
            starts_at,
            ends_at,
            starts_local,
            ends_local: time::to_local(tz, ends_at),
            duration_minutes: minutes,
            location: Location::parse(&location)?,
            location_note,
            status,
            holds_slot: status.holds_slot(),
            attendees,
            notes,
            course_reason,
        });
    }
    Ok(out)
}

type Raw = (
    i64,
    String,
    String,
    String,
    u32,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
);

fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
    ))
}

pub fn get(conn: &Connection, id: i64) -> Result<Appointment> {
    let tz = practice::tz(conn)?;
    let row = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM appointment WHERE id = ?1"),
            [id],
            raw,
        )
        .optional()?
        .ok_or(Error::NotFound("appointment"))?;
    load(conn, tz, vec![row])?
        .pop()
        .ok_or(Error::NotFound("appointment"))
}

/// Appointments starting on local dates `from` up to but not including `to`, in time
/// order (a week view, a day's list).
pub fn between(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<Appointment>> {
    let tz = practice::tz(conn)?;
    let start = day_start(tz, from);
    let end = day_start(tz, to);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM appointment WHERE starts_at >= ?1 AND starts_at < ?2 ORDER BY starts_at, id"
    ))?;
    let rows = stmt
        .query_map(params![stamp(start), stamp(end)], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    load(conn, tz, rows)
}

/// A client's appointments, newest first, at most `limit`.
pub fn for_client(conn: &Connection, client_id: i64, limit: u32) -> Result<Vec<Appointment>> {
    let tz = practice::tz(conn)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM appointment ap WHERE ap.id IN
            (SELECT appointment_id FROM appointment_attendee WHERE client_id = ?1)
         ORDER BY ap.starts_at DESC LIMIT ?2",
        COLUMNS
            .split(", ")
            .map(|c| format!("ap.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    let rows = stmt
        .query_map(params![client_id, limit], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    load(conn, tz, rows)
}

/// The first instant of a local date (midnight, or the first valid time after a gap).
pub fn day_start(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    let mut t = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..4 {
        if let Ok(u) = time::to_utc(tz, t) {
            return u;
        }
        t += Duration::minutes(30);
    }
    DateTime::<Utc>::MIN_UTC
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// 1 December 2026 at `h:m` UTC.
    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0)
            .single()
            .unwrap_or_default()
    }

    fn b(kind: AppointmentKind, location: Location, from: (u32, u32), to: (u32, u32)) -> Booked {
        Booked {
            kind,
            location,
            starts_at: at(from.0, from.1),
            ends_at: at(to.0, to.1),
        }
    }

    use AppointmentKind::*;
    use Location::*;

    #[test]
    fn one_room_and_one_therapist() {
        let kap = b(KapSession, KapRoom, (15, 0), (18, 0));
        let room = Some(Conflict::Room {
            starts_at: at(15, 0),
            ends_at: at(18, 0),
        });
        let therapist = Some(Conflict::Therapist {
            starts_at: at(15, 0),
            ends_at: at(18, 0),
        });
        // (what is booked, against the KAP session 15:00–18:00, expected)
        let cases = [
            (b(Psychotherapy, KapRoom, (16, 0), (17, 0)), room),
            (b(Psychotherapy, Other, (16, 0), (17, 0)), therapist),
            (
                b(IntegrationSession, Telehealth, (17, 59), (18, 59)),
                therapist,
            ),
            (
                b(MentalHealthIntake, Telehealth, (14, 0), (15, 1)),
                therapist,
            ),
            (b(GroupKapSession, KapRoom, (14, 0), (19, 0)), room),
            // Back to back is not an overlap, at either end.
            (b(Psychotherapy, KapRoom, (18, 0), (19, 0)), None),
            (b(IntegrationSession, Telehealth, (14, 0), (15, 0)), None),
            // The prescriber holds the medical intake: the therapist is free for it.
            (b(MedicalIntake, Other, (16, 0), (17, 0)), None),
            (b(MedicalIntake, Telehealth, (15, 0), (18, 0)), None),
            // Even the prescriber cannot use the KAP room while it is taken.
            (b(MedicalIntake, KapRoom, (16, 0), (17, 0)), room),
        ];
        for (i, (new, want)) in cases.iter().enumerate() {
            assert_eq!(conflict(new, &[kap]), *want, "case {i}: {new:?}");
        }
    }

    #[test]
    fn a_medical_intake_on_record_blocks_nothing_but_its_room() {
        let intake = b(MedicalIntake, Telehealth, (15, 0), (16, 0));
        assert_eq!(
            conflict(&b(Psychotherapy, Other, (15, 0), (16, 0)), &[intake]),
            None,
            "the therapist is not at the prescriber's intake"
        );
    }

    #[test]
    fn the_room_is_named_before_the_therapist_and_the_earliest_first() {
        let early = b(IntegrationSession, Telehealth, (9, 0), (10, 30));
        let room = b(Psychotherapy, KapRoom, (10, 0), (11, 0));
        let new = b(KapSession, KapRoom, (9, 30), (12, 30));
        assert_eq!(
            conflict(&new, &[early, room]),
            Some(Conflict::Room {
                starts_at: at(10, 0),
                ends_at: at(11, 0)
            })
        );
        let late = b(Psychotherapy, Other, (11, 0), (12, 0));
        assert_eq!(
            conflict(
                &b(KapSession, Telehealth, (9, 30), (12, 30)),
                &[late, early]
            ),
            Some(Conflict::Therapist {
                starts_at: at(9, 0),
                ends_at: at(10, 30)
            }),
            "the earliest overlapping appointment is named"
        );
    }

    #[test]
    fn the_message_gives_times_in_the_practice_zone_and_no_client() {
        let c = Conflict::Therapist {
            starts_at: at(15, 0),
            ends_at: at(16, 0),
        };
        assert_eq!(
            c.message(chrono_tz::America::New_York),
            "You already have an appointment from Dec 1, 2026, 10:00 AM to 11:00 AM."
        );
        let overnight = Conflict::Room {
            starts_at: at(3, 0),
            ends_at: at(6, 0),
        };
        assert_eq!(
            overnight.message(chrono_tz::America::New_York),
            "The KAP room is already booked from Nov 30, 2026, 10:00 PM to Dec 1, 2026, 1:00 AM."
        );
    }
}
