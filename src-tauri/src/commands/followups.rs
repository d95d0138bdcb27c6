//! Follow-ups: calls, check-ins, referrals, and the integration sessions KAP sessions call
//! for; a client's list, create, complete, drop with a reason.

use crate::dto::{
    ClientId, CreateFollowUpRequest, DropFollowUpRequest, OverduePage, OverdueRequest, RecordId,
};
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::followups::{self, FollowUp};
use tauri::State;

#[tauri::command(async)]
pub fn client_follow_ups(
    state: State<'_, AppState>,
    req: Req<ClientId>,
) -> WireResult<Vec<FollowUp>> {
    state.read(|c, _| followups::for_client(c, req.0.id))
}

/// The next page of overdue follow-ups after the ones Home shows, most overdue first.
#[tauri::command(async)]
pub fn overdue_follow_ups(
    state: State<'_, AppState>,
    req: Req<OverdueRequest>,
) -> WireResult<OverduePage> {
    state.read(|c, today| {
        let (items, total) = followups::overdue(c, today, req.0.offset, OVERDUE_PAGE)?;
        Ok(OverduePage { items, total })
    })
}

/// How many overdue follow-ups "Show more" adds.
const OVERDUE_PAGE: u32 = 50;

#[tauri::command(async)]
pub fn create_follow_up(
    state: State<'_, AppState>,
    req: Req<CreateFollowUpRequest>,
) -> WireResult<Vec<FollowUp>> {
    let CreateFollowUpRequest {
        client_id,
        follow_up,
    } = req.0;
    state.write(|w, _| {
        followups::create(w, client_id, follow_up)?;
        followups::for_client(w.conn(), client_id)
    })
}

#[tauri::command(async)]
pub fn complete_follow_up(state: State<'_, AppState>, req: Req<RecordId>) -> WireResult<()> {
    state.write(|w, _| followups::complete(w, req.0.id))
}

#[tauri::command(async)]
pub fn drop_follow_up(state: State<'_, AppState>, req: Req<DropFollowUpRequest>) -> WireResult<()> {
    let DropFollowUpRequest { id, reason } = req.0;
    state.write(|w, _| followups::drop_with_reason(w, id, &reason))
}
