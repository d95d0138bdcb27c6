//! Commands for charges, invoices, payments, ledgers and the printed documents: adapters
//! over the core, a few lines each. Saving a document writes the file the user chose and
//! records the export in the audit log; only files saved this way can be opened.

use crate::dto::*;
use crate::state::{AppState, Session};
use crate::wire::{Req, WireResult};
use chrono::Utc;
use kap_practice::billing::{
    self, BillingProfile, Invoice, Ledger, PracticeBilling, ServiceCode, ServiceCodes, SuperbillGap,
};
use kap_practice::print::PrintDocument;
use kap_practice::store::Writer;
use kap_practice::{practice, Error};
use std::path::PathBuf;
use tauri::State;
use tauri_plugin_opener::OpenerExt;

fn today(w: &Writer<'_>) -> kap_practice::Result<chrono::NaiveDate> {
    practice::today(w.conn(), w.now())
}

#[tauri::command(async)]
pub fn client_ledger(state: State<'_, AppState>, req: Req<ClientId>) -> WireResult<Ledger> {
    state.with_session(|s| Ok(s.store.read(|c| billing::ledger(c, req.0.id))?))
}

#[tauri::command(async)]
pub fn set_charge_amount(
    state: State<'_, AppState>,
    req: Req<SetChargeAmountRequest>,
) -> WireResult<Ledger> {
    let SetChargeAmountRequest { id, amount, usual } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            billing::set_charge_amount(w, id, amount, usual)?;
            billing::ledger(w.conn(), billing::client_of_charge(w.conn(), id)?)
        })?)
    })
}

#[tauri::command(async)]
pub fn set_charge_place_of_service(
    state: State<'_, AppState>,
    req: Req<SetPlaceOfServiceRequest>,
) -> WireResult<Ledger> {
    let SetPlaceOfServiceRequest { id, place } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            billing::set_charge_place_of_service(w, id, place)?;
            billing::ledger(w.conn(), billing::client_of_charge(w.conn(), id)?)
        })?)
    })
}

#[tauri::command(async)]
pub fn create_invoice(
    state: State<'_, AppState>,
    req: Req<CreateInvoiceRequest>,
) -> WireResult<Invoice> {
    let CreateInvoiceRequest {
        client_id,
        charge_ids,
        issued_on,
    } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            let today = today(w)?;
            let id = billing::create_invoice(w, client_id, &charge_ids, issued_on, today)?;
            billing::get_invoice(w.conn(), id)
        })?)
    })
}

#[tauri::command(async)]
pub fn record_payment(
    state: State<'_, AppState>,
    req: Req<RecordPaymentRequest>,
) -> WireResult<Invoice> {
    let RecordPaymentRequest {
        invoice_id,
        paid_on,
        method,
        amount,
    } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            let today = today(w)?;
            billing::record_payment(w, invoice_id, paid_on, method, amount, today)?;
            billing::get_invoice(w.conn(), invoice_id)
        })?)
    })
}

#[tauri::command(async)]
pub fn void_invoice(
    state: State<'_, AppState>,
    req: Req<VoidInvoiceRequest>,
) -> WireResult<Invoice> {
    let VoidInvoiceRequest { id, reason } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            billing::void_invoice(w, id, &reason)?;
            billing::get_invoice(w.conn(), id)
        })?)
    })
}

#[tauri::command(async)]
pub fn reverse_payment(
    state: State<'_, AppState>,
    req: Req<ReversePaymentRequest>,
) -> WireResult<Invoice> {
    let ReversePaymentRequest {
        payment_id,
        reversed_on,
        reason,
    } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            let today = today(w)?;
            billing::reverse_payment(w, payment_id, reversed_on, &reason, today)?;
            billing::get_invoice(w.conn(), billing::invoice_of_payment(w.conn(), payment_id)?)
        })?)
    })
}

