//! The practice's settings (names, address, time zone, idle lock, fee schedule): the
//! core's `practice` module. A new idle lock applies to the open session at once.

use crate::dto::AboutApp;
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::practice::{self, PracticeSettings};
use std::time::Duration;
use tauri::State;

#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> WireResult<PracticeSettings> {
    state.read(|c, _| practice::get(c))
}

#[tauri::command(async)]
pub fn update_settings(
    state: State<'_, AppState>,
    req: Req<PracticeSettings>,
) -> WireResult<PracticeSettings> {
    state.with_session(|s| {
        let saved = s.store.write(|w| practice::update(w, req.0))?;
        s.idle_lock = Duration::from_secs(u64::from(saved.idle_lock_minutes) * 60);
        Ok(saved)
    })
}

/// Which build this is: the version, the build date and the schema it writes. Asks
/// nothing of the practice.
#[tauri::command(async)]
pub fn about_app() -> WireResult<AboutApp> {
    Ok(AboutApp {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        build_date: env!("KAP_BUILD_DATE").to_owned(),
        schema_version: kap_practice::store::SCHEMA_VERSION,
    })
}
