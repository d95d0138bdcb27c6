//! One client's complete record as a PDF, for a records request: details, intakes with
//! their contraindication screenings, consents, prescriptions, every appointment with its
//! session note and the note's amendments in order, follow-ups, invoices, payments and
//! the balance.
//!
//! [`crate::export::load_record`] reads it from the store; [`render_record`] lays it out
//! with the engine and the pieces the other documents share, and is pure. Another
//! client's name never appears: a group session shows only this client's attendance.
//! The PDF's metadata holds no client data (its title is "Client record").

use super::layout::{
    self, Align, Column, Doc, Ink, Meta, Style, Table, Width, CONTENT_W, LEFT, RIGHT,
};
use super::parts::{self, money_if, us_date, Entry, Weight};
use super::PracticeHeader;
use crate::appointments::{Appointment, AppointmentStatus, Attendance};
use crate::billing::Ledger;
use crate::clients::{Client, FeeKind};
use crate::consent::Consent;
use crate::followups::FollowUp;
use crate::intakes::{Intake, IntakeKind};
use crate::notes::{NoteBody, SessionNote, Vitals};
use crate::prescriptions::Prescription;
use crate::Result;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

/// One appointment of the client, with only this client's attendance and note.
#[derive(Debug, Clone)]
pub struct RecordSession {
    pub appointment: Appointment,
    pub attendance: Option<Attendance>,
    pub note: Option<SessionNote>,
}

/// One session's private process notes, in a record the therapist chose to include
/// them in.
#[derive(Debug, Clone)]
pub struct RecordProcessNote {
    /// The session's start, and its kind in words.
    pub starts_at: DateTime<Utc>,
    pub session: String,
    pub body: String,
    pub updated_at: DateTime<Utc>,
}

/// Everything the record shows, oldest first within each part.
#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub practice: PracticeHeader,
    pub tz: Tz,
    pub prepared_on: NaiveDate,
    pub client: Client,
    /// Prescribers named in the record, by id, as "Name, NP".
    pub prescribers: BTreeMap<i64, String>,
    pub intakes: Vec<Intake>,
    pub consents: Vec<Consent>,
    pub prescriptions: Vec<Prescription>,
    pub sessions: Vec<RecordSession>,
    pub follow_ups: Vec<FollowUp>,
    /// Outcome questionnaires, newest first, struck ones included.
    pub measures: Vec<crate::measures::Measure>,
    /// PHQ-9 item 9 flags with their safety assessments.
    pub safety: Vec<crate::measures::safety::SafetyFlag>,
    pub ledger: Ledger,
    /// The client's private process notes, oldest session first: `None` (the default)
    /// leaves them out; `Some` only when the therapist included them explicitly for this
    /// one record, which its audit row records.
    pub process_notes: Option<Vec<RecordProcessNote>>,
}

// ---------------------------------------------------------------------------------
// Words

/// A stored code as words: `not_suitable` → "Not suitable", `ptsd` → "PTSD".
pub(super) fn words<T: Serialize>(value: &T) -> String {
    let code = match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => return String::new(),
    };
    let spaced: Vec<String> = code
        .split('_')
        .map(|w| match w {
            "ocd" | "ptsd" | "kap" | "npi" => w.to_uppercase(),
            _ => w.to_owned(),
        })
        .collect();
    let mut s = spaced.join(" ");
    if let Some(first) = s.get(0..1) {
        let upper = first.to_uppercase();
        s.replace_range(0..1, &upper);
    }
    s
}

pub(super) fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.into()
}

pub(super) fn clock(t: NaiveTime) -> String {
    t.format("%-I:%M %p").to_string()
}

fn local_time(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz)
        .format("%b %-d, %Y, %-I:%M %p %Z")
        .to_string()
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

