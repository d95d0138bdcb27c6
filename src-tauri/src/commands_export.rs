//! Commands for exports: a client's record as a PDF, a client's or the whole practice's
//! data as JSON + CSV in a zip. Adapters over `kap_practice::export`, which checks the
//! target, audits the export and writes the file whole or not at all. The path comes
//! from the native save dialog in the UI (or, in end-to-end tests, from `save_target`);
//! a saved file joins the session's list so `open_saved_file` may open it.

use crate::dto::Saved;
use crate::state::{AppState, Session};
use crate::wire::{Req, WireResult};
use kap_practice::export;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use tauri::State;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ExportClientRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    /// Where to write the file: a whole path from the save dialog.
    pub path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ExportPracticeRequest {
    pub path: String,
}

/// Runs one export to `path` and remembers the file for `open_saved_file`.
fn save(
    s: &mut Session,
    path: String,
    write: impl FnOnce(&kap_practice::store::Store, &Path) -> kap_practice::Result<()>,
) -> WireResult<Saved> {
    let target = PathBuf::from(&path);
    write(&s.store, &target)?;
    s.saved_files.push(target);
    Ok(Saved { path })
}

#[tauri::command(async)]
pub fn export_client_record_pdf(
    state: State<'_, AppState>,
    req: Req<ExportClientRequest>,
) -> WireResult<Saved> {
    let ExportClientRequest { client_id, path } = req.0;
    state.with_session(|s| {
        save(s, path, |store, p| {
            export::client_record_pdf(store, client_id, p).map(drop)
        })
    })
}

#[tauri::command(async)]
pub fn export_client_zip(
    state: State<'_, AppState>,
    req: Req<ExportClientRequest>,
) -> WireResult<Saved> {
    let ExportClientRequest { client_id, path } = req.0;
    state.with_session(|s| {
        save(s, path, |store, p| {
            export::client_zip(store, client_id, p).map(drop)
        })
    })
}

#[tauri::command(async)]
pub fn export_practice_zip(
    state: State<'_, AppState>,
    req: Req<ExportPracticeRequest>,
) -> WireResult<Saved> {
    let ExportPracticeRequest { path } = req.0;
    state.with_session(|s| save(s, path, |store, p| export::practice_zip(store, p).map(drop)))
}
