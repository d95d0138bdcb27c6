//! Session notes: a note (reading a written one is a `view` in the audit log), saving the
//! note unsigned (`save_note_draft`: the note itself, in `session_note`, not a form draft),
//! signing, and amendments to a signed note.

use crate::dto::{AmendRequest, NoteKey, NoteView, RecordId, SaveNoteRequest};
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::notes::{self, SessionNote};
use tauri::State;

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
    state.write(|w, _| {
        let id = notes::save_draft(w, appointment_id, client_id, body)?;
        notes::get_by_id(w.conn(), id)
    })
}

#[tauri::command(async)]
pub fn sign_note(state: State<'_, AppState>, req: Req<RecordId>) -> WireResult<SessionNote> {
    let id = req.0.id;
    state.write(|w, _| {
        notes::sign(w, id)?;
        notes::get_by_id(w.conn(), id)
    })
}

#[tauri::command(async)]
pub fn amend_note(state: State<'_, AppState>, req: Req<AmendRequest>) -> WireResult<SessionNote> {
    let AmendRequest { id, text } = req.0;
    state.write(|w, _| {
        notes::amend(w, id, &text)?;
        notes::get_by_id(w.conn(), id)
    })
}

/// A session's private process notes for one client, if any were written.
#[tauri::command(async)]
pub fn get_process_note(
    state: State<'_, AppState>,
    req: Req<NoteKey>,
) -> WireResult<Option<kap_practice::notes::process::ProcessNote>> {
    let NoteKey {
        appointment_id,
        client_id,
    } = req.0;
    state.read(|c, _| kap_practice::notes::process::get(c, appointment_id, client_id))
}

/// Saves a session's private process notes for one client.
#[tauri::command(async)]
pub fn save_process_note(
    state: State<'_, AppState>,
    req: Req<crate::dto::SaveProcessNote>,
) -> WireResult<kap_practice::notes::process::ProcessNote> {
    let crate::dto::SaveProcessNote {
        appointment_id,
        client_id,
        body,
    } = req.0;
    state.write(|w, _| kap_practice::notes::process::save(w, appointment_id, client_id, &body))
}