pub(super) fn vitals(v: &Vitals) -> String {
    let mut parts = Vec::new();
    if let (Some(s), Some(d)) = (v.systolic, v.diastolic) {
        parts.push(format!("BP {s}/{d} mmHg"));
    }
    if let Some(hr) = v.heart_rate {
        parts.push(format!("HR {hr}/min"));
    }
    parts.join(", ")
}

// ---------------------------------------------------------------------------------
// Layout helpers

const LABEL_W: f32 = 132.0;
/// A value wrapped to more lines than this flows across pages instead of being kept
/// together with its label.
const KEEP_LINES: usize = 10;

pub(super) fn body() -> Style {
    Style::regular(9.5)
}

/// One labelled value. Short values stay on one page beside their label; long ones
/// (a long note) flow across pages.
pub(super) fn field(doc: &mut Doc, label: &str, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    let width = CONTENT_W - LABEL_W;
    let lines = doc.lines(body(), value, width);
    if lines.len() <= KEEP_LINES {
        let row = [(label, value.to_owned())];
        doc.block(|d, top| parts::pairs(d, LEFT, CONTENT_W, LABEL_W, top, &row));
        return;
    }
    let label_style = Style::regular(8.5).ink(Ink::Muted);
    doc.keep(3.0 * body().line_height());
    let top = doc.y + (body().line_height() - label_style.line_height()) / 2.0;
    let label_lines = doc.lines(label_style, label, LABEL_W - 6.0);
    doc.place_lines(
        LEFT,
        LABEL_W - 6.0,
        top,
        label_style,
        &label_lines,
        Align::Left,
    );
    doc.paragraph_in(LEFT + LABEL_W, width, body(), value);
    doc.y += 2.5;
}

fn fields(doc: &mut Doc, rows: &[(&str, String)]) {
    for (label, value) in rows {
        field(doc, label, value);
    }
}

pub(super) fn section(doc: &mut Doc, title: &str) {
    doc.gap(16.0);
    parts::section(doc, title, 40.0);
}

/// A sub-heading (one appointment, one intake), kept with what follows.
fn subheading(doc: &mut Doc, text: &str) {
    doc.gap(8.0);
    doc.heading(Style::bold(10.5), text, 36.0);
    doc.gap(3.0);
}

fn minor(doc: &mut Doc, text: &str) {
    doc.gap(4.0);
    doc.heading(Style::bold(9.0).ink(Ink::Accent), text, 30.0);
    doc.gap(2.0);
}

pub(super) fn none(doc: &mut Doc, text: &str) {
    doc.paragraph(body().ink(Ink::Muted), text);
}

pub(super) fn table(
    doc: &mut Doc,
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
    details: Vec<String>,
) {
    doc.table(&Table {
        columns,
        rows,
        details,
        detail_from: 1,
        head: Style::bold(8.5).ink(Ink::Muted),
        body: Style::regular(9.0),
    });
}

// ---------------------------------------------------------------------------------
// Rendering

/// Renders the record; returns the PDF's bytes and its page count.
///
/// # Errors
/// `Error::Internal` if the document cannot be rendered (a defect, never bad input).
pub fn render_record(r: &ClientRecord) -> Result<(Vec<u8>, usize)> {
    let fonts = layout::fonts()?;
    let number = format!("{:06}", r.client.id);
    let mut doc = Doc::new(
        fonts,
        &format!("Confidential — contains protected health information  ·  Client record {number}"),
    );
    doc.set_running_head(&format!(
        "Client record {number} (continued)  ·  {}",
        r.client.details.legal_name
    ));

    let right = [
        Entry::new(Style::bold(20.0), "Client record"),
        Entry::new(
            Style::regular(10.0).ink(Ink::Muted),
            format!("Client no. {number}"),
        )
        .after(2.0),
        Entry::new(
            Style::regular(10.0).ink(Ink::Muted),
            format!("Prepared {}", us_date(r.prepared_on)),
        ),
    ];
    parts::letterhead(&mut doc, &r.practice, &right, false);
    notice(&mut doc);
    details(&mut doc, r);
    intakes_part(&mut doc, r);
    consents_part(&mut doc, r);
    prescriptions_part(&mut doc, r);
    sessions_part(&mut doc, r);
    follow_ups_part(&mut doc, r);
    measures_part(&mut doc, r);
    billing_part(&mut doc, r);
    if let Some(notes) = &r.process_notes {
        process_notes_part(&mut doc, r.tz, notes);
    }

    doc.gap(24.0);
    doc.paragraph(
        Style::regular(8.5).ink(Ink::Muted),
        "End of record. Times are shown in the practice's time zone.",
    );
    let pages = doc.page_count();
    let bytes = doc.finish(&Meta {
        title: "Client record",
        author: &r.practice.practice_name,
        date: r.prepared_on,
    })?;
    Ok((bytes, pages))
}

