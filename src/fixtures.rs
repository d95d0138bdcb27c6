//! Generated practices for measuring the app at scale: a decade of a busy practice, as
//! `benches/decade.rs` and `scripts/bench-start` (Home on a decade-size practice) use it.
//! The app never calls this; it only writes through the same store the app writes through.

use crate::audit::{Action, EntityKind};
use crate::clients::{self, ClientInput, ClientStatus};
use crate::error::Result;
use crate::store::Writer;
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, TimeZone, Utc};
use rusqlite::params;

/// A decade of a busy practice: 5,000 clients ...
pub const DECADE_CLIENTS: i64 = 5_000;
/// ... and 60,000 completed appointments, each with a signed note.
pub const DECADE_APPOINTMENTS: i64 = 60_000;

/// Fills an initialised practice with `clients` clients (every fifth completed) through
/// the core, and `appointments` completed appointments with signed notes in bulk, as the
/// app would have stored them: about 16 a week from 2016-12-01, each with its audit rows
/// (and so its content hash), as the app writes one for every booking and every note.
pub fn fill_decade(
    w: &mut Writer<'_>,
    clients: i64,
    appointments: i64,
    today: NaiveDate,
) -> Result<()> {
    for i in 0..clients {
        let mut c = ClientInput::named(&format!("Client {i:05} Álvarez"));
        c.status = if i % 5 == 0 {
            ClientStatus::Completed
        } else {
            ClientStatus::Active
        };
        clients::create(w, c, today)?;
    }
    let Some(start) = Utc.with_ymd_and_hms(2016, 12, 1, 14, 0, 0).single() else {
        return Err(crate::error::Error::Internal("the decade's first day"));
    };
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Micros, true);
    let kinds = ["kap_session", "integration_session", "psychotherapy"];
    for n in 0..appointments {
        // One every ~90 minutes of working time.
        let at = start + Duration::minutes(n * 87);
        let end = at + Duration::minutes(60);
        w.conn().execute(
            "INSERT INTO appointment (kind, starts_at, ends_at, duration_minutes, location, status,
                notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, 60, 'telehealth', 'completed', '', ?2, ?2)",
            params![kinds[(n % 3) as usize], stamp(at), stamp(end)],
        )?;
        let id = w.conn().last_insert_rowid();
        let client = n % clients.max(1) + 1;
        w.conn().execute(
            "INSERT INTO appointment_attendee (appointment_id, client_id, attendance, note_signed)
             VALUES (?1, ?2, 'attended', 1)",
            params![id, client],
        )?;
        let body = r#"{"kind":"free_text","text":"Session note: themes of grief and renewal; commitments reviewed."}"#;
        w.conn().execute(
            "INSERT INTO session_note (appointment_id, client_id, body, signed_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4, ?4)",
            params![id, client, body, stamp(end)],
        )?;
        w.audit(Action::Create, EntityKind::Appointment, id)?;
        let note = w.conn().last_insert_rowid();
        w.audit(Action::Sign, EntityKind::SessionNote, note)?;
    }
    Ok(())
}
