//! Commands for appointments, session notes, follow-ups, the dashboard and the calendar
//! export: adapters over the core, a few lines each.

use crate::dto::*;
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use chrono::Utc;
use kap_practice::appointments::{self, Appointment, AppointmentInput};
use kap_practice::dashboard::{self, Dashboard};
use kap_practice::followups::{self, FollowUp};
use kap_practice::notes::{self, SessionNote};
use kap_practice::{calendar, files, Error};
use std::path::PathBuf;
use tauri::State;

/// Most appointments a client page shows at once.
const CLIENT_APPOINTMENTS: u32 = 200;

#[tauri::command(async)]
pub fn dashboard(state: State<'_, AppState>) -> WireResult<Dashboard> {
    state.with_session(|s| Ok(s.store.read(|c| dashboard::dashboard(c, Utc::now()))?))
}

#[tauri::command(async)]
pub fn list_appointments(
    state: State<'_, AppState>,
    req: Req<DateRange>,
) -> WireResult<Vec<Appointment>> {
    let DateRange { from, to } = req.0;
    if to <= from || (to - from).num_days() > 62 {
        return Err(Error::invalid("to", "Show between one day and two months at a time.").into());
    }
    state.with_session(|s| Ok(s.store.read(|c| appointments::between(c, from, to))?))
}

#[tauri::command(async)]
pub fn client_appointments(
    state: State<'_, AppState>,
    req: Req<ClientId>,
) -> WireResult<Vec<Appointment>> {
    state.with_session(|s| {
        Ok(s.store
            .read(|c| appointments::for_client(c, req.0.id, CLIENT_APPOINTMENTS))?)
    })
}

#[tauri::command(async)]
pub fn get_appointment(state: State<'_, AppState>, req: Req<RecordId>) -> WireResult<Appointment> {
    state.with_session(|s| Ok(s.store.read(|c| appointments::get(c, req.0.id))?))
}

#[tauri::command(async)]
pub fn book_appointment(
    state: State<'_, AppState>,
    req: Req<AppointmentInput>,
) -> WireResult<Appointment> {
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            let id = appointments::book(w, req.0)?;
            appointments::get(w.conn(), id)
        })?)
    })
}

/// What would stop a booking (or a change, with `except`) at its time, asked as the form
/// is filled in; the booking itself checks again.
#[tauri::command(async)]
pub fn check_booking_time(
    state: State<'_, AppState>,
    req: Req<CheckBookingTimeRequest>,
) -> WireResult<Option<String>> {
    let CheckBookingTimeRequest {
        appointment,
        except,
    } = req.0;
    state.with_session(|s| {
        Ok(s.store
            .read(|c| appointments::time_conflict(c, appointment, except))?)
    })
}

#[tauri::command(async)]
pub fn reschedule_appointment(
    state: State<'_, AppState>,
    req: Req<RescheduleRequest>,
) -> WireResult<Appointment> {
    let RescheduleRequest { id, appointment } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            appointments::reschedule(w, id, appointment)?;
            appointments::get(w.conn(), id)
        })?)
    })
}

#[tauri::command(async)]
pub fn set_appointment_status(
    state: State<'_, AppState>,
    req: Req<SetStatusRequest>,
) -> WireResult<Appointment> {
    let SetStatusRequest { id, status } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            appointments::set_status(w, id, status)?;
            appointments::get(w.conn(), id)
        })?)
    })
}

#[tauri::command(async)]
pub fn set_attendance(
    state: State<'_, AppState>,
    req: Req<SetAttendanceRequest>,
) -> WireResult<Appointment> {
    let SetAttendanceRequest {
        id,
        client_id,
        attendance,
    } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            appointments::set_attendance(w, id, client_id, attendance)?;
            appointments::get(w.conn(), id)
        })?)
    })
}