fn notice(doc: &mut Doc) {
    let text = "Confidential — contains protected health information. This record was \
                exported from KAP Practice; the export is recorded in the practice's audit \
                log. Keep it secure and share it only with the client or someone the client \
                or the law authorises.";
    let style = Style::regular(8.5);
    let lines = doc.lines(style, text, CONTENT_W - 24.0);
    doc.block(|d, top| {
        let h = lines.len() as f32 * style.line_height() + 16.0;
        d.fill(LEFT, top, CONTENT_W, h, Ink::Shade);
        d.line(LEFT, RIGHT, top, 1.25, Ink::Accent);
        d.place_lines(
            LEFT + 12.0,
            CONTENT_W - 24.0,
            top + 8.0,
            style,
            &lines,
            Align::Left,
        );
        h
    });
}

fn details(doc: &mut Doc, r: &ClientRecord) {
    let c = &r.client.details;
    doc.gap(16.0);
    doc.heading(Style::bold(16.0), &c.legal_name, 60.0);
    doc.gap(6.0);
    parts::section(doc, "Client details", 40.0);
    let emergency = [
        opt(&c.emergency_contact.name),
        opt(&c.emergency_contact.relation),
        opt(&c.emergency_contact.phone),
    ]
    .into_iter()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let concerns = c
        .presenting_concerns
        .iter()
        .map(words)
        .collect::<Vec<_>>()
        .join(", ");
    let fa = &c.fee_arrangement;
    let mut fee = words(&fa.kind);
    if fa.kind == FeeKind::SlidingScale {
        let agreed = fa
            .agreed
            .iter()
            .map(|f| format!("{} {}", f.service.label(), f.cents))
            .collect::<Vec<_>>()
            .join("; ");
        if !agreed.is_empty() {
            fee = format!("{fee}: {agreed}");
        }
    }
    let dob = c
        .date_of_birth
        .map(|d| match r.client.age {
            Some(age) => format!("{} (age {age})", us_date(d)),
            None => us_date(d),
        })
        .unwrap_or_default();
    fields(
        doc,
        &[
            ("Legal name", c.legal_name.clone()),
            ("Preferred name", opt(&c.preferred_name)),
            ("Pronouns", opt(&c.pronouns)),
            ("Date of birth", dob),
            ("Phone", opt(&c.phone)),
            ("Email", opt(&c.email)),
            ("Address", opt(&c.address)),
            ("Emergency contact", emergency),
            ("Referral source", opt(&c.referral_source)),
            ("Presenting concerns", concerns),
            ("Status", words(&c.status)),
            ("Fee arrangement", fee),
            ("Fee note", opt(&fa.note)),
            (
                "Client since",
                us_date(r.client.created_at.with_timezone(&r.tz).date_naive()),
            ),
            ("Notes", c.notes.clone()),
        ],
    );
}

fn prescriber(r: &ClientRecord, id: i64) -> String {
    r.prescribers
        .get(&id)
        .cloned()
        .unwrap_or_else(|| format!("Prescriber no. {id}"))
}

