//! The KAP course summary for the collaborating prescriber: who the client is, any PHQ-9
//! item 9 flags and their safety assessments, the prescriptions, each KAP session's dose,
//! vitals (before the dose, about 40 minutes after it, at discharge), journey time and
//! adverse events with what the course's rules noted, and the questionnaires as small
//! charts (severity bands shaded, KAP sessions marked) and a table.
//!
//! [`crate::export::load_prescriber_summary`] reads it; [`render_prescriber_summary`] is
//! pure. The charts are drawn in one ink on pale bands, so they read the same printed in
//! grey. The PDF's metadata holds no client data (its title is "KAP course summary").

use super::layout::{self, Align, Column, Doc, Ink, Meta, Style, Width, LEFT, RIGHT};
use super::parts::{self, us_date, Entry};
use super::record::{field, none, prescriptions_table, safety_table, section, table, words};
use super::PracticeHeader;
use crate::clients::Client;
use crate::measures::course::{Course, CourseSession, Series};
use crate::measures::rules::HoldThreshold;
use crate::measures::safety::SafetyFlag;
use crate::measures::Measure;
use crate::notes::Vitals;
use crate::prescriptions::Prescription;
use crate::Result;
use chrono::NaiveDate;
use chrono_tz::Tz;

/// Everything the summary shows.
#[derive(Debug, Clone)]
pub struct PrescriberSummary {
    pub practice: PracticeHeader,
    pub tz: Tz,
    pub prepared_on: NaiveDate,
    pub client: Client,
    /// Oldest first.
    pub prescriptions: Vec<Prescription>,
    pub course: Course,
    /// Complete and incomplete questionnaires that are not struck out, oldest first.
    pub measures: Vec<Measure>,
    /// PHQ-9 item 9 flags, with their safety assessments.
    pub safety: Vec<SafetyFlag>,
    pub hold: HoldThreshold,
}

/// A reading as "128/82 · 71", or a dash.
fn reading(v: Option<&Vitals>) -> String {
    match v {
        Some(Vitals {
            systolic: Some(s),
            diastolic: Some(d),
            heart_rate,
        }) => match heart_rate {
            Some(hr) => format!("{s}/{d} · {hr}"),
            None => format!("{s}/{d}"),
        },
        _ => "—".to_owned(),
    }
}

/// Renders the summary; returns the PDF's bytes and its page count.
///
/// # Errors
/// `Error::Internal` if the document cannot be rendered (a defect, never bad input).
pub fn render_prescriber_summary(s: &PrescriberSummary) -> Result<(Vec<u8>, usize)> {
    let fonts = layout::fonts()?;
    let number = format!("{:06}", s.client.id);
    let mut doc = Doc::new(
        fonts,
        &format!(
            "Confidential — contains protected health information  ·  KAP course summary, client {number}"
        ),
    );
    doc.set_running_head(&format!(
        "KAP course summary, client {number} (continued)  ·  {}",
        s.client.details.legal_name
    ));
    let right = [
        Entry::new(Style::bold(18.0), "KAP course summary"),
        Entry::new(Style::regular(10.0).ink(Ink::Muted), "For the prescriber").after(2.0),
        Entry::new(
            Style::regular(10.0).ink(Ink::Muted),
            format!("Client no. {number}"),
        )
        .after(2.0),
        Entry::new(
            Style::regular(10.0).ink(Ink::Muted),
            format!("Prepared {}", us_date(s.prepared_on)),
        ),
    ];
    parts::letterhead(&mut doc, &s.practice, &right, false);
    identity(&mut doc, s);
    safety_part(&mut doc, s);
    prescriptions_part(&mut doc, s);
    sessions_part(&mut doc, s);
    measures_part(&mut doc, s);

    doc.gap(20.0);
    doc.paragraph(
        Style::regular(8.5).ink(Ink::Muted),
        &format!(
            "Blood pressure in mmHg · heart rate per minute. The practice's hold threshold before a dose is {}/{}. \
             Prepared from the practice's record; the copy is recorded in its audit log.",
            s.hold.systolic, s.hold.diastolic
        ),
    );
    let pages = doc.page_count();
    let bytes = doc.finish(&Meta {
        title: "KAP course summary",
        author: &s.practice.practice_name,
        date: s.prepared_on,
    })?;
    Ok((bytes, pages))
}

fn identity(doc: &mut Doc, s: &PrescriberSummary) {
    let c = &s.client.details;
    doc.gap(16.0);
    doc.heading(Style::bold(16.0), &c.legal_name, 60.0);
    doc.gap(6.0);
    let dob = c
        .date_of_birth
        .map(|d| match s.client.age {
            Some(age) => format!("{} (age {age})", us_date(d)),
            None => us_date(d),
        })
        .unwrap_or_default();
    let concerns = c
        .presenting_concerns
        .iter()
        .map(words)
        .collect::<Vec<_>>()
        .join(", ");
    let held = s.course.sessions.iter().filter(|x| x.note_signed).count();
    let booked = s.course.sessions.len();
    let course = format!(
        "{held} KAP session{} documented of {} planned ({booked} booked or held)",
        if held == 1 { "" } else { "s" },
        s.course.planned_sessions
    );
    let prescriber = s
        .prescriptions
        .last()
        .map(|p| p.prescriber.clone())
        .unwrap_or_default();
    for (label, value) in [
        ("Legal name", c.legal_name.clone()),
        (
            "Preferred name",
            c.preferred_name.clone().unwrap_or_default(),
        ),
        ("Date of birth", dob),
        ("Presenting concerns", concerns),
        ("Prescriber", prescriber),
        ("Course", course),
    ] {
        field(doc, label, &value);
    }
}