#[tauri::command(async)]
pub fn get_note(state: State<'_, AppState>, req: Req<NoteKey>) -> WireResult<NoteView> {
    let NoteKey {
        appointment_id,
        client_id,
    } = req.0;
    state.with_session(|s| {
        // Reading a written note is a `view` in the audit log.
        let note = notes::open(&s.store, appointment_id, client_id)?;
        let empty = s
            .store
            .read(|c| notes::starting_for(c, appointment_id, client_id))?;
        Ok(NoteView { note, empty })
    })
}

#[tauri::command(async)]
pub fn save_note_draft(
    state: State<'_, AppState>,
    req: Req<SaveNoteRequest>,
) -> WireResult<SessionNote> {
    let SaveNoteRequest {
        appointment_id,
        client_id,
        body,
    } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            let id = notes::save_draft(w, appointment_id, client_id, body)?;
            notes::get_by_id(w.conn(), id)
        })?)
    })
}

#[tauri::command(async)]
pub fn sign_note(state: State<'_, AppState>, req: Req<RecordId>) -> WireResult<SessionNote> {
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            notes::sign(w, req.0.id)?;
            notes::get_by_id(w.conn(), req.0.id)
        })?)
    })
}

#[tauri::command(async)]
pub fn amend_note(state: State<'_, AppState>, req: Req<AmendRequest>) -> WireResult<SessionNote> {
    let AmendRequest { id, text } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            notes::amend(w, id, &text)?;
            notes::get_by_id(w.conn(), id)
        })?)
    })
}

#[tauri::command(async)]
pub fn client_follow_ups(
    state: State<'_, AppState>,
    req: Req<ClientId>,
) -> WireResult<Vec<FollowUp>> {
    state.with_session(|s| Ok(s.store.read(|c| followups::for_client(c, req.0.id))?))
}

#[tauri::command(async)]
pub fn create_follow_up(
    state: State<'_, AppState>,
    req: Req<CreateFollowUpRequest>,
) -> WireResult<Vec<FollowUp>> {
    let CreateFollowUpRequest {
        client_id,
        follow_up,
    } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            followups::create(w, client_id, follow_up)?;
            followups::for_client(w.conn(), client_id)
        })?)
    })
}

#[tauri::command(async)]
pub fn complete_follow_up(state: State<'_, AppState>, req: Req<RecordId>) -> WireResult<()> {
    state.with_session(|s| Ok(s.store.write(|w| followups::complete(w, req.0.id))?))
}

#[tauri::command(async)]
pub fn drop_follow_up(state: State<'_, AppState>, req: Req<DropFollowUpRequest>) -> WireResult<()> {
    let DropFollowUpRequest { id, reason } = req.0;
    state.with_session(|s| {
        Ok(s.store
            .write(|w| followups::drop_with_reason(w, id, &reason))?)
    })
}

#[tauri::command(async)]
pub fn export_schedule(
    state: State<'_, AppState>,
    req: Req<ExportScheduleRequest>,
) -> WireResult<Saved> {
    let ExportScheduleRequest {
        from,
        to,
        include_names,
        path,
    } = req.0;
    state.with_session(|s| {
        let target = PathBuf::from(&path);
        // Through the core's one audited path: an `export` row with the file.
        calendar::save_ics(&s.store, from, to, include_names, &target)?;
        s.saved_files.push(target);
        Ok(Saved { path })
    })
}

/// Where to save a file without asking: only when `KAP_SAVE_DIR` is set (the end-to-end
/// tests, which cannot click a native dialog). Otherwise `None`, and the UI opens the save
/// dialog.
#[tauri::command(async)]
pub fn save_target(req: Req<SaveTargetRequest>) -> WireResult<Option<String>> {
    let name = req.0.file_name;
    if !files::is_safe_file_name(&name) {
        return Err(Error::invalid(
            "file_name",
            "That is not a file name the app would suggest.",
        )
        .into());
    }
    Ok(std::env::var_os("KAP_SAVE_DIR")
        .filter(|d| !d.is_empty())
        .map(|d| PathBuf::from(d).join(&name).display().to_string()))
}
