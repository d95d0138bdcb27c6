//! Form drafts: what the therapist typed and has not saved yet, kept in the encrypted
//! store as she types. Adapters over `kap_practice::drafts`.

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
    let d = state.write(|w, _| drafts::save(w, &key, client_id, &body))?;
    Ok(DraftSaved {
        updated_at: d.updated_at,
    })
}

#[tauri::command(async)]
pub fn get_draft(state: State<'_, AppState>, req: Req<DraftKey>) -> WireResult<Option<Draft>> {
    state.read(|c, _| drafts::get(c, &req.0))
}

/// Discards a draft if there is one (no write, and no audit row, when there is none).
#[tauri::command(async)]
pub fn discard_draft(state: State<'_, AppState>, req: Req<DraftKey>) -> WireResult<bool> {
    state.with_session(|s| Ok(drafts::discard_if_any(&s.store, &req.0)?))
}

#[tauri::command(async)]
pub fn list_drafts(
    state: State<'_, AppState>,
    req: Req<DraftList>,
) -> WireResult<Vec<DraftSummary>> {
    state.read(|c, _| drafts::list(c, req.0.client_id))
}
