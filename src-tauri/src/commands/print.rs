//! Commands for previewing, printing and saving a document: adapters over the core's
//! document rendering and `kap_practice::print`, a few lines each.
//!
//! Every document is rendered by the same core calls the `save_*_pdf` commands make
//! (`PrintDocument::render`). A preview stays inside the app (the pages are drawn in its
//! own window, the way the client page shows the same facts), so it reads without an
//! audit row. Printing and saving disclose the document: each goes through
//! `PrintDocument::disclose` inside `Store::write`, with an `export` row that rolls back
//! when the printer refuses the job or the file cannot be written.

use crate::dto::Saved;
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::print::{Cups, PrintDocument, PrintJob, Printer};
use serde::Deserialize;
use tauri::ipc::Response;
use tauri::State;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PrintRequest {
    pub document: PrintDocument,
    /// One of `list_printers`' names; any other is refused.
    pub printer: String,
    pub copies: u8,
    /// Who the document is going to and why, when the therapist said (recorded with its
    /// audit row for the accounting of disclosures).
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub recipient: Option<kap_practice::records::accounting::Recipient>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveDocumentRequest {
    pub document: PrintDocument,
    pub path: String,
    /// Who the document is going to and why, when the therapist said (recorded with its
    /// audit row for the accounting of disclosures).
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub recipient: Option<kap_practice::records::accounting::Recipient>,
}

/// The printers the operating system knows, its default marked. Printer names are not
/// client data, so this needs no open practice.
#[tauri::command(async)]
pub fn list_printers() -> WireResult<Vec<Printer>> {
    Ok(Cups::system()
        .printers()
        .map_err(kap_practice::Error::from)?)
}

/// The document's PDF, for the preview: raw bytes (an `ArrayBuffer` in the UI), no
/// audit row, nothing written anywhere.
#[tauri::command(async)]
pub fn preview_document(
    state: State<'_, AppState>,
    req: Req<PrintDocument>,
) -> WireResult<Response> {
    let bytes = state.read(|c, today| req.0.render(c, today))?;
    Ok(Response::new(bytes))
}

/// Prints the document on a printer the system knows, with an `export` audit row that
/// is kept only when the printing system accepted the job.
#[tauri::command(async)]
pub fn print_document(state: State<'_, AppState>, req: Req<PrintRequest>) -> WireResult<PrintJob> {
    let PrintRequest {
        document,
        printer,
        copies,
        recipient,
    } = req.0;
    state.write(|w, _| {
        document.disclose(w, recipient, |pdf| {
            Ok(Cups::system().print_pdf(&printer, copies, pdf)?)
        })
    })
}

/// Saves the document as a PDF where the user chose (the preview's "Save as PDF…"),
/// exactly as the `save_*_pdf` commands do (`PrintDocument::save`: an `export` row
/// committed with the file, nothing when the file cannot be written), and the file joins
/// those this session may open.
#[tauri::command(async)]
pub fn save_document_pdf(
    state: State<'_, AppState>,
    req: Req<SaveDocumentRequest>,
) -> WireResult<Saved> {
    let SaveDocumentRequest {
        document,
        path,
        recipient,
    } = req.0;
    state.save_file(path, |store, target| {
        document.save(store, target, recipient)
    })
}
