//! Global search (Ctrl+K): one read over the core's search index. The query is read and
//! dropped: never logged, audited or kept. Opening a result goes through the page it
//! opens, which writes the same `view` audit row as opening it anywhere else.

use crate::dto::SearchRequest;
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::search::{self, Results};
use tauri::State;

#[tauri::command(async)]
pub fn global_search(state: State<'_, AppState>, req: Req<SearchRequest>) -> WireResult<Results> {
    state.read(|c, today| search::search(c, &req.0.query, today))
}