#[tauri::command(async)]
pub fn practice_billing(state: State<'_, AppState>) -> WireResult<PracticeBilling> {
    state.with_session(|s| {
        Ok(s.store
            .read(|c| billing::practice_billing(c, practice::today(c, Utc::now())?))?)
    })
}

#[tauri::command(async)]
pub fn get_billing_profile(
    state: State<'_, AppState>,
    req: Req<ClientId>,
) -> WireResult<BillingProfile> {
    state.with_session(|s| Ok(s.store.read(|c| billing::billing_profile(c, req.0.id))?))
}

#[tauri::command(async)]
pub fn set_billing_profile(
    state: State<'_, AppState>,
    req: Req<SetBillingProfileRequest>,
) -> WireResult<BillingProfile> {
    let SetBillingProfileRequest { client_id, profile } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            billing::set_billing_profile(w, client_id, profile)?;
            billing::billing_profile(w.conn(), client_id)
        })?)
    })
}

#[tauri::command(async)]
pub fn get_service_codes(state: State<'_, AppState>) -> WireResult<ServiceCodes> {
    state.with_session(|s| Ok(s.store.read(billing::service_code_settings)?))
}

#[tauri::command(async)]
pub fn set_service_codes(
    state: State<'_, AppState>,
    req: Req<Vec<ServiceCode>>,
) -> WireResult<ServiceCodes> {
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            billing::set_service_codes(w, req.0)?;
            billing::service_code_settings(w.conn())
        })?)
    })
}

/// Saves a document as a PDF through the core's one audited path
/// (`PrintDocument::save`: target checked, `export` row committed with the file) and adds
/// it to the files this session may open.
fn save_pdf(s: &mut Session, path: String, document: PrintDocument) -> WireResult<Saved> {
    let target = PathBuf::from(&path);
    document.save(&s.store, &target)?;
    s.saved_files.push(target);
    Ok(Saved { path })
}

#[tauri::command(async)]
pub fn save_invoice_pdf(
    state: State<'_, AppState>,
    req: Req<SaveInvoicePdfRequest>,
) -> WireResult<Saved> {
    let SaveInvoicePdfRequest { id, path } = req.0;
    state.with_session(|s| save_pdf(s, path, PrintDocument::Invoice { id }))
}

#[tauri::command(async)]
pub fn save_superbill_pdf(
    state: State<'_, AppState>,
    req: Req<SaveSuperbillPdfRequest>,
) -> WireResult<Saved> {
    let SaveSuperbillPdfRequest {
        client_id,
        from,
        to,
        path,
    } = req.0;
    state.with_session(|s| {
        save_pdf(
            s,
            path,
            PrintDocument::Superbill {
                client_id,
                from,
                to,
            },
        )
    })
}

/// What a superbill for these dates would lack; the UI asks before saving one without it.
#[tauri::command(async)]
pub fn check_superbill(
    state: State<'_, AppState>,
    req: Req<SuperbillRange>,
) -> WireResult<Vec<SuperbillGap>> {
    let SuperbillRange {
        client_id,
        from,
        to,
    } = req.0;
    state.with_session(|s| {
        Ok(s.store.read(|c| {
            let today = practice::today(c, Utc::now())?;
            let doc = billing::superbill_doc(c, client_id, from, to, today)?;
            Ok(billing::superbill_gaps(&doc))
        })?)
    })
}

#[tauri::command(async)]
pub fn save_consent_pdf(
    state: State<'_, AppState>,
    req: Req<SaveClientPdfRequest>,
) -> WireResult<Saved> {
    let SaveClientPdfRequest { client_id, path } = req.0;
    state.with_session(|s| save_pdf(s, path, PrintDocument::Consent { client_id }))
}

#[tauri::command(async)]
pub fn save_estimate_pdf(
    state: State<'_, AppState>,
    req: Req<SaveEstimatePdfRequest>,
) -> WireResult<Saved> {
    let SaveEstimatePdfRequest {
        client_id,
        plan,
        path,
    } = req.0;
    state.with_session(|s| save_pdf(s, path, PrintDocument::Estimate { client_id, plan }))
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
