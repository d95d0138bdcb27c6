//! The calendar export: a range of the schedule as an `.ics` file, through the core's one
//! audited path out (an `export` row committed with the file).

use crate::dto::{ExportScheduleRequest, Saved};
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::calendar;
use tauri::State;

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
    state.save_file(path, |store, target| {
        calendar::save_ics(store, from, to, include_names, target)
    })
}
