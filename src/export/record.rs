//! Loading one client's complete record for a records request (see
//! [`crate::documents::ClientRecord`], which the documents engine renders).
//!
//! [`load_record`] reads it through the domain modules' own queries. Another client's
//! name never appears: a group session keeps only this client's attendance.

use crate::documents::{
    ClientRecord, PracticeHeader, PrescriberSummary, RecordProcessNote, RecordSession,
};
use crate::{
    appointments, billing, clients, consent, followups, intakes, notes, practice, prescribers,
    prescriptions, Result,
};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::BTreeMap;

/// Reads one client's complete record.
///
/// # Errors
/// `Error::NotFound` for an unknown client.
pub fn load_record(conn: &Connection, client_id: i64, today: NaiveDate) -> Result<ClientRecord> {
    load_record_with(conn, client_id, today, false)
}

/// [`load_record`], with the client's private process notes when `process_notes` (the
/// therapist's explicit choice for one record; the caller audits it).
///
/// # Errors
/// As [`load_record`].
pub fn load_record_with(
    conn: &Connection,
    client_id: i64,
    today: NaiveDate,
    process_notes: bool,
) -> Result<ClientRecord> {
    let client = clients::get(conn, client_id, today)?;
    let settings = practice::get(conn)?;
    let tz = settings.tz();
    let practice = PracticeHeader::from(settings);

    let mut intakes = intakes::for_client(conn, client_id)?;
    intakes.reverse();
    for i in &mut intakes {
        i.screenings.reverse();
    }
    let mut consents = consent::for_client(conn, client_id)?;
    consents.reverse();
    let mut prescriptions = prescriptions::for_client(conn, client_id)?;
    prescriptions.reverse();

    let mut ids: Vec<i64> = intakes
        .iter()
        .filter_map(|i| i.details.prescriber_id)
        .chain(prescriptions.iter().map(|p| p.details.prescriber_id))
        .chain(intakes.iter().flat_map(|i| {
            i.screenings.iter().flat_map(|s| {
                s.answers
                    .iter()
                    .filter_map(|a| a.override_.as_ref().map(|o| o.prescriber_id))
            })
        }))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut names = BTreeMap::new();
    for id in ids {
        names.insert(id, prescribers::get(conn, id)?.display());
    }

    let mut sessions = Vec::new();
    let mut appts = appointments::for_client(conn, client_id, u32::MAX)?;
    appts.reverse();
    for mut appointment in appts {
        // Only this client: a group session's roster is other clients' information.
        appointment.attendees.retain(|a| a.client_id == client_id);
        let attendance = appointment.attendees.first().map(|a| a.attendance);
        let note = notes::get(conn, appointment.id, client_id)?;
        sessions.push(RecordSession {
            appointment,
            attendance,
            note,
        });
    }

    let mut follow_ups = followups::for_client(conn, client_id)?;
    follow_ups.sort_by_key(|f| (f.due_on, f.id));
    let mut ledger = billing::ledger(conn, client_id)?;
    ledger.invoices.reverse();
    ledger.payments.sort_by_key(|p| (p.paid_on, p.id));

    Ok(ClientRecord {
        practice,
        tz,
        prepared_on: today,
        client,
        prescribers: names,
        intakes,
        consents,
        prescriptions,
        sessions,
        follow_ups,
        measures: crate::measures::for_client(conn, client_id)?,
        safety: crate::measures::safety::flags_for_client(conn, client_id)?,
        ledger,
        process_notes: if process_notes {
            Some(load_process_notes(conn, client_id)?)
        } else {
            None
        },
    })
}

