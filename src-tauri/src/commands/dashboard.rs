//! Home: today's and this week's appointments, follow-ups, clearances running out and
//! notes waiting to be signed.

use crate::state::AppState;
use crate::wire::WireResult;
use kap_practice::dashboard::{self, Dashboard};
use tauri::State;

/// The home page by the store's clock. It needs the time itself, not only today (a note
/// is waiting once it is a day old), so it takes the clock's `now`, from which the core
/// derives today exactly as [`AppState::read`] does.
#[tauri::command(async)]
pub fn dashboard(state: State<'_, AppState>) -> WireResult<Dashboard> {
    state.with_session(|s| Ok(s.store.read(|c| dashboard::dashboard(c, s.store.now()))?))
}
