//! Session notes: a structured KAP session note following the practice's session format,
//! an integration session note, or free text. A note is a draft until signed; signing
//! stamps the time, and a signed note is never edited (the core refuses, and a database
//! trigger refuses too). Corrections are appended as amendments with their own time.

pub mod process;

use crate::appointments::{AppointmentKind, AppointmentStatus};
use crate::audit::{Action, EntityKind};
use crate::prescriptions::Formulation;
use crate::store::col::{stamp, time};
use crate::store::{Store, Writer};
use crate::validate::FieldErrors;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

const MAX_TEXT: usize = 20_000;

/// Blood pressure and heart rate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Vitals {
    pub systolic: Option<u32>,
    pub diastolic: Option<u32>,
    pub heart_rate: Option<u32>,
}

impl Vitals {
    fn complete(&self) -> bool {
        self.systolic.is_some() && self.diastolic.is_some() && self.heart_rate.is_some()
    }

    fn check(&self, e: &mut FieldErrors, field: &str) {
        let ranges = [
            ("systolic", self.systolic, 50..=260),
            ("diastolic", self.diastolic, 30..=160),
            ("heart_rate", self.heart_rate, 25..=230),
        ];
        for (name, value, range) in ranges {
            if let Some(v) = value {
                if !range.contains(&v) {
                    e.add(
                        format!("{field}.{name}"),
                        format!(
                            "Enter a value between {} and {}.",
                            range.start(),
                            range.end()
                        ),
                    );
                }
            }
        }
        if let (Some(s), Some(d)) = (self.systolic, self.diastolic) {
            if d >= s {
                e.add(
                    format!("{field}.diastolic"),
                    "Diastolic pressure is lower than systolic.",
                );
            }
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PreCheck {
    pub vitals: Vitals,
    pub last_meal_at: Option<NaiveTime>,
    pub ride_home_arranged: bool,
    pub health_changes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Dose {
    pub formulation: Option<Formulation>,
    /// Strength of one lozenge or tablet, mg.
    pub strength_mg: Option<u32>,
    /// How many were taken.
    pub count: Option<u32>,
    pub taken_at: Option<NaiveTime>,
    pub booster_mg: Option<u32>,
    pub booster_at: Option<NaiveTime>,
    pub pharmacy_lot: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AdverseEvents {
    pub nausea: bool,
    pub vomiting: bool,
    pub raised_blood_pressure: bool,
    pub anxiety: bool,
    pub other: String,
    pub action_taken: String,
}

impl AdverseEvents {
    /// The events ticked, in words, lower case, in the form's order (`other` not included).
    pub fn ticked(&self) -> Vec<&'static str> {
        [
            (self.nausea, "nausea"),
            (self.vomiting, "vomiting"),
            (self.raised_blood_pressure, "raised blood pressure"),
            (self.anxiety, "anxiety"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| name)
        .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Discharge {
    pub at: Option<NaiveTime>,
    pub alert: bool,
    pub steady_gait: bool,
    pub vitals_near_baseline: bool,
    pub escort_present: bool,
}

/// The KAP session note, in the order of the session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct KapNote {
    pub intention: String,
    pub pre_check: PreCheck,
    pub dose: Dose,
    pub meditation_done: bool,
    pub breathing_done: bool,
    pub journey_start: Option<NaiveTime>,
    pub journey_end: Option<NaiveTime>,
    pub observations: String,
    pub adverse_events: AdverseEvents,
    pub post_vitals: Vitals,
    pub discharge: Discharge,
    pub integration_notes: String,
    /// The reading about 40 minutes after the dose, and when it was taken.
    #[serde(default)]
    pub peak_at: Option<NaiveTime>,
    #[serde(default)]
    pub peak_vitals: Vitals,
    /// What was decided when the reading before the dose was at or above the practice's
    /// hold threshold (required then to sign), and why when the dose went ahead.
    #[serde(default)]
    pub hold_decision: Option<HoldDecision>,
    #[serde(default)]
    pub hold_reason: String,
    /// Why a dose stronger than the prescription's was given (required then to sign).
    #[serde(default)]
    pub dose_reason: String,
}

/// The decision on a dose when the blood pressure before it is at or above the hold
/// threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum HoldDecision {
    /// The dose was not given.
    Held,
    /// The dose was given; `hold_reason` says why.
    Proceeded,
}

impl KapNote {
    /// Minutes from the journey's start to its end (across midnight too), once both are
    /// recorded.
    pub fn journey_minutes(&self) -> Option<u32> {
        let (s, e) = (self.journey_start?, self.journey_end?);
        u32::try_from((e - s).num_minutes().rem_euclid(24 * 60)).ok()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct IntegrationNote {
    pub what_came_up: String,
    pub themes: String,
    pub commitments: String,
}

/// A note's content; which kind fits depends on the appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum NoteBody {
    Kap(Box<KapNote>),
    Integration(IntegrationNote),
    FreeText { text: String },
}

impl NoteBody {
    fn fits(&self, kind: AppointmentKind) -> bool {
        match self {
            NoteBody::Kap(_) => kind.is_kap(),
            NoteBody::Integration(_) => kind == AppointmentKind::IntegrationSession,
            NoteBody::FreeText { .. } => {
                !kind.is_kap() && kind != AppointmentKind::IntegrationSession
            }
        }
    }

    /// An empty note of the kind the appointment takes.
    pub fn empty_for(kind: AppointmentKind) -> NoteBody {
        if kind.is_kap() {
            NoteBody::Kap(Box::default())
        } else if kind == AppointmentKind::IntegrationSession {
            NoteBody::Integration(IntegrationNote::default())
        } else {
            NoteBody::FreeText {
                text: String::new(),
            }
        }
    }

    /// The note a session starts with: the empty note of its kind, and for a KAP session
    /// the dose's formulation and strength taken from the client's prescription in force
    /// on the session's date (the newest dated on or before it). The count, times and lot
    /// are left for the therapist: they are what happened, not what was prescribed.
    pub fn starting(
        kind: AppointmentKind,
        prescriptions: &[crate::prescriptions::Prescription],
        day: chrono::NaiveDate,
    ) -> NoteBody {
        let mut body = NoteBody::empty_for(kind);
        if let NoteBody::Kap(n) = &mut body {
            if let Some(p) = crate::clearance::newest_on(prescriptions, day) {
                n.dose.formulation = Some(p.details.formulation);
                n.dose.strength_mg = Some(p.details.strength_mg);
            }
        }
        body
    }

    fn texts(&self) -> Vec<(&'static str, &str)> {
        match self {
            NoteBody::Kap(n) => vec![
                ("intention", &n.intention),
                ("pre_check.health_changes", &n.pre_check.health_changes),
                ("dose.pharmacy_lot", &n.dose.pharmacy_lot),
                ("observations", &n.observations),
                ("adverse_events.other", &n.adverse_events.other),
                (
                    "adverse_events.action_taken",
                    &n.adverse_events.action_taken,
                ),
                ("integration_notes", &n.integration_notes),
                ("hold_reason", &n.hold_reason),
                ("dose_reason", &n.dose_reason),
            ],
            NoteBody::Integration(n) => vec![
                ("what_came_up", &n.what_came_up),
                ("themes", &n.themes),
                ("commitments", &n.commitments),
            ],
            NoteBody::FreeText { text } => vec![("text", text)],
        }
    }

    /// Checks what a draft may hold; `signing` adds what a signed note must have.
    fn check(&self, signing: bool) -> Result<()> {
        let mut e = FieldErrors::new();
        for (field, text) in self.texts() {
            e.max_chars(field, "This text", text, MAX_TEXT);
            e.no_control_chars(field, "This text", text, true);
        }
        if let NoteBody::Kap(n) = self {
            n.pre_check.vitals.check(&mut e, "pre_check.vitals");
            n.post_vitals.check(&mut e, "post_vitals");
            n.peak_vitals.check(&mut e, "peak_vitals");
            if let (Some(peak), Some(dose)) = (n.peak_at, n.dose.taken_at) {
                if peak < dose {
                    e.add(
                        "peak_at",
                        format!(
                            "The reading after the dose cannot be before the dose, taken at {}.",
                            dose.format("%H:%M")
                        ),
                    );
                }
            }
            let held = n.hold_decision == Some(HoldDecision::Held);
            if held && (n.dose.count.is_some() || n.dose.taken_at.is_some()) {
                e.add(
                    "hold_decision",
                    "The dose is recorded as held: clear how many were taken and when, or record that it went ahead.",
                );
            }
            if let Some(s) = n.dose.strength_mg {
                if !(1..=1000).contains(&s) {
                    e.add(
                        "dose.strength_mg",
                        "Strength must be between 1 and 1,000 mg.",
                    );
                }
            }
            if let Some(c) = n.dose.count {
                if !(1..=10).contains(&c) {
                    e.add("dose.count", "Enter how many were taken, 1 to 10.");
                }
            }
            if let Some(b) = n.dose.booster_mg {
                if !(1..=1000).contains(&b) {
                    e.add(
                        "dose.booster_mg",
                        "A booster must be between 1 and 1,000 mg.",
                    );
                }
            }
            if n.dose.booster_mg.is_some() != n.dose.booster_at.is_some() {
                e.add(
                    "dose.booster_at",
                    "A booster needs both its amount and its time.",
                );
            }
            if signing {
                if !n.pre_check.vitals.complete() {
                    e.add(
                        "pre_check.vitals",
                        "Record blood pressure and heart rate before the dose.",
                    );
                }
                if !held
                    && (n.dose.strength_mg.is_none()
                        || n.dose.count.is_none()
                        || n.dose.taken_at.is_none())
                {
                    e.add(
                        "dose",
                        "Record the dose: strength, how many, and the time taken.",
                    );
                }
                if !n.post_vitals.complete() {
                    e.add(
                        "post_vitals",
                        "Record blood pressure and heart rate after the session.",
                    );
                }
                if n.discharge.at.is_none() {
                    e.add("discharge.at", "Record the discharge time.");
                }
                let peak_started = n.peak_at.is_some()
                    || n.peak_vitals.systolic.is_some()
                    || n.peak_vitals.diastolic.is_some()
                    || n.peak_vitals.heart_rate.is_some();
                if peak_started && !(n.peak_at.is_some() && n.peak_vitals.complete()) {
                    e.add(
                        "peak_vitals",
                        "Complete the reading after the dose (time, blood pressure, heart rate), or clear it.",
                    );
                }
                if n.hold_decision == Some(HoldDecision::Proceeded)
                    && n.hold_reason.trim().is_empty()
                {
                    e.add("hold_reason", "Record why the dose went ahead.");
                }
            }
        }
        if signing {
            let empty = match self {
                NoteBody::Kap(_) => false,
                NoteBody::Integration(n) => [&n.what_came_up, &n.themes, &n.commitments]
                    .iter()
                    .all(|t| t.trim().is_empty()),
                NoteBody::FreeText { text } => text.trim().is_empty(),
            };
            if empty {
                e.add("text", "An empty note cannot be signed.");
            }
        }
        e.into_result()
    }

    /// Total mg taken (strength × count, plus any booster).
    pub fn total_mg(&self) -> Option<u32> {
        match self {
            NoteBody::Kap(n) => {
                let base = n.dose.strength_mg?.checked_mul(n.dose.count?)?;
                base.checked_add(n.dose.booster_mg.unwrap_or(0))
            }
            _ => None,
        }
    }

    /// Things worth a second look that do not stop saving or signing.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let NoteBody::Kap(n) = self {
            if let Some(minutes) = n.journey_minutes() {
                if !(60..=75).contains(&minutes) {
                    w.push(format!("The journey lasted {minutes} minutes; the usual length is 60 to 75 minutes."));
                }
            }
            if !n.pre_check.ride_home_arranged {
                w.push("A ride home is not marked as arranged.".into());
            }
        }
        w
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Amendment {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SessionNote {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub appointment_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub body: NoteBody,
    pub signed_at: Option<DateTime<Utc>>,
    pub total_mg: Option<u32>,
    pub warnings: Vec<String>,
    pub amendments: Vec<Amendment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn appointment_for(
    conn: &Connection,
    appointment_id: i64,
    client_id: i64,
) -> Result<(AppointmentKind, AppointmentStatus, DateTime<Utc>)> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT a.kind, a.status, a.starts_at FROM appointment a
             JOIN appointment_attendee t ON t.appointment_id = a.id
             WHERE a.id = ?1 AND t.client_id = ?2",
            params![appointment_id, client_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (k, s, t) = row.ok_or(Error::NotFound("appointment"))?;
    Ok((
        AppointmentKind::parse(&k)?,
        AppointmentStatus::parse(&s)?,
        time(&t)?,
    ))
}

fn signed_conflict() -> Error {
    Error::Conflict("This note is signed and cannot be changed. Add an amendment instead.".into())
}

/// The note this client's session starts with ([`NoteBody::starting`]), from the store.
pub fn starting_for(conn: &Connection, appointment_id: i64, client_id: i64) -> Result<NoteBody> {
    let appt = crate::appointments::get(conn, appointment_id)?;
    let prescriptions = crate::prescriptions::for_client(conn, client_id)?;
    Ok(NoteBody::starting(
        appt.kind,
        &prescriptions,
        appt.starts_local.date(),
    ))
}

/// Saves a draft note for one client of an appointment (creating it the first time).
/// Refused once the note is signed.
pub fn save_draft(
    w: &mut Writer<'_>,
    appointment_id: i64,
    client_id: i64,
    body: NoteBody,
) -> Result<i64> {
    let (kind, _, _) = appointment_for(w.conn(), appointment_id, client_id)?;
    if !body.fits(kind) {
        return Err(Error::invalid(
            "kind",
            "This kind of note does not fit this appointment.",
        ));
    }
    body.check(false)?;
    let json = serde_json::to_string(&body).map_err(|_| Error::Internal("note encoding"))?;
    let existing: Option<(i64, Option<String>)> = w
        .conn()
        .query_row(
            "SELECT id, signed_at FROM session_note WHERE appointment_id = ?1 AND client_id = ?2",
            params![appointment_id, client_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let now = stamp(w.now());
    let id = match existing {
        Some((_, Some(_))) => return Err(signed_conflict()),
        Some((id, None)) => {
            w.conn().execute(
                "UPDATE session_note SET body = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, json, now],
            )?;
            w.audit(Action::Update, EntityKind::SessionNote, id)?;
            id
        }
        None => {
            w.conn().execute(
                "INSERT INTO session_note (appointment_id, client_id, body, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![appointment_id, client_id, json, now],
            )?;
            let id = w.conn().last_insert_rowid();
            w.audit(Action::Create, EntityKind::SessionNote, id)?;
            id
        }
    };
    Ok(id)
}

/// Signs a note: checks it is complete, stamps the time. Final from then on.
pub fn sign(w: &mut Writer<'_>, note_id: i64) -> Result<()> {
    let note = get_by_id(w.conn(), note_id)?;
    if note.signed_at.is_some() {
        return Err(Error::Conflict("This note is already signed.".into()));
    }
    let (_, status, starts_at) = appointment_for(w.conn(), note.appointment_id, note.client_id)?;
    if w.now() < starts_at || status == AppointmentStatus::Scheduled && w.now() < starts_at {
        return Err(Error::Conflict(
            "A note can be signed once its session has started.".into(),
        ));
    }
    note.body.check(true)?;
    if matches!(note.body, NoteBody::Kap(_)) {
        let day = starts_at
            .with_timezone(&crate::practice::tz(w.conn())?)
            .date_naive();
        crate::measures::safety::check_before_signing(w.conn(), note.client_id, day)?;
        if let NoteBody::Kap(n) = &note.body {
            check_course_rules(w.conn(), note.client_id, day, n)?;
        }
    }
    w.conn().execute(
        "UPDATE session_note SET signed_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![note_id, stamp(w.now())],
    )?;
    w.conn().execute(
        "UPDATE appointment_attendee SET note_signed = 1 WHERE appointment_id = ?1 AND client_id = ?2",
        params![note.appointment_id, note.client_id],
    )?;
    w.audit(Action::Sign, EntityKind::SessionNote, note_id)
}

/// What signing a KAP note needs from the course's rules ([`crate::measures::rules`]): a
/// recorded decision when the reading before the dose is at or above the practice's hold
/// threshold, and a reason for a dose stronger than the prescription in force on `day`.
fn check_course_rules(
    conn: &Connection,
    client_id: i64,
    day: NaiveDate,
    n: &KapNote,
) -> Result<()> {
    use crate::measures::rules;
    let hold = crate::measures::settings::get(conn)?.hold();
    let mut e = FieldErrors::new();
    let v = &n.pre_check.vitals;
    if let (Some(sys), Some(dia)) = (v.systolic, v.diastolic) {
        if rules::at_or_above_hold(sys, dia, hold) && n.hold_decision.is_none() {
            e.add(
                "hold_decision",
                format!(
                    "The blood pressure before the dose, {sys}/{dia}, is at or above the hold threshold of {}/{}: record whether the dose was held or went ahead.",
                    hold.systolic, hold.diastolic
                ),
            );
        }
    }
    let held = n.hold_decision == Some(HoldDecision::Held);
    let prescriptions = crate::prescriptions::for_client(conn, client_id)?;
    if let (Some(given), Some(rx), false) = (
        n.dose.strength_mg,
        crate::clearance::newest_on(&prescriptions, day),
        held,
    ) {
        if rules::above_prescription(given, rx.details.strength_mg)
            && n.dose_reason.trim().is_empty()
        {
            e.add(
                "dose_reason",
                format!(
                    "The dose strength, {given} mg, is above the prescription's {} mg: record why.",
                    rx.details.strength_mg
                ),
            );
        }
    }
    e.into_result()
}

/// Appends a dated amendment to a signed note.
pub fn amend(w: &mut Writer<'_>, note_id: i64, text: &str) -> Result<i64> {
    let note = get_by_id(w.conn(), note_id)?;
    if note.signed_at.is_none() {
        return Err(Error::Conflict(
            "The note is still a draft: edit it directly.".into(),
        ));
    }
    let text = text.trim();
    let mut e = FieldErrors::new();
    e.required_text("text", "Amendment", text, MAX_TEXT);
    e.no_control_chars("text", "Amendment", text, true);
    e.into_result()?;
    w.conn().execute(
        "INSERT INTO amendment (note_id, text, created_at) VALUES (?1, ?2, ?3)",
        params![note_id, text, stamp(w.now())],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Amendment, id)?;
    Ok(id)
}

fn from_row(
    conn: &Connection,
    r: (i64, i64, i64, String, Option<String>, String, String),
) -> Result<SessionNote> {
    let (id, appointment_id, client_id, body, signed_at, created_at, updated_at) = r;
    let body: NoteBody = serde_json::from_str(&body).map_err(|_| Error::Corrupt)?;
    let mut stmt =
        conn.prepare("SELECT id, text, created_at FROM amendment WHERE note_id = ?1 ORDER BY id")?;
    let amendments = stmt
        .query_map([id], |r| {
            Ok(Amendment {
                id: r.get(0)?,
                text: r.get(1)?,
                created_at: time(&r.get::<_, String>(2)?)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(SessionNote {
        id,
        appointment_id,
        client_id,
        total_mg: body.total_mg(),
        warnings: body.warnings(),
        body,
        signed_at: signed_at.map(|s| time(&s)).transpose()?,
        amendments,
        created_at: time(&created_at)?,
        updated_at: time(&updated_at)?,
    })
}

const SELECT: &str =
    "SELECT id, appointment_id, client_id, body, signed_at, created_at, updated_at FROM session_note";

type Raw = (i64, i64, i64, String, Option<String>, String, String);

fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

pub fn get_by_id(conn: &Connection, id: i64) -> Result<SessionNote> {
    let row = conn
        .query_row(&format!("{SELECT} WHERE id = ?1"), [id], raw)
        .optional()?
        .ok_or(Error::NotFound("session note"))?;
    from_row(conn, row)
}

/// One client's note for an appointment, if written.
pub fn get(conn: &Connection, appointment_id: i64, client_id: i64) -> Result<Option<SessionNote>> {
    let row = conn
        .query_row(
            &format!("{SELECT} WHERE appointment_id = ?1 AND client_id = ?2"),
            params![appointment_id, client_id],
            raw,
        )
        .optional()?;
    row.map(|r| from_row(conn, r)).transpose()
}

/// Opens one client's note for an appointment for a person to read: when a note is
/// written, reads it and appends a `view` audit row on it in one transaction (as opening
/// a client's record does). No note, nothing to view: nothing is written.
pub fn open(store: &Store, appointment_id: i64, client_id: i64) -> Result<Option<SessionNote>> {
    let Some(found) = store.read(|c| get(c, appointment_id, client_id))? else {
        return Ok(None);
    };
    store.write(|w| {
        let note = get_by_id(w.conn(), found.id)?;
        w.audit(Action::View, EntityKind::SessionNote, note.id)?;
        Ok(Some(note))
    })
}

/// A note still to sign: its session ended more than a day ago and it is a draft or
/// missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct UnsignedNote {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub appointment_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub kind: AppointmentKind,
    pub session_ended_at: DateTime<Utc>,
    /// A draft exists (otherwise nothing is written yet).
    pub has_draft: bool,
}

/// Completed sessions that ended before `cutoff` whose attended clients have no signed
/// note, oldest first.
pub fn unsigned_before(conn: &Connection, cutoff: DateTime<Utc>) -> Result<Vec<UnsignedNote>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, t.client_id, c.legal_name, c.preferred_name, a.kind, a.ends_at, n.id IS NOT NULL
         FROM appointment_attendee t
         JOIN appointment a ON a.id = t.appointment_id
         JOIN client c ON c.id = t.client_id
         LEFT JOIN session_note n ON n.appointment_id = a.id AND n.client_id = t.client_id
         WHERE t.note_signed = 0 AND t.attendance = 'attended'
           AND a.status = 'completed' AND a.ends_at < ?1
           -- The medical intake is the prescriber's, off-site: no note of the therapist's.
           AND a.kind <> 'medical_intake'
         ORDER BY a.ends_at, a.id",
    )?;
    let rows = stmt
        .query_map([stamp(cutoff)], |r| {
            Ok(UnsignedNote {
                appointment_id: r.get(0)?,
                client_id: r.get(1)?,
                legal_name: r.get(2)?,
                preferred_name: r.get(3)?,
                kind: AppointmentKind::parse(&r.get::<_, String>(4)?)?,
                session_ended_at: time(&r.get::<_, String>(5)?)?,
                has_draft: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prescriptions::{Prescription, PrescriptionInput};
    use chrono::NaiveDate;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default()
    }

    fn rx(id: i64, date: NaiveDate, formulation: Formulation, mg: u32) -> Prescription {
        Prescription {
            id,
            client_id: 1,
            medication: "Ketamine".into(),
            details: PrescriptionInput {
                prescriber_id: 1,
                date,
                formulation,
                strength_mg: mg,
                quantity: 4,
                directions: String::new(),
                pharmacy: String::new(),
                cost: crate::Cents(0),
            },
            prescriber: String::new(),
            created_at: DateTime::<Utc>::MIN_UTC,
        }
    }

    fn dose(body: &NoteBody) -> (Option<Formulation>, Option<u32>) {
        match body {
            NoteBody::Kap(n) => (n.dose.formulation, n.dose.strength_mg),
            _ => (None, None),
        }
    }

    #[test]
    fn a_kap_note_starts_with_the_prescription_in_force_on_the_session_date() {
        use Formulation::*;
        let list = [
            rx(1, d(1, 20), SublingualLozenge, 100),
            rx(2, d(3, 1), RapidDissolveTablet, 50),
            rx(3, d(3, 1), SublingualLozenge, 150),
        ];
        let cases = [
            (d(1, 19), (None, None)),
            (d(1, 20), (Some(SublingualLozenge), Some(100))),
            (d(2, 28), (Some(SublingualLozenge), Some(100))),
            // Two on one day: the one recorded later decides.
            (d(3, 1), (Some(SublingualLozenge), Some(150))),
            (d(12, 1), (Some(SublingualLozenge), Some(150))),
        ];
        for (day, want) in cases {
            let body = NoteBody::starting(AppointmentKind::KapSession, &list, day);
            assert_eq!(dose(&body), want, "session on {day}");
            if let NoteBody::Kap(n) = &body {
                assert_eq!(
                    n.dose.count, None,
                    "what was taken is left to the therapist"
                );
            }
        }
        assert!(matches!(
            NoteBody::starting(AppointmentKind::IntegrationSession, &list, d(12, 1)),
            NoteBody::Integration(_)
        ));
    }
}
