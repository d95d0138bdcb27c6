//! Money: a client's charges, invoices and payments, billing profiles and service codes,
//! the practice's billing page, and saving the paper the practice hands out (invoices,
//! superbills, good-faith estimates, consent forms) as PDFs. Saving goes through the
//! core's one audited path (`PrintDocument::save`: target checked, `export` row committed
//! with the file); the saved file joins those this session may open.

use crate::dto::*;
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::billing::{
    self, BillingProfile, BillingRows, Invoice, Ledger, PracticeBilling, ServiceCode, ServiceCodes,
    SuperbillGap,
};
use kap_practice::print::PrintDocument;
use kap_practice::records::accounting::Recipient;
use tauri::State;

#[tauri::command(async)]
pub fn client_ledger(state: State<'_, AppState>, req: Req<ClientId>) -> WireResult<Ledger> {
    state.read(|c, _| billing::ledger(c, req.0.id))
}

#[tauri::command(async)]
pub fn set_charge_amount(
    state: State<'_, AppState>,
    req: Req<SetChargeAmountRequest>,
) -> WireResult<Ledger> {
    let SetChargeAmountRequest { id, amount, usual } = req.0;
    state.write(|w, _| {
        billing::set_charge_amount(w, id, amount, usual)?;
        billing::ledger(w.conn(), billing::client_of_charge(w.conn(), id)?)
    })
}

#[tauri::command(async)]
pub fn set_charge_place_of_service(
    state: State<'_, AppState>,
    req: Req<SetPlaceOfServiceRequest>,
) -> WireResult<Ledger> {
    let SetPlaceOfServiceRequest { id, place } = req.0;
    state.write(|w, _| {
        billing::set_charge_place_of_service(w, id, place)?;
        billing::ledger(w.conn(), billing::client_of_charge(w.conn(), id)?)
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
    state.write(|w, today| {
        let id = billing::create_invoice(w, client_id, &charge_ids, issued_on, today)?;
        billing::get_invoice(w.conn(), id)
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
    state.write(|w, today| {
        billing::record_payment(w, invoice_id, paid_on, method, amount, today)?;
        billing::get_invoice(w.conn(), invoice_id)
    })
}

#[tauri::command(async)]
pub fn void_invoice(
    state: State<'_, AppState>,
    req: Req<VoidInvoiceRequest>,
) -> WireResult<Invoice> {
    let VoidInvoiceRequest { id, reason } = req.0;
    state.write(|w, _| {
        billing::void_invoice(w, id, &reason)?;
        billing::get_invoice(w.conn(), id)
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
    state.write(|w, today| {
        billing::reverse_payment(w, payment_id, reversed_on, &reason, today)?;
        billing::get_invoice(w.conn(), billing::invoice_of_payment(w.conn(), payment_id)?)
    })
}

/// The Billing page: `req` says how many rows of each list to show (a page at first,
/// more after "Show more"); the totals cover every row.
#[tauri::command(async)]
pub fn practice_billing(
    state: State<'_, AppState>,
    req: Req<BillingRows>,
) -> WireResult<PracticeBilling> {
    state.read(|c, today| billing::practice_billing_rows(c, today, req.0))
}

#[tauri::command(async)]
pub fn get_billing_profile(
    state: State<'_, AppState>,
    req: Req<ClientId>,
) -> WireResult<BillingProfile> {
    state.read(|c, _| billing::billing_profile(c, req.0.id))
}

#[tauri::command(async)]
pub fn set_billing_profile(
    state: State<'_, AppState>,
    req: Req<SetBillingProfileRequest>,
) -> WireResult<BillingProfile> {
    let SetBillingProfileRequest { client_id, profile } = req.0;
    state.write(|w, _| {
        billing::set_billing_profile(w, client_id, profile)?;
        billing::billing_profile(w.conn(), client_id)
    })
}

#[tauri::command(async)]
pub fn get_service_codes(state: State<'_, AppState>) -> WireResult<ServiceCodes> {
    state.read(|c, _| billing::service_code_settings(c))
}

#[tauri::command(async)]
pub fn set_service_codes(
    state: State<'_, AppState>,
    req: Req<Vec<ServiceCode>>,
) -> WireResult<ServiceCodes> {
    state.write(|w, _| {
        billing::set_service_codes(w, req.0)?;
        billing::service_code_settings(w.conn())
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
    state.read(|c, today| {
        let doc = billing::superbill_doc(c, client_id, from, to, today)?;
        Ok(billing::superbill_gaps(&doc))
    })
}

#[tauri::command(async)]
pub fn save_invoice_pdf(
    state: State<'_, AppState>,
    req: Req<SaveInvoicePdfRequest>,
) -> WireResult<Saved> {
    let SaveInvoicePdfRequest {
        id,
        path,
        recipient,
    } = req.0;
    save_pdf(&state, path, PrintDocument::Invoice { id }, recipient)
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
        recipient,
    } = req.0;
    let document = PrintDocument::Superbill {
        client_id,
        from,
        to,
    };
    save_pdf(&state, path, document, recipient)
}

#[tauri::command(async)]
pub fn save_consent_pdf(
    state: State<'_, AppState>,
    req: Req<SaveClientPdfRequest>,
) -> WireResult<Saved> {
    let SaveClientPdfRequest {
        client_id,
        path,
        recipient,
    } = req.0;
    save_pdf(
        &state,
        path,
        PrintDocument::Consent { client_id },
        recipient,
    )
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
        recipient,
    } = req.0;
    save_pdf(
        &state,
        path,
        PrintDocument::Estimate { client_id, plan },
        recipient,
    )
}

/// Saves a document as a PDF, exactly as the preview's "Save as PDF…" does.
fn save_pdf(
    state: &AppState,
    path: String,
    document: PrintDocument,
    recipient: Option<Recipient>,
) -> WireResult<Saved> {
    state.save_file(path, |store, target| {
        document.save(store, target, recipient)
    })
}
