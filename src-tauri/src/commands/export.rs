//! Files that leave the app for the user: a client's record as a PDF, a client's or the
//! whole practice's data as JSON + CSV in a zip (adapters over `kap_practice::export`,
//! which checks the target, audits the export and writes the file whole or not at all);
//! where to save a file when no dialog can be shown (`save_target`); and opening a file
//! this session saved (`open_saved_file`), whichever command saved it.
//!
//! The path comes from the native save dialog in the UI (or, in end-to-end tests, from
//! `save_target`); a saved file joins the session's list so `open_saved_file` may open it.

use crate::dto::{OpenFileRequest, SaveTargetRequest, Saved};
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::{export, files, Error};
use serde::Deserialize;
use std::path::PathBuf;
use tauri::State;
use tauri_plugin_opener::OpenerExt;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ExportClientRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    /// Where to write the file: a whole path from the save dialog.
    pub path: String,
    /// Who the document is going to and why, when the therapist said (recorded with its
    /// audit row for the accounting of disclosures).
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub recipient: Option<kap_practice::records::accounting::Recipient>,
}

/// A client's record (PDF) or data (zip): an [`ExportClientRequest`] that may include the
/// client's private process notes, when the therapist chose to for this one export.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ExportRecordRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub path: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub recipient: Option<kap_practice::records::accounting::Recipient>,
    /// Include the process notes (recorded on the export's disclosure row).
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub include_process_notes: Option<bool>,
}

impl ExportRecordRequest {
    fn options(self) -> (i64, String, export::ClientExportOptions) {
        (
            self.client_id,
            self.path,
            export::ClientExportOptions {
                to: self.recipient,
                process_notes: self.include_process_notes.unwrap_or(false),
            },
        )
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ExportPracticeRequest {
    pub path: String,
}

#[tauri::command(async)]
pub fn export_client_record_pdf(
    state: State<'_, AppState>,
    req: Req<ExportRecordRequest>,
) -> WireResult<Saved> {
    let (client_id, path, options) = req.0.options();
    state.save_file(path, |store, p| {
        export::client_record_pdf_with(store, client_id, p, options).map(drop)
    })
}

/// The client's KAP course summary for the collaborating prescriber, as a PDF.
#[tauri::command(async)]
pub fn export_prescriber_summary(
    state: State<'_, AppState>,
    req: Req<ExportClientRequest>,
) -> WireResult<Saved> {
    let ExportClientRequest {
        client_id,
        path,
        recipient,
    } = req.0;
    state.save_file(path, |store, p| {
        export::prescriber_summary_pdf(store, client_id, p, recipient).map(drop)
    })
}

#[tauri::command(async)]
pub fn export_client_zip(
    state: State<'_, AppState>,
    req: Req<ExportRecordRequest>,
) -> WireResult<Saved> {
    let (client_id, path, options) = req.0.options();
    state.save_file(path, |store, p| {
        export::client_zip_with(store, client_id, p, options).map(drop)
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

/// Opens a document this session saved in the system's viewer. Any other path is refused.
#[tauri::command(async)]
pub fn open_saved_file<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    req: Req<OpenFileRequest>,
) -> WireResult<()> {
    let path = PathBuf::from(&req.0.path);
    state.with_session(|s| {
        if !s.saved_files.contains(&path) {
            return Err(Error::invalid(
                "path",
                "Only a document saved in this session can be opened.",
            )
            .into());
        }
        app.opener()
            .open_path(path.display().to_string(), None::<&str>)
            .map_err(|_| {
                Error::Conflict("No program on this computer opens this kind of file.".into())
                    .into()
            })
    })
}
