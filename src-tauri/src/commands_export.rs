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

/// Exports the whole practice without holding the session, so the rest of the app keeps
/// answering (writes wait for the export's transaction); reports its progress as
/// `export-progress` events and stops, leaving nothing, when `cancel_export` is called or
/// the practice locks.
#[tauri::command(async)]
pub fn export_practice_zip<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    req: Req<ExportPracticeRequest>,
) -> WireResult<Saved> {
    use std::sync::atomic::Ordering;
    use tauri::Emitter;
    let ExportPracticeRequest { path } = req.0;
    // Under the session's mutex: a lock after this cancels the export (see `lock`).
    let store = state.with_session(|s| {
        state.cancel_long_work.store(false, Ordering::SeqCst);
        Ok(std::sync::Arc::clone(&s.store))
    })?;
    let target = PathBuf::from(&path);
    let mut last: Option<std::time::Instant> = None;
    let result = export::practice_zip_with(&store, &target, &mut |p| {
        let due = last.is_none_or(|t| t.elapsed() >= std::time::Duration::from_millis(100));
        if due || p.done == p.total {
            last = Some(std::time::Instant::now());
            // Progress is counts only; a missed event costs nothing.
            let _ = app.emit("export-progress", p);
        }
        !state.cancel_long_work.load(Ordering::SeqCst)
    });
    drop(store);
    result?;
    state.with_session(|s| {
        s.saved_files.push(target);
        Ok(Saved { path })
    })
}

/// Stops the running whole-practice export; it leaves no file and no audit row.
#[tauri::command(async)]
pub fn cancel_export(state: State<'_, AppState>) -> WireResult<()> {
    state
        .cancel_long_work
        .store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}