fn safety_part(doc: &mut Doc, s: &PrescriberSummary) {
    section(doc, "Safety flags");
    if s.safety.is_empty() {
        none(
            doc,
            "No PHQ-9 has item 9 (thoughts of being better off dead or of self-harm) answered above 0.",
        );
        return;
    }
    safety_table(doc, s.tz, &s.safety);
}

fn prescriptions_part(doc: &mut Doc, s: &PrescriberSummary) {
    section(doc, "Prescriptions");
    if s.prescriptions.is_empty() {
        none(doc, "No prescriptions are recorded.");
        return;
    }
    prescriptions_table(doc, &s.prescriptions, false);
}

fn dose(x: &CourseSession) -> String {
    if x.held {
        return "Held".to_owned();
    }
    match (x.dose_mg, x.booster_mg) {
        (Some(mg), Some(b)) => format!("{mg} (incl. {b} booster)"),
        (Some(mg), None) => mg.to_string(),
        _ => "—".to_owned(),
    }
}

fn sessions_part(doc: &mut Doc, s: &PrescriberSummary) {
    section(doc, "KAP sessions");
    if s.course.sessions.is_empty() {
        none(doc, "No KAP session is booked or held yet.");
        return;
    }
    let rows = s
        .course
        .sessions
        .iter()
        .map(|x| {
            vec![
                x.number.to_string(),
                us_date(x.day),
                dose(x),
                reading(x.pre_vitals.as_ref()),
                reading(x.peak_vitals.as_ref()),
                reading(x.post_vitals.as_ref()),
                x.journey_minutes
                    .map(|m| format!("{m} min"))
                    .unwrap_or_else(|| "—".to_owned()),
                if x.adverse_events.is_empty() {
                    if x.note_signed {
                        "None".to_owned()
                    } else {
                        "—".to_owned()
                    }
                } else {
                    x.adverse_events.join(", ")
                },
            ]
        })
        .collect();
    let details = s
        .course
        .sessions
        .iter()
        .map(|x| {
            let mut d = Vec::new();
            if !x.note_signed {
                d.push(
                    if x.dose_mg.is_some() || x.pre_vitals.is_some() {
                        "Note not signed yet."
                    } else {
                        "No note yet."
                    }
                    .to_owned(),
                );
            }
            d.extend(x.warnings.iter().cloned());
            d.join("\n")
        })
        .collect();
    table(
        doc,
        vec![
            Column::new("#", Width::Fixed(18.0), Align::Right),
            Column::new("Date", Width::Fixed(68.0), Align::Left),
            Column::new("Dose mg", Width::Fixed(48.0), Align::Left),
            Column::new("Before", Width::Fixed(66.0), Align::Left),
            Column::new("~40 min", Width::Fixed(66.0), Align::Left),
            Column::new("Discharge", Width::Fixed(66.0), Align::Left),
            Column::new("Journey", Width::Fixed(46.0), Align::Left),
            Column::new("Adverse events", Width::Flex(1.0), Align::Left),
        ],
        rows,
        details,
    );
}

fn measures_part(doc: &mut Doc, s: &PrescriberSummary) {
    section(doc, "Outcome measures");
    if s.measures.is_empty() {
        none(doc, "No questionnaires are recorded.");
        return;
    }
    // One span of dates for every chart, so they line up one under another.
    let days: Vec<NaiveDate> = s
        .course
        .series
        .iter()
        .flat_map(|x| x.points.iter().map(|p| p.taken_on))
        .chain(s.course.sessions.iter().map(|x| x.day))
        .collect();
    if let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) {
        for series in &s.course.series {
            chart(doc, series, &s.course.sessions, (first, last));
        }
    }
    doc.gap(6.0);
    let rows = s
        .measures
        .iter()
        .map(|m| {
            let (total, band) = match (m.score.total, m.score.band) {
                (Some(t), Some(b)) => (t.to_string(), b.label().to_owned()),
                _ => (
                    "—".to_owned(),
                    format!(
                        "Incomplete ({} of {} answered)",
                        m.score.answered,
                        m.answers.len()
                    ),
                ),
            };
            let change = m
                .change
                .as_ref()
                .map(|c| {
                    let mut t = format!("{:+} from {}", c.delta, c.baseline);
                    if c.remission == Some(true) {
                        t.push_str(", remission");
                    } else if c.response {
                        t.push_str(", response");
                    } else if c.clinically_meaningful == Some(true) {
                        t.push_str(", meaningful");
                    }
                    t
                })
                .unwrap_or_default();
            vec![
                us_date(m.taken_on),
                m.instrument.name().to_owned(),
                total,
                band,
                change,
                if m.score.safety_flag {
                    "Item 9 > 0"
                } else {
                    ""
                }
                .to_owned(),
            ]
        })
        .collect();
    table(
        doc,
        vec![
            Column::new("Date", Width::Fixed(72.0), Align::Left),
            Column::new("Questionnaire", Width::Fixed(72.0), Align::Left),
            Column::new("Total", Width::Fixed(36.0), Align::Right),
            Column::new("Severity", Width::Flex(1.0), Align::Left),
            Column::new("Change", Width::Flex(1.0), Align::Left),
            Column::new("Flag", Width::Fixed(58.0), Align::Left),
        ],
        rows,
        Vec::new(),
    );
}

