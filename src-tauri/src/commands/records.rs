//! Records rights: a client's access requests (log, extend, fulfil, deny, withdraw), the
//! disclosures of their information (those made outside the app entered by hand), the
//! denial letter and the accounting as PDFs, and the practice's notice of privacy
//! practices with each client's acknowledgment. Each change to a client's records
//! answers with the client's section as it now stands.

use crate::commands::export::ExportClientRequest;
use crate::dto::{
    AddDisclosureEntry, ClientId, DenyAccessRequest, DisclosureWarningRequest, DraftAuthorization,
    ExtendAccessRequest, FulfilAccessRequest, LogAccessRequest, RecordAcknowledgment,
    RecordsRights, RevokeAuthorization, SaveAuthorizationPdf, SaveDenialLetter, SaveNoticePdf,
    Saved, SignAuthorization, UpdateAuthorization, WithdrawAccessRequest,
};
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use chrono::NaiveDate;
use kap_practice::records::{access, accounting, authorization, notice};
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
        notice_revised_on: notice::get(conn)?.revised_on,
        acknowledgments: notice::for_client(conn, client_id)?,
        authorizations: authorization::for_client(conn, client_id, today)?,
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

/// The practice's notice of privacy practices.
#[tauri::command(async)]
pub fn privacy_notice(state: State<'_, AppState>) -> WireResult<notice::Notice> {
    state.read(|c, _| notice::get(c))
}

/// Saves the practice's notice of privacy practices.
#[tauri::command(async)]
pub fn save_privacy_notice(
    state: State<'_, AppState>,
    req: Req<notice::Notice>,
) -> WireResult<notice::Notice> {
    state.write(|w, today| {
        notice::set(w, &req.0, today)?;
        notice::get(w.conn())
    })
}

/// The notice as a PDF where the user chose (audited like every document).
#[tauri::command(async)]
pub fn save_privacy_notice_pdf(
    state: State<'_, AppState>,
    req: Req<SaveNoticePdf>,
) -> WireResult<Saved> {
    state.save_file(req.0.path, |store, p| {
        kap_practice::export::privacy_notice_pdf(store, p).map(drop)
    })
}

/// Records that the client was given the notice (signed, or declined with the effort).
#[tauri::command(async)]
pub fn record_privacy_acknowledgment(
    state: State<'_, AppState>,
    req: Req<RecordAcknowledgment>,
) -> WireResult<RecordsRights> {
    let RecordAcknowledgment {
        client_id,
        acknowledgment,
    } = req.0;
    state.write(|w, today| {
        notice::acknowledge(w, client_id, acknowledgment, today)?;
        section(w.conn(), client_id, today)
    })
}

/// The client an authorization belongs to.
fn authorization_owner(conn: &Connection, id: i64, today: NaiveDate) -> kap_practice::Result<i64> {
    Ok(authorization::get(conn, id, today)?.client_id)
}

#[tauri::command(async)]
pub fn draft_authorization(
    state: State<'_, AppState>,
    req: Req<DraftAuthorization>,
) -> WireResult<RecordsRights> {
    let DraftAuthorization {
        client_id,
        authorization: form,
    } = req.0;
    state.write(|w, today| {
        authorization::draft(w, client_id, &form, today)?;
        section(w.conn(), client_id, today)
    })
}

#[tauri::command(async)]
pub fn update_authorization(
    state: State<'_, AppState>,
    req: Req<UpdateAuthorization>,
) -> WireResult<RecordsRights> {
    let UpdateAuthorization {
        id,
        authorization: form,
    } = req.0;
    state.write(|w, today| {
        authorization::update(w, id, &form, today)?;
        section(w.conn(), authorization_owner(w.conn(), id, today)?, today)
    })
}

#[tauri::command(async)]
pub fn sign_authorization(
    state: State<'_, AppState>,
    req: Req<SignAuthorization>,
) -> WireResult<RecordsRights> {
    let SignAuthorization {
        id,
        signed_on,
        signed_by,
        representative,
    } = req.0;
    state.write(|w, today| {
        authorization::sign(
            w,
            id,
            signed_on,
            signed_by,
            representative.as_deref(),
            today,
        )?;
        section(w.conn(), authorization_owner(w.conn(), id, today)?, today)
    })
}

#[tauri::command(async)]
pub fn revoke_authorization(
    state: State<'_, AppState>,
    req: Req<RevokeAuthorization>,
) -> WireResult<RecordsRights> {
    let RevokeAuthorization { id, revoked_on } = req.0;
    state.write(|w, today| {
        authorization::revoke(w, id, revoked_on, today)?;
        section(w.conn(), authorization_owner(w.conn(), id, today)?, today)
    })
}

/// The authorization's form as a PDF (to sign, or as recorded), through the core's
/// audited disclosure path.
#[tauri::command(async)]
pub fn save_authorization_pdf(
    state: State<'_, AppState>,
    req: Req<SaveAuthorizationPdf>,
) -> WireResult<Saved> {
    let SaveAuthorizationPdf {
        id,
        path,
        recipient,
    } = req.0;
    state.save_file(path, |store, p| {
        kap_practice::export::authorization_pdf(store, id, p, recipient).map(drop)
    })
}

/// Whether a disclosure to this recipient needs an authorization the client has not
/// given (or has let lapse): a warning, never a refusal.
#[tauri::command(async)]
pub fn disclosure_warning(
    state: State<'_, AppState>,
    req: Req<DisclosureWarningRequest>,
) -> WireResult<Option<authorization::Warning>> {
    let DisclosureWarningRequest {
        client_id,
        recipient,
    } = req.0;
    state.read(|c, today| authorization::warning(c, client_id, &recipient, today))
}
