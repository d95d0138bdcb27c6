//! Clients: the list and search, a client's record (opening it is a `view` in the audit
//! log), create, update, archive and unarchive.

use crate::dto::*;
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::clearance;
use kap_practice::clients::{self, Client, ClientInput, ClientQuery};
use kap_practice::{appointments, billing, drafts, followups, intakes, prescribers, retention};
use tauri::State;

#[tauri::command(async)]
pub fn list_clients(state: State<'_, AppState>, req: Req<ClientQuery>) -> WireResult<ClientList> {
    state.read(|c, today| {
        let page = clients::list(c, &req.0, today)?;
        let badges = clearance::badges_of_listed(c, &page.items, today)?;
        Ok(ClientList { page, badges })
    })
}

#[tauri::command(async)]
pub fn open_client(state: State<'_, AppState>, req: Req<ClientId>) -> WireResult<ClientRecord> {
    open_record(&state, req.0.id)
}

/// Opens a client's record: the audited `view`, and the record's retention.
fn open_record(state: &AppState, id: i64) -> WireResult<ClientRecord> {
    state.write(|w, today| {
        let client = clients::open_record(w, id, today)?;
        let retention = retention::load(w.conn(), client.id, w.now())?;
        Ok(ClientRecord { client, retention })
    })
}

/// Opens a client's page: records the `view` in the audit log, then answers with
/// everything the page shows (its sections ask again only after their own changes), so
/// that the page is one round trip and drawn once.
#[tauri::command(async)]
pub fn client_page(state: State<'_, AppState>, req: Req<ClientId>) -> WireResult<ClientView> {
    let id = req.0.id;
    let ClientRecord { client, retention } = open_record(&state, id)?;
    state.read(|c, today| {
        Ok(ClientView {
            appointments: appointments::for_client(
                c,
                id,
                super::appointments::CLIENT_APPOINTMENTS,
            )?,
            follow_ups: followups::for_client(c, id)?,
            measures: super::measures::client_measures_of(c, id)?,
            clearance: clearance::record(c, id, today)?,
            contraindications: intakes::list_items(c)?,
            prescribers: prescribers::list(c, false)?,
            ledger: billing::ledger(c, id)?,
            billing_profile: billing::billing_profile(c, id)?,
            drafts: drafts::list(c, Some(id))?,
            records_rights: super::records::section(c, id, today)?,
            client,
            retention,
        })
    })
}

#[tauri::command(async)]
pub fn create_client(state: State<'_, AppState>, req: Req<ClientInput>) -> WireResult<Client> {
    state.write(|w, today| {
        let id = clients::create(w, req.0, today)?;
        clients::get(w.conn(), id, today)
    })
}

#[tauri::command(async)]
pub fn update_client(
    state: State<'_, AppState>,
    req: Req<UpdateClientRequest>,
) -> WireResult<Client> {
    let UpdateClientRequest { id, client } = req.0;
    state.write(|w, today| {
        clients::update(w, id, client, today)?;
        clients::get(w.conn(), id, today)
    })
}

#[tauri::command(async)]
pub fn archive_client(state: State<'_, AppState>, req: Req<ClientId>) -> WireResult<Client> {
    let id = req.0.id;
    state.write(|w, today| {
        clients::archive(w, id)?;
        clients::get(w.conn(), id, today)
    })
}

#[tauri::command(async)]
pub fn unarchive_client(state: State<'_, AppState>, req: Req<ClientId>) -> WireResult<Client> {
    let id = req.0.id;
    state.write(|w, today| {
        clients::unarchive(w, id)?;
        clients::get(w.conn(), id, today)
    })
}
