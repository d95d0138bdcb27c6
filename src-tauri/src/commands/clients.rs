//! Clients: the list and search, a client's record (opening it is a `view` in the audit
//! log), create, update, archive and unarchive.

use crate::dto::*;
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::clients::{self, Client, ClientInput, ClientPage, ClientQuery};
use kap_practice::retention;
use tauri::State;

#[tauri::command(async)]
pub fn list_clients(state: State<'_, AppState>, req: Req<ClientQuery>) -> WireResult<ClientPage> {
    state.read(|c, today| clients::list(c, &req.0, today))
}

#[tauri::command(async)]
pub fn open_client(state: State<'_, AppState>, req: Req<ClientId>) -> WireResult<ClientRecord> {
    state.write(|w, today| {
        let client = clients::open_record(w, req.0.id, today)?;
        let retention = retention::load(w.conn(), client.id, w.now())?;
        Ok(ClientRecord { client, retention })
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
