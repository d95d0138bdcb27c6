//! The directory of collaborating prescribers: list, create, update, archive, unarchive.

use crate::dto::{ListPrescribersRequest, RecordId, UpdatePrescriberRequest};
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::prescribers::{self, Prescriber, PrescriberInput};
use tauri::State;

#[tauri::command(async)]
pub fn list_prescribers(
    state: State<'_, AppState>,
    req: Req<ListPrescribersRequest>,
) -> WireResult<Vec<Prescriber>> {
    state.read(|c, _| prescribers::list(c, req.0.include_archived))
}

#[tauri::command(async)]
pub fn create_prescriber(
    state: State<'_, AppState>,
    req: Req<PrescriberInput>,
) -> WireResult<Prescriber> {
    state.write(|w, _| {
        let id = prescribers::create(w, req.0)?;
        prescribers::get(w.conn(), id)
    })
}

#[tauri::command(async)]
pub fn update_prescriber(
    state: State<'_, AppState>,
    req: Req<UpdatePrescriberRequest>,
) -> WireResult<Prescriber> {
    let UpdatePrescriberRequest { id, prescriber } = req.0;
    state.write(|w, _| {
        prescribers::update(w, id, prescriber)?;
        prescribers::get(w.conn(), id)
    })
}

#[tauri::command(async)]
pub fn archive_prescriber(
    state: State<'_, AppState>,
    req: Req<RecordId>,
) -> WireResult<Prescriber> {
    set_archived(&state, req.0.id, true)
}

#[tauri::command(async)]
pub fn unarchive_prescriber(
    state: State<'_, AppState>,
    req: Req<RecordId>,
) -> WireResult<Prescriber> {
    set_archived(&state, req.0.id, false)
}

fn set_archived(state: &AppState, id: i64, archived: bool) -> WireResult<Prescriber> {
    state.write(|w, _| {
        prescribers::set_archived(w, id, archived)?;
        prescribers::get(w.conn(), id)
    })
}