/// Text centred on `x`, its baseline at `y`.
fn centered(d: &mut Doc, x: f32, y: f32, style: Style, text: &str) {
    let w = d.fonts().width(style, text);
    d.text_at(x - w / 2.0, y, style, text, Align::Left);
}

const CHART_H: f32 = 62.0;
/// Room for the title above the plot and the session marks and dates below it.
const CHART_TITLE: f32 = 18.0;
const CHART_FOOT: f32 = 20.0;

/// One instrument's totals over `span`: its severity bands shaded in turn, the KAP
/// sessions as thin marks (numbered while there are few), the totals as a line.
fn chart(doc: &mut Doc, series: &Series, sessions: &[CourseSession], span: (NaiveDate, NaiveDate)) {
    let height = CHART_TITLE + CHART_H + CHART_FOOT + 8.0;
    let small = Style::regular(6.5).ink(Ink::Muted);
    let (start, end) = span;
    let days = ((end - start).num_days()).max(1) as f32;
    doc.block(|d, top| {
        let x0 = LEFT + 22.0;
        let x1 = RIGHT - 92.0;
        let y0 = top + CHART_TITLE;
        let y1 = y0 + CHART_H;
        let max = series.max_total.max(1) as f32;
        let y_of = |total: u32| y1 - total as f32 / max * CHART_H;
        let x_of = |day: NaiveDate| x0 + (day - start).num_days() as f32 / days * (x1 - x0);
        d.text_at(
            LEFT,
            top + 9.0,
            Style::bold(8.5),
            &format!("{} (0–{})", series.instrument.name(), series.max_total),
            Align::Left,
        );
        // Bands, lowest first: every other one shaded; each named at the right.
        for (i, (band, low)) in series.bands.iter().enumerate() {
            let high = series
                .bands
                .get(i + 1)
                .map(|(_, next)| *next)
                .unwrap_or(series.max_total + 1);
            let (yt, yb) = (y_of(high.min(series.max_total + 1)), y_of(*low));
            let yt = yt.max(y0);
            if i % 2 == 1 {
                d.fill(x0, yt, x1 - x0, yb - yt, Ink::Shade);
            }
            if *low > 0 {
                d.line(x0, x1, yb, 0.4, Ink::Hairline);
            }
            d.text_at(
                x1 + 4.0,
                (yt + yb) / 2.0 + 2.3,
                small,
                &format!("{} ({low}+)", band.label()),
                Align::Left,
            );
        }
        d.path(vec![(x0, y0), (x0, y1), (x1, y1)], 0.6, Ink::Rule);
        d.text_at(x0 - 3.0, y1 + 2.3, small, "0", Align::Right);
        d.text_at(
            x0 - 3.0,
            y0 + 2.3,
            small,
            &series.max_total.to_string(),
            Align::Right,
        );
        // KAP sessions.
        let numbered = sessions.len() <= 16;
        for x in sessions {
            let at = x_of(x.day);
            d.path(vec![(at, y0), (at, y1)], 0.5, Ink::Rule);
            if numbered {
                centered(d, at, y1 + 8.5, small, &format!("K{}", x.number));
            }
        }
        d.text_at(x0, y1 + 17.0, small, &us_date(start), Align::Left);
        d.text_at(x1, y1 + 17.0, small, &us_date(end), Align::Right);
        // The totals.
        let points: Vec<(f32, f32)> = series
            .points
            .iter()
            .map(|p| (x_of(p.taken_on), y_of(p.total)))
            .collect();
        d.path(points.clone(), 1.4, Ink::Accent);
        let labelled = series.points.len() <= 14;
        for (p, (x, y)) in series.points.iter().zip(points) {
            d.fill(x - 1.8, y - 1.8, 3.6, 3.6, Ink::Accent);
            if labelled {
                // Above the point, or below it where the top of the plot is near.
                let baseline = if y - 9.0 < y0 { y + 9.0 } else { y - 3.5 };
                centered(d, x, baseline, small.ink(Ink::Text), &p.total.to_string());
            }
        }
        height
    });
}
