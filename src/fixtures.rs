//! One client's long KAP course, for the course view's benchmark (`benches/decade.rs`, on
//! top of the demo practice: `crate::demo`) and the export tests. The app never calls
//! this; it only writes through the same store the app writes through.

use crate::audit::{Action, EntityKind};
use crate::error::Result;
use crate::store::Writer;
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, TimeZone, Utc};
use rusqlite::params;

/// Ten years of one client's KAP course: `sessions` KAP sessions (one a fortnight from
/// 2016-12-05, in the KAP room, completed, each with a signed KAP note: dose, journey,
/// vitals) and `questionnaires` PHQ-9s and GAD-7s in turn (one a week from 2016-12-01),
/// recorded through the core. What the course view's benchmark reads.
pub fn fill_course(
    w: &mut Writer<'_>,
    client_id: i64,
    sessions: i64,
    questionnaires: i64,
    today: NaiveDate,
) -> Result<()> {
    use crate::measures::{self, Instrument, MeasureInput, MeasureSource};
    use crate::notes::{KapNote, NoteBody, Vitals};
    let Some(start) = Utc.with_ymd_and_hms(2016, 12, 5, 15, 0, 0).single() else {
        return Err(crate::error::Error::Internal("the course's first day"));
    };
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Micros, true);
    let time = |h: u32, m: u32| chrono::NaiveTime::from_hms_opt(h, m, 0);
    for n in 0..sessions {
        let at = start + Duration::days(n * 14);
        let end = at + Duration::minutes(180);
        w.conn().execute(
            "INSERT INTO appointment (kind, starts_at, ends_at, duration_minutes, location, status,
                notes, created_at, updated_at)
             VALUES ('kap_session', ?1, ?2, 180, 'kap_room', 'completed', '', ?1, ?1)",
            params![stamp(at), stamp(end)],
        )?;
        let id = w.conn().last_insert_rowid();
        w.conn().execute(
            "INSERT INTO appointment_attendee (appointment_id, client_id, attendance, note_signed)
             VALUES (?1, ?2, 'attended', 1)",
            params![id, client_id],
        )?;
        let mut note = KapNote {
            intention: "To meet what comes with curiosity.".into(),
            ..Default::default()
        };
        let systolic = 118 + (n % 7) as u32 * 3;
        note.pre_check.vitals = Vitals {
            systolic: Some(systolic),
            diastolic: Some(76 + (n % 5) as u32),
            heart_rate: Some(68 + (n % 9) as u32),
        };
        note.pre_check.ride_home_arranged = true;
        note.dose.strength_mg = Some(100);
        note.dose.count = Some(if n < 3 { 1 } else { 2 });
        note.dose.taken_at = time(10, 20);
        note.journey_start = time(10, 30);
        note.journey_end = time(11, 40);
        note.adverse_events.nausea = n % 6 == 0;
        note.peak_at = time(11, 0);
        note.peak_vitals = Vitals {
            systolic: Some(systolic + 12),
            diastolic: Some(84),
            heart_rate: Some(78),
        };
        note.post_vitals = Vitals {
            systolic: Some(systolic + 6),
            diastolic: Some(80),
            heart_rate: Some(74),
        };
        note.discharge.at = time(13, 0);
        let body = serde_json::to_string(&NoteBody::Kap(Box::new(note)))
            .map_err(|_| crate::error::Error::Internal("a KAP note as JSON"))?;
        w.conn().execute(
            "INSERT INTO session_note (appointment_id, client_id, body, signed_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4, ?4)",
            params![id, client_id, body, stamp(end)],
        )?;
        w.audit(Action::Create, EntityKind::Appointment, id)?;
        let note = w.conn().last_insert_rowid();
        w.audit(Action::Sign, EntityKind::SessionNote, note)?;
    }
    let first = NaiveDate::from_ymd_opt(2016, 12, 1).unwrap_or(today);
    for n in 0..questionnaires {
        let (instrument, items) = if n % 2 == 0 {
            (Instrument::Phq9, 9)
        } else {
            (Instrument::Gad7, 7)
        };
        // Falling from the severe band over the first year, then low with relapses.
        let level = if n < 50 {
            3 - (n / 17) as u8
        } else {
            (n % 3) as u8
        };
        let answers = (0..items)
            .map(|i| Some(if i == 8 { 0 } else { level.min(3) }))
            .collect();
        let input = MeasureInput {
            instrument,
            taken_on: first + Duration::days(n * 18),
            answers,
            difficulty: Some(1),
            appointment_id: None,
        };
        measures::record(w, client_id, input, MeasureSource::Paper, today)?;
    }
    Ok(())
}