fn intakes_part(doc: &mut Doc, r: &ClientRecord) {
    section(doc, "Intakes and contraindication screenings");
    if r.intakes.is_empty() {
        none(doc, "No intakes are recorded.");
    }
    for i in &r.intakes {
        let d = &i.details;
        let kind = match d.kind {
            IntakeKind::MentalHealth => "Mental-health intake",
            IntakeKind::Medical => "Medical intake",
        };
        subheading(doc, &format!("{kind}  ·  {}", us_date(d.date)));
        fields(
            doc,
            &[
                ("Outcome", words(&d.outcome)),
                ("Clinician", d.clinician.clone()),
                (
                    "Prescriber",
                    d.prescriber_id
                        .map(|p| prescriber(r, p))
                        .unwrap_or_default(),
                ),
                ("Duration", format!("{} minutes", d.duration_minutes)),
                ("Notes", d.notes.clone()),
            ],
        );
        let count = i.screenings.len();
        for (n, s) in i.screenings.iter().enumerate() {
            let state = if n + 1 == count {
                "in force"
            } else {
                "superseded by a later screening"
            };
            minor(
                doc,
                &format!(
                    "Contraindication screening of {} ({state})",
                    us_date(s.screened_on)
                ),
            );
            let rows = s
                .answers
                .iter()
                .map(|a| {
                    vec![
                        a.label.clone(),
                        words(&a.answer),
                        a.note.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            let details = s
                .answers
                .iter()
                .map(|a| match &a.override_ {
                    Some(o) => format!(
                        "Override by {} on {}: {}",
                        a.override_by
                            .clone()
                            .unwrap_or_else(|| prescriber(r, o.prescriber_id)),
                        us_date(o.date),
                        o.rationale
                    ),
                    None => String::new(),
                })
                .collect();
            table(
                doc,
                vec![
                    Column::new("Contraindication", Width::Flex(1.2), Align::Left),
                    Column::new("Answer", Width::Fixed(64.0), Align::Left),
                    Column::new("Note", Width::Flex(1.0), Align::Left),
                ],
                rows,
                details,
            );
        }
    }
}

fn consents_part(doc: &mut Doc, r: &ClientRecord) {
    section(doc, "Consents");
    if r.consents.is_empty() {
        none(doc, "No signed consent is recorded.");
        return;
    }
    let rows = r
        .consents
        .iter()
        .map(|c| {
            vec![
                us_date(c.details.signed_on),
                format!("Version {}", c.details.form_version),
                c.details.typed_name.clone(),
                c.details.witness.clone(),
            ]
        })
        .collect();
    table(
        doc,
        vec![
            Column::new("Signed on", Width::Fixed(84.0), Align::Left),
            Column::new("Form", Width::Fixed(66.0), Align::Left),
            Column::new("Signed as", Width::Flex(1.0), Align::Left),
            Column::new("Witness", Width::Flex(1.0), Align::Left),
        ],
        rows,
        Vec::new(),
    );
}

fn prescriptions_part(doc: &mut Doc, r: &ClientRecord) {
    section(doc, "Prescriptions");
    if r.prescriptions.is_empty() {
        none(doc, "No prescriptions are recorded.");
        return;
    }
    prescriptions_table(doc, &r.prescriptions, true);
}

/// The prescriptions, oldest first: date, medication, quantity and prescriber (and with
/// `with_supply`, the pharmacy and the cost), the directions beneath each.
pub(super) fn prescriptions_table(
    doc: &mut Doc,
    prescriptions: &[Prescription],
    with_supply: bool,
) {
    let rows = prescriptions
        .iter()
        .map(|p| {
            let d = &p.details;
            let mut row = vec![
                us_date(d.date),
                format!(
                    "{}, {} mg {}",
                    p.medication,
                    d.strength_mg,
                    d.formulation.label()
                ),
                d.quantity.to_string(),
                p.prescriber.clone(),
            ];
            if with_supply {
                row.extend([d.pharmacy.clone(), d.cost.to_string()]);
            }
            row
        })
        .collect();
    let details = prescriptions
        .iter()
        .map(|p| format!("Directions: {}", p.details.directions))
        .collect();
    let mut columns = vec![
        Column::new("Date", Width::Fixed(72.0), Align::Left),
        Column::new("Medication", Width::Flex(1.3), Align::Left),
        Column::new("Qty", Width::Fixed(32.0), Align::Right),
        Column::new("Prescriber", Width::Flex(1.0), Align::Left),
    ];
    if with_supply {
        columns.extend([
            Column::new("Pharmacy", Width::Flex(1.0), Align::Left),
            Column::new("Cost", Width::Fixed(62.0), Align::Right),
        ]);
    }
    table(doc, columns, rows, details);
}

fn sessions_part(doc: &mut Doc, r: &ClientRecord) {
    section(doc, "Appointments and session notes");
    if r.sessions.is_empty() {
        none(doc, "No appointments are recorded.");
    }
    for s in &r.sessions {
        let a = &s.appointment;
        let when = format!(
            "{}, {}–{}",
            a.starts_local.format("%a, %b %-d, %Y"),
            clock(a.starts_local.time()),
            clock(a.ends_local.time())
        );
        subheading(doc, &format!("{}  ·  {when}", a.kind.label()));
        let location = match &a.location_note {
            Some(n) if !n.trim().is_empty() => format!("{}; {n}", words(&a.location)),
            _ => words(&a.location),
        };
        fields(
            doc,
            &[
                ("Status", words(&a.status)),
                (
                    "Attendance",
                    s.attendance.map(|a| words(&a)).unwrap_or_default(),
                ),
                ("Length", format!("{} minutes", a.duration_minutes)),
                ("Location", location),
                // A group session's appointment notes are the group's and may name
                // other members; this record holds only the client's own.
                (
                    "Appointment notes",
                    if a.kind.is_group() {
                        String::new()
                    } else {
                        a.notes.clone()
                    },
                ),
            ],
        );
        match &s.note {
            Some(n) => note(doc, r.tz, n),
            None if a.status == AppointmentStatus::Completed => {
                field(doc, "Session note", "No note was written.");
            }
            None => {}
        }
    }
}

fn note(doc: &mut Doc, tz: Tz, n: &SessionNote) {
    let state = match n.signed_at {
        Some(t) => format!("signed {}", local_time(tz, t)),
        None => "draft, not signed".into(),
    };
    minor(doc, &format!("Session note ({state})"));
    match &n.body {
        NoteBody::FreeText { text } => field(doc, "Note", text),
        NoteBody::Integration(i) => fields(
            doc,
            &[
                ("What came up", i.what_came_up.clone()),
                ("Themes", i.themes.clone()),
                ("Commitments", i.commitments.clone()),
            ],
        ),
        NoteBody::Kap(k) => {
            let d = &k.dose;
            let mut dose = Vec::new();
            if let (Some(count), Some(mg)) = (d.count, d.strength_mg) {
                let form = d
                    .formulation
                    .map(|f| format!(" {}", f.label()))
                    .unwrap_or_default();
                dose.push(format!("{count} × {mg} mg{form}"));
            }
            if let Some(t) = d.taken_at {
                dose.push(format!("taken at {}", clock(t)));
            }
            if let Some(b) = d.booster_mg {
                let at = d
                    .booster_at
                    .map(|t| format!(" at {}", clock(t)))
                    .unwrap_or_default();
                dose.push(format!("booster {b} mg{at}"));
            }
            if let Some(total) = n.total_mg {
                dose.push(format!("total {total} mg"));
            }
            let journey = match (k.journey_start, k.journey_end) {
                (Some(s), Some(e)) => format!("{}–{}", clock(s), clock(e)),
                (Some(s), None) => format!("from {}", clock(s)),
                _ => String::new(),
            };
            let ae = &k.adverse_events;
            let mut events = ae.ticked().join(", ");
            if !ae.other.trim().is_empty() {
                events = [events, ae.other.trim().to_owned()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
            }
            if events.is_empty() {
                events = "None recorded".into();
            }
            let dc = &k.discharge;
            let mut discharge = Vec::new();
            if let Some(t) = dc.at {
                discharge.push(format!("at {}", clock(t)));
            }
            for (on, name) in [
                (dc.alert, "alert"),
                (dc.steady_gait, "steady gait"),
                (dc.vitals_near_baseline, "vitals near baseline"),
                (dc.escort_present, "escort present"),
            ] {
                discharge.push(format!("{name}: {}", yes_no(on).to_lowercase()));
            }
            fields(
                doc,
                &[
                    ("Intention", k.intention.clone()),
                    ("Vitals before", vitals(&k.pre_check.vitals)),
                    (
                        "Last meal",
                        k.pre_check.last_meal_at.map(clock).unwrap_or_default(),
                    ),
                    ("Ride home arranged", yes_no(k.pre_check.ride_home_arranged)),
                    ("Health changes", k.pre_check.health_changes.clone()),
                    (
                        "Decision on the dose",
                        match k.hold_decision {
                            Some(crate::notes::HoldDecision::Held) => "Held".to_owned(),
                            Some(crate::notes::HoldDecision::Proceeded) => {
                                format!("Went ahead: {}", k.hold_reason.trim())
                            }
                            None => String::new(),
                        },
                    ),
                    ("Dose", dose.join(", ")),
                    ("Why stronger than prescribed", k.dose_reason.clone()),
                    ("Pharmacy lot", d.pharmacy_lot.clone()),
                    (
                        "Meditation, breathing",
                        format!(
                            "{}, {}",
                            yes_no(k.meditation_done),
                            yes_no(k.breathing_done).to_lowercase()
                        ),
                    ),
                    ("Journey", journey),
                    (
                        "About 40 minutes after the dose",
                        k.peak_at
                            .map(|t| format!("{} at {}", vitals(&k.peak_vitals), clock(t)))
                            .unwrap_or_default(),
                    ),
                    ("Observations", k.observations.clone()),
                    ("Adverse events", events),
                    ("Action taken", ae.action_taken.clone()),
                    ("Vitals after", vitals(&k.post_vitals)),
                    ("Discharge", discharge.join(", ")),
                    ("Integration notes", k.integration_notes.clone()),
                ],
            );
        }
    }
    if !n.warnings.is_empty() {
        field(doc, "Flags", &n.warnings.join("\n"));
    }
    for (i, a) in n.amendments.iter().enumerate() {
        field(
            doc,
            &format!("Amendment {} · {}", i + 1, local_time(tz, a.created_at)),
            &a.text,
        );
    }
}

/// The heading of the process notes' section: they are never in a record by default.
pub const PROCESS_NOTES_HEADING: &str =
    "Psychotherapy (process) notes — included at the therapist's explicit choice";

fn process_notes_part(doc: &mut Doc, tz: Tz, notes: &[RecordProcessNote]) {
    section(doc, PROCESS_NOTES_HEADING);
    doc.paragraph(
        body().ink(Ink::Muted),
        "Private process notes (psychotherapy notes, 45 CFR 164.501) are kept apart from \
         the record and left out of it unless the therapist includes them for one copy, \
         as here. Including them is recorded in the practice's audit log.",
    );
    if notes.is_empty() {
        none(doc, "No process notes are recorded.");
    }
    for n in notes {
        let local = n.starts_at.with_timezone(&tz);
        subheading(
            doc,
            &format!(
                "{}  ·  {}, {}",
                n.session,
                local.format("%a, %b %-d, %Y"),
                clock(local.time())
            ),
        );
        field(doc, "Process notes", &n.body);
        field(doc, "Last written", &local_time(tz, n.updated_at));
    }
}

fn follow_ups_part(doc: &mut Doc, r: &ClientRecord) {
    section(doc, "Follow-ups");
    if r.follow_ups.is_empty() {
        none(doc, "No follow-ups are recorded.");
        return;
    }
    let rows = r
        .follow_ups
        .iter()
        .map(|f| {
            vec![
                us_date(f.due_on),
                words(&f.kind),
                words(&f.status),
                f.note.clone(),
            ]
        })
        .collect();
    let details = r
        .follow_ups
        .iter()
        .map(|f| {
            f.drop_reason
                .as_ref()
                .map(|d| format!("Dropped because: {d}"))
                .unwrap_or_default()
        })
        .collect();
    table(
        doc,
        vec![
            Column::new("Due", Width::Fixed(80.0), Align::Left),
            Column::new("Kind", Width::Fixed(130.0), Align::Left),
            Column::new("Status", Width::Fixed(60.0), Align::Left),
            Column::new("Note", Width::Flex(1.0), Align::Left),
        ],
        rows,
        details,
    );
}

fn measures_part(doc: &mut Doc, r: &ClientRecord) {
    section(doc, "Outcome measures");
    if r.measures.is_empty() {
        none(doc, "No questionnaires are recorded.");
    } else {
        let rows = r
            .measures
            .iter()
            .map(|m| {
                let score = match (m.struck_at, m.score.total, m.score.band) {
                    (Some(_), _, _) => "Struck out".to_owned(),
                    (None, Some(t), Some(b)) => format!("{t} · {}", b.label()),
                    _ => format!(
                        "Incomplete ({} of {} answered)",
                        m.score.answered,
                        m.answers.len()
                    ),
                };
                vec![
                    us_date(m.taken_on),
                    m.instrument.name().to_owned(),
                    score,
                    if m.score.safety_flag {
                        "Item 9 above 0"
                    } else {
                        ""
                    }
                    .to_owned(),
                    words(&m.source),
                ]
            })
            .collect();
        let details = r
            .measures
            .iter()
            .map(|m| {
                m.strike_reason
                    .as_ref()
                    .map(|why| format!("Struck out because: {why}"))
                    .unwrap_or_default()
            })
            .collect();
        table(
            doc,
            vec![
                Column::new("Date", Width::Fixed(80.0), Align::Left),
                Column::new("Questionnaire", Width::Fixed(80.0), Align::Left),
                Column::new("Score", Width::Flex(1.0), Align::Left),
                Column::new("Flag", Width::Fixed(90.0), Align::Left),
                Column::new("Entered", Width::Fixed(90.0), Align::Left),
            ],
            rows,
            details,
        );
    }
    if r.safety.is_empty() {
        return;
    }
    section(doc, "Safety assessments");
    safety_table(doc, r.tz, &r.safety);
}

/// PHQ-9 item 9 flags: the questionnaire's date, the answer, when the safety assessment
/// was documented and the risk level, its plan and who was consulted beneath.
pub(super) fn safety_table(doc: &mut Doc, tz: Tz, flags: &[crate::measures::safety::SafetyFlag]) {
    let rows = flags
        .iter()
        .map(|f| {
            let (when, risk) = match &f.assessment {
                Some(a) => (
                    crate::appointments::time::us_datetime(
                        a.assessed_at.with_timezone(&tz).naive_local(),
                    ),
                    words(&a.risk_level),
                ),
                None => ("Not yet documented".to_owned(), String::new()),
            };
            vec![
                us_date(f.taken_on),
                format!("Item 9: {}", f.item9),
                when,
                risk,
            ]
        })
        .collect();
    let details = flags
        .iter()
        .map(|f| {
            f.assessment
                .as_ref()
                .map(|a| format!("Plan: {}\nConsulted: {}", a.plan, a.consulted))
                .unwrap_or_default()
        })
        .collect();
    table(
        doc,
        vec![
            Column::new("PHQ-9 of", Width::Fixed(80.0), Align::Left),
            Column::new("Answer", Width::Fixed(70.0), Align::Left),
            Column::new("Safety assessment", Width::Flex(1.0), Align::Left),
            Column::new("Risk", Width::Fixed(80.0), Align::Left),
        ],
        rows,
        details,
    );
}

fn billing_part(doc: &mut Doc, r: &ClientRecord) {
    let l = &r.ledger;
    section(doc, "Invoices");
    if l.invoices.is_empty() {
        none(doc, "No invoices have been issued.");
    } else {
        let rows = l
            .invoices
            .iter()
            .map(|i| {
                vec![
                    i.number.clone(),
                    us_date(i.issued_on),
                    i.status.label().into(),
                    i.total.to_string(),
                    i.paid.to_string(),
                    i.balance.to_string(),
                ]
            })
            .collect();
        let details = l
            .invoices
            .iter()
            .map(|i| {
                let mut lines: Vec<String> = i
                    .lines
                    .iter()
                    .map(|c| {
                        format!(
                            "{}  ·  {}  ·  {}",
                            us_date(c.service_date),
                            c.description,
                            money_if(c.amount)
                        )
                    })
                    .collect();
                if let Some(reason) = &i.void_reason {
                    lines.push(format!("Voided: {reason}"));
                }
                lines.join("\n")
            })
            .collect();
        table(
            doc,
            vec![
                Column::new("Invoice", Width::Fixed(70.0), Align::Left),
                Column::new("Issued", Width::Flex(1.0), Align::Left),
                Column::new("Status", Width::Fixed(56.0), Align::Left),
                Column::new("Total", Width::Fixed(74.0), Align::Right),
                Column::new("Paid", Width::Fixed(74.0), Align::Right),
                Column::new("Balance", Width::Fixed(74.0), Align::Right),
            ],
            rows,
            details,
        );
    }

    if !l.uninvoiced.is_empty() {
        minor(doc, "Charges not yet invoiced");
        let rows = l
            .uninvoiced
            .iter()
            .map(|c| {
                vec![
                    us_date(c.service_date),
                    c.description.clone(),
                    money_if(c.usual),
                    money_if(c.amount),
                ]
            })
            .collect();
        table(
            doc,
            vec![
                Column::new("Date", Width::Fixed(80.0), Align::Left),
                Column::new("Description", Width::Flex(1.0), Align::Left),
                Column::new("Usual fee", Width::Fixed(80.0), Align::Right),
                Column::new("Amount", Width::Fixed(80.0), Align::Right),
            ],
            rows,
            Vec::new(),
        );
    }

    section(doc, "Payments");
    if l.payments.is_empty() {
        none(doc, "No payments have been recorded.");
    } else {
        let rows = l
            .payments
            .iter()
            .map(|p| {
                vec![
                    us_date(p.paid_on),
                    p.invoice_number.clone(),
                    match &p.reversal {
                        None => p.method.label().to_owned(),
                        Some(r) => format!(
                            "{} (reversed {}: {})",
                            p.method.label(),
                            us_date(r.reversed_on),
                            r.reason
                        ),
                    },
                    p.amount.to_string(),
                ]
            })
            .collect();
        table(
            doc,
            vec![
                Column::new("Date", Width::Fixed(90.0), Align::Left),
                Column::new("Invoice", Width::Flex(1.0), Align::Left),
                Column::new("Method", Width::Flex(1.0), Align::Left),
                Column::new("Amount", Width::Fixed(90.0), Align::Right),
            ],
            rows,
            Vec::new(),
        );
    }
    doc.gap(12.0);
    parts::totals(
        doc,
        &[
            (
                "Not yet invoiced",
                l.uninvoiced_total.to_string(),
                Weight::Normal,
            ),
            ("Balance due", l.balance.to_string(), Weight::Prominent),
        ],
    );
}