/// The client's process notes, each with its session, oldest session first.
fn load_process_notes(conn: &Connection, client_id: i64) -> Result<Vec<RecordProcessNote>> {
    use crate::store::col::time;
    let mut stmt = conn.prepare(
        "SELECT a.starts_at, a.kind, p.body, p.updated_at
         FROM process_note p JOIN appointment a ON a.id = p.appointment_id
         WHERE p.client_id = ?1 ORDER BY a.starts_at, p.id",
    )?;
    let mut rows = stmt.query([client_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind = appointments::AppointmentKind::parse(&r.get::<_, String>(1)?)?;
        out.push(RecordProcessNote {
            starts_at: time(&r.get::<_, String>(0)?)?,
            session: kind.label().to_owned(),
            body: r.get(2)?,
            updated_at: time(&r.get::<_, String>(3)?)?,
        });
    }
    Ok(out)
}

/// Reads the KAP course summary for the client's prescriber: identity, prescriptions,
/// the course, the questionnaires that are not struck out (oldest first) and the safety
/// flags (oldest first).
///
/// # Errors
/// `Error::NotFound` for an unknown client.
pub fn load_prescriber_summary(
    conn: &Connection,
    client_id: i64,
    today: NaiveDate,
) -> Result<PrescriberSummary> {
    let client = clients::get(conn, client_id, today)?;
    let settings = practice::get(conn)?;
    let tz = settings.tz();
    let mut prescriptions = prescriptions::for_client(conn, client_id)?;
    prescriptions.reverse();
    let mut measures: Vec<_> = crate::measures::for_client(conn, client_id)?
        .into_iter()
        .filter(|m| m.struck_at.is_none())
        .collect();
    measures.reverse();
    let mut safety = crate::measures::safety::flags_for_client(conn, client_id)?;
    safety.reverse();
    Ok(PrescriberSummary {
        practice: PracticeHeader::from(settings),
        tz,
        prepared_on: today,
        client,
        prescriptions,
        course: crate::measures::course::for_client(conn, client_id)?,
        measures,
        safety,
        hold: crate::measures::settings::get(conn)?.hold(),
    })
}

/// The letter denying access request `request_id`, dated `today`.
///
/// # Errors
/// `Error::NotFound` for an unknown request; `Error::Conflict` for one not denied.
pub fn load_denial(
    conn: &Connection,
    request_id: i64,
    today: NaiveDate,
) -> Result<crate::documents::AccessDenialDoc> {
    use crate::records::access::{self, AccessStatus};
    let r = access::get(conn, request_id, today)?;
    let (Some(ground), Some(reason)) = (r.denial_ground, r.denial_reason) else {
        return Err(crate::Error::Conflict(
            "Only a denied request has a denial letter: record the denial first.".into(),
        ));
    };
    Ok(crate::documents::AccessDenialDoc {
        practice: PracticeHeader::from(practice::get(conn)?),
        date: today,
        client_name: r.legal_name,
        representative: r.representative,
        received_on: r.received_on,
        access: r.access,
        records: r.records,
        partly: r.status == AccessStatus::PartlyDenied,
        ground,
        reason,
    })
}

/// The client's accounting of disclosures for the six years to `today`.
///
/// # Errors
/// `Error::NotFound` for an unknown client.
pub fn load_accounting(
    conn: &Connection,
    client_id: i64,
    today: NaiveDate,
) -> Result<crate::documents::AccountingDoc> {
    use crate::records::accounting;
    let client = clients::get(conn, client_id, today)?;
    Ok(crate::documents::AccountingDoc {
        practice: PracticeHeader::from(practice::get(conn)?),
        date: today,
        from: accounting::covers_from(today),
        client_name: client.details.legal_name,
        date_of_birth: client.details.date_of_birth,
        lines: accounting::accounting(conn, client_id, today)?,
    })
}

/// Authorization `id` as its form prints it on `today`.
///
/// # Errors
/// `Error::NotFound` for an unknown authorization.
pub fn load_authorization(
    conn: &Connection,
    id: i64,
    today: NaiveDate,
) -> Result<crate::documents::AuthorizationDoc> {
    let a = crate::records::authorization::get(conn, id, today)?;
    let client = clients::get(conn, a.client_id, today)?;
    Ok(crate::documents::AuthorizationDoc {
        practice: PracticeHeader::from(practice::get(conn)?),
        date: today,
        client_name: client.details.legal_name,
        date_of_birth: client.details.date_of_birth,
        discloser: a.discloser,
        recipient: a.recipient,
        information: a.information,
        purpose: a.purpose,
        expires_on: a.expires_on,
        expiry_event: a.expiry_event,
        process_notes: a.process_notes,
        signed_on: a.signed_on,
        representative: a.representative,
        revoked_on: a.revoked_on,
    })
}
