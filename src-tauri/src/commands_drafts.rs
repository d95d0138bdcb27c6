//! Commands for form drafts: what the therapist typed and has not saved yet, kept in the
//! encrypted store as she types. Adapters over `kap_practice::drafts`.

use crate::dto::{DraftList, DraftSaved, SaveDraftRequest};
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::drafts::{self, Draft, DraftKey, DraftSummary};
use tauri::State;

#[tauri::command(async)]
pub fn save_draft(
    state: State<'_, AppState>,
    req: Req<SaveDraftRequest>,
) -> WireResult<DraftSaved> {
    let SaveDraftRequest {
        key,
        client_id,
        body,
    } = req.0;
    state.with_session(|s| {
        let d = s.store.write(|w| drafts::save(w, &key, client_id, &body))?;
        Ok(DraftSaved {
            updated_at: d.updated_at,
        })
    })
}

#[tauri::command(async)]
pub fn get_draft(state: State<'_, AppState>, req: Req<DraftKey>) -> WireResult<Option<Draft>> {
    state.with_session(|s| Ok(s.store.read(|c| drafts::get(c, &req.0))?))
}

#[tauri::command(async)]
pub fn discard_draft(state: State<'_, AppState>, req: Req<DraftKey>) -> WireResult<bool> {
    state.with_session(|s| Ok(drafts::discard_if_any(&s.store, &req.0)?))
}

#[tauri::command(async)]
pub fn list_drafts(
    state: State<'_, AppState>,
    req: Req<DraftList>,
) -> WireResult<Vec<DraftSummary>> {
    state.with_session(|s| Ok(s.store.read(|c| drafts::list(c, req.0.client_id))?))
}
