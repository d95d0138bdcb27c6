//! Records moving in: a client list from another system's CSV (preview, a dry run shown a
//! page at a time, then the import, all or nothing) and this app's own practice export
//! into a new practice (checked first, then imported). Adapters over
//! `kap_practice::import`, which reads the files within their limits, validates every row
//! and audits the batch.
//!
//! Paths come from the native open dialog in the UI. End-to-end tests cannot click it, so
//! when `KAP_SAVE_DIR` is set (only the tests set it) `open_target` names the newest file
//! of a kind in that folder.

use crate::commands::backup::{newest, path_of};
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::import::archive::{self, ImportSummary};
use kap_practice::import::csv::{self, DryRunPage, Imported, Mapping, Options, Preview, RowFilter};
use kap_practice::Error;
use serde::Deserialize;
use std::path::Path;
use tauri::State;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ImportFileRequest {
    /// A whole path from the open dialog.
    pub path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CsvDryRunRequest {
    pub path: String,
    pub mapping: Mapping,
    pub filter: RowFilter,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CsvImportRequest {
    pub path: String,
    pub mapping: Mapping,
    pub options: Options,
    /// The file's SHA-256 as the dry run saw it: a file changed since is refused.
    pub sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct OpenTargetRequest {
    /// `csv` or `zip`.
    pub extension: String,
}

/// Reads the CSV file for the column chooser; writes nothing.
#[tauri::command(async)]
pub fn preview_client_csv(
    state: State<'_, AppState>,
    req: Req<ImportFileRequest>,
) -> WireResult<Preview> {
    let path = path_of(&req.0.path)?;
    // Only in an open practice: a locked app reads no file for anyone.
    state.with_session(|_| Ok(()))?;
    let bytes = csv::read_file(&path)?;
    Ok(csv::preview(&bytes)?)
}

/// What importing the file would do, a page of rows at a time; writes nothing.
#[tauri::command(async)]
pub fn dry_run_client_csv(
    state: State<'_, AppState>,
    req: Req<CsvDryRunRequest>,
) -> WireResult<DryRunPage> {
    let CsvDryRunRequest {
        path,
        mapping,
        filter,
        offset,
        limit,
    } = req.0;
    let path = path_of(&path)?;
    state.with_session(|_| Ok(()))?;
    let bytes = csv::read_file(&path)?;
    state.read(|c, today| csv::dry_run_page(c, &bytes, &mapping, today, filter, offset, limit))
}

/// Imports the file's clients, all or nothing, in one audited write.
#[tauri::command(async)]
pub fn import_client_csv(
    state: State<'_, AppState>,
    req: Req<CsvImportRequest>,
) -> WireResult<Imported> {
    let CsvImportRequest {
        path,
        mapping,
        options,
        sha256,
    } = req.0;
    let path = path_of(&path)?;
    state.with_session(|_| Ok(()))?;
    let bytes = csv::read_file(&path)?;
    state.write(|w, today| csv::import_checked(w, &bytes, &sha256, &mapping, &options, today))
}

/// What a practice export holds, checked whole without writing anything.
#[tauri::command(async)]
pub fn check_practice_export(
    state: State<'_, AppState>,
    req: Req<ImportFileRequest>,
) -> WireResult<ImportSummary> {
    let path = path_of(&req.0.path)?;
    state.with_session(|_| Ok(()))?;
    Ok(archive::check(&path)?)
}

/// Imports a practice export into this practice, which must hold no records of care yet.
/// Runs without holding the session, so the app keeps answering (writes wait for the
/// import's transaction).
#[tauri::command(async)]
pub fn import_practice_export(
    state: State<'_, AppState>,
    req: Req<ImportFileRequest>,
) -> WireResult<ImportSummary> {
    let path = path_of(&req.0.path)?;
    let store = state.with_session(|s| Ok(std::sync::Arc::clone(&s.store)))?;
    Ok(archive::practice_zip(&store, &path)?)
}

/// Only when `KAP_SAVE_DIR` is set (end-to-end tests): the newest file with the extension
/// in that folder, to use instead of the open dialog. Otherwise `None`.
#[tauri::command(async)]
pub fn open_target(req: Req<OpenTargetRequest>) -> WireResult<Option<String>> {
    let extension = req.0.extension;
    if !matches!(extension.as_str(), "csv" | "zip") {
        return Err(Error::invalid("extension", "Only CSV and zip files are imported.").into());
    }
    let Some(dir) = std::env::var_os("KAP_SAVE_DIR").filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    Ok(newest(Path::new(&dir), &extension).map(|p| p.display().to_string()))
}
