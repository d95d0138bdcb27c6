//! The practice's contraindication checklist (Settings): list, turn an item on or off, add
//! one. Each change answers with the whole list.

use crate::dto::{AddContraindicationRequest, SetContraindicationRequest};
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::intakes::{self, ContraindicationItem};
use tauri::State;

#[tauri::command(async)]
pub fn list_contraindications(state: State<'_, AppState>) -> WireResult<Vec<ContraindicationItem>> {
    state.read(|c, _| intakes::list_items(c))
}

#[tauri::command(async)]
pub fn set_contraindication_enabled(
    state: State<'_, AppState>,
    req: Req<SetContraindicationRequest>,
) -> WireResult<Vec<ContraindicationItem>> {
    let SetContraindicationRequest { id, enabled } = req.0;
    state.write(|w, _| {
        intakes::set_item_enabled(w, id, enabled)?;
        intakes::list_items(w.conn())
    })
}

#[tauri::command(async)]
pub fn add_contraindication(
    state: State<'_, AppState>,
    req: Req<AddContraindicationRequest>,
) -> WireResult<Vec<ContraindicationItem>> {
    state.write(|w, _| {
        intakes::add_item(w, &req.0.label)?;
        intakes::list_items(w.conn())
    })
}
