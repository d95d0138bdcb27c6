//! A client's clinical record as clearance sees it: intakes, screenings, prescriptions and
//! consents (each write answers with the whole record), the clearance check on a date, the
//! badges lists show (the clearances running out come with Home's dashboard).

use crate::dto::*;
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::clearance::{self, ClearanceBadge, ClearanceRecord, ClearanceView};
use kap_practice::store::Writer;
use kap_practice::{consent, intakes, prescriptions};
use tauri::State;

/// Runs a write that changes one client's clinical record (`f` returns the client's id),
/// then returns that record.
fn write_record(
    state: &AppState,
    f: impl FnOnce(&mut Writer<'_>, chrono::NaiveDate) -> kap_practice::Result<i64>,
) -> WireResult<ClearanceRecord> {
    state.write(|w, today| {
        let client_id = f(w, today)?;
        clearance::record(w.conn(), client_id, today)
    })
}

#[tauri::command(async)]
pub fn get_clearance_record(
    state: State<'_, AppState>,
    req: Req<ClientId>,
) -> WireResult<ClearanceRecord> {
    state.read(|c, today| clearance::record(c, req.0.id, today))
}

#[tauri::command(async)]
pub fn check_clearance(
    state: State<'_, AppState>,
    req: Req<CheckClearanceRequest>,
) -> WireResult<ClearanceView> {
    let CheckClearanceRequest { client_id, on } = req.0;
    let check = state.read(|c, _| clearance::check(c, client_id, on))?;
    Ok(ClearanceView::new(on, check))
}

#[tauri::command(async)]
pub fn create_intake(
    state: State<'_, AppState>,
    req: Req<CreateIntakeRequest>,
) -> WireResult<ClearanceRecord> {
    let CreateIntakeRequest { client_id, intake } = req.0;
    write_record(&state, |w, today| {
        intakes::create(w, client_id, intake, today).map(|_| client_id)
    })
}

#[tauri::command(async)]
pub fn update_intake(
    state: State<'_, AppState>,
    req: Req<UpdateIntakeRequest>,
) -> WireResult<ClearanceRecord> {
    let UpdateIntakeRequest { id, intake } = req.0;
    write_record(&state, |w, today| {
        intakes::update(w, id, intake, today)?;
        intakes::client_of(w.conn(), id)
    })
}

#[tauri::command(async)]
pub fn record_screening(
    state: State<'_, AppState>,
    req: Req<RecordScreeningRequest>,
) -> WireResult<ClearanceRecord> {
    let RecordScreeningRequest {
        intake_id,
        screening,
    } = req.0;
    write_record(&state, |w, today| {
        intakes::record_screening(w, intake_id, screening, today)?;
        intakes::client_of(w.conn(), intake_id)
    })
}

#[tauri::command(async)]
pub fn create_prescription(
    state: State<'_, AppState>,
    req: Req<CreatePrescriptionRequest>,
) -> WireResult<ClearanceRecord> {
    let CreatePrescriptionRequest {
        client_id,
        prescription,
    } = req.0;
    write_record(&state, |w, today| {
        prescriptions::create(w, client_id, prescription, today).map(|_| client_id)
    })
}

#[tauri::command(async)]
pub fn record_consent(
    state: State<'_, AppState>,
    req: Req<RecordConsentRequest>,
) -> WireResult<ClearanceRecord> {
    let RecordConsentRequest {
        client_id,
        consent,
        name_confirmed,
    } = req.0;
    write_record(&state, |w, today| {
        consent::record(w, client_id, consent, today, name_confirmed).map(|_| client_id)
    })
}

/// The consent form in force, for the consent dialog to show in full.
#[tauri::command(async)]
pub fn get_consent_form(state: State<'_, AppState>) -> WireResult<ConsentFormView> {
    state.with_session(|_| {
        let f = consent::current();
        Ok(ConsentFormView {
            version: f.version,
            title: f.title.into(),
            text: f.text.into(),
        })
    })
}

/// Clearance on a date for the clients a list or a picker shows.
#[tauri::command(async)]
pub fn clearance_badges(
    state: State<'_, AppState>,
    req: Req<ClearanceBadgesRequest>,
) -> WireResult<Vec<ClearanceBadge>> {
    let ClearanceBadgesRequest { client_ids, on } = req.0;
    state.read(|c, _| clearance::badges(c, &client_ids, on))
}
