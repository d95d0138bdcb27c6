//! Records rights: a client's access requests (log, extend, fulfil, deny, withdraw) and
//! the disclosures of their information, with those made outside the app entered by hand.
//! Each change answers with the client's section as it now stands.

use crate::commands::export::ExportClientRequest;
use crate::dto::{
    AddDisclosureEntry, ClientId, DenyAccessRequest, ExtendAccessRequest, FulfilAccessRequest,
    LogAccessRequest, RecordsRights, SaveDenialLetter, Saved, WithdrawAccessRequest,
};
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use chrono::NaiveDate;
use kap_practice::records::{access, accounting};
use kap_practice::store::Connection;
use tauri::State;

/// The client's section: requests newest first, every disclosure with a recipient.
pub(crate) fn section(
    conn: &Connection,
    client_id: i64,
    today: NaiveDate,
) -> kap_practice::Result<RecordsRights> {
    kap_practice::clients::require(conn, client_id)?;
    Ok(RecordsRights {
        access_requests: access::for_client(conn, client_id, today)?,
        disclosures: accounting::entries(conn, client_id, NaiveDate::MIN, today)?,
    })
}

/// The client an access request belongs to.
fn owner(conn: &Connection, id: i64, today: NaiveDate) -> kap_practice::Result<i64> {
    Ok(access::get(conn, id, today)?.client_id)
}

#[tauri::command(async)]
pub fn client_records_rights(
    state: State<'_, AppState>,
    req: Req<ClientId>,
) -> WireResult<RecordsRights> {
    state.read(|c, today| section(c, req.0.id, today))
}

#[tauri::command(async)]
pub fn log_access_request(
    state: State<'_, AppState>,
    req: Req<LogAccessRequest>,
) -> WireResult<RecordsRights> {
    let LogAccessRequest { client_id, request } = req.0;
    state.write(|w, today| {
        access::log(w, client_id, request, today)?;
        section(w.conn(), client_id, today)
    })
}

#[tauri::command(async)]
pub fn extend_access_request(
    state: State<'_, AppState>,
    req: Req<ExtendAccessRequest>,
) -> WireResult<RecordsRights> {
    let ExtendAccessRequest { id, on, reason } = req.0;
    state.write(|w, today| {
        access::extend(w, id, on, &reason, today)?;
        section(w.conn(), owner(w.conn(), id, today)?, today)
    })
}

#[tauri::command(async)]
pub fn fulfil_access_request(
    state: State<'_, AppState>,
    req: Req<FulfilAccessRequest>,
) -> WireResult<RecordsRights> {
    let FulfilAccessRequest { id, outcome } = req.0;
    state.write(|w, today| {
        access::fulfil(w, id, &outcome, today)?;
        section(w.conn(), owner(w.conn(), id, today)?, today)
    })
}

#[tauri::command(async)]
pub fn deny_access_request(
    state: State<'_, AppState>,
    req: Req<DenyAccessRequest>,
) -> WireResult<RecordsRights> {
    let DenyAccessRequest { id, denial } = req.0;
    state.write(|w, today| {
        access::deny(w, id, &denial, today)?;
        section(w.conn(), owner(w.conn(), id, today)?, today)
    })
}

#[tauri::command(async)]
pub fn withdraw_access_request(
    state: State<'_, AppState>,
    req: Req<WithdrawAccessRequest>,
) -> WireResult<RecordsRights> {
    let WithdrawAccessRequest { id, on, note } = req.0;
    state.write(|w, today| {
        access::withdraw(w, id, on, &note, today)?;
        section(w.conn(), owner(w.conn(), id, today)?, today)
    })
}

#[tauri::command(async)]
pub fn add_disclosure_entry(
    state: State<'_, AppState>,
    req: Req<AddDisclosureEntry>,
) -> WireResult<RecordsRights> {
    let AddDisclosureEntry { client_id, entry } = req.0;
    state.write(|w, today| {
        accounting::add_entry(w, client_id, entry, today)?;
        section(w.conn(), client_id, today)
    })
}

/// The letter denying (part of) a request, as a PDF where the user chose; audited as a
/// disclosure of the client's data.
#[tauri::command(async)]
pub fn save_denial_letter(
    state: State<'_, AppState>,
    req: Req<SaveDenialLetter>,
) -> WireResult<Saved> {
    let SaveDenialLetter {
        id,
        path,
        recipient,
    } = req.0;
    state.save_file(path, |store, p| {
        kap_practice::export::access_denial_pdf(store, id, p, recipient).map(drop)
    })
}

/// The client's accounting of disclosures for the six years to today, as a PDF where the
/// user chose; audited as a disclosure of the client's data.
#[tauri::command(async)]
pub fn save_disclosure_accounting(
    state: State<'_, AppState>,
    req: Req<ExportClientRequest>,
) -> WireResult<Saved> {
    let ExportClientRequest {
        client_id,
        path,
        recipient,
    } = req.0;
    state.save_file(path, |store, p| {
        kap_practice::export::disclosure_accounting_pdf(store, client_id, p, recipient).map(drop)
    })
}
