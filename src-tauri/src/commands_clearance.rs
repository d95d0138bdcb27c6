//! Commands for prescribers, intakes, screenings, prescriptions, consents and clearance:
//! adapters over the core, a few lines each.

use crate::dto::*;
use crate::state::{AppState, Session};
use crate::wire::{Req, WireResult};
use chrono::Utc;
use kap_practice::clearance::{self, ClearanceRecord, ClearanceView, ExpiringClearance};
use kap_practice::intakes::{self, ContraindicationItem};
use kap_practice::prescribers::{self, Prescriber, PrescriberInput};
use kap_practice::store::Writer;
use kap_practice::{consent, practice, prescriptions};
use tauri::State;

/// Days ahead the home screen looks for clearances running out.
const EXPIRING_WITHIN_DAYS: u32 = 30;

/// Runs a write that changes one client's clinical record, then returns that record.
fn write_record(
    s: &Session,
    f: impl FnOnce(&mut Writer<'_>, chrono::NaiveDate) -> kap_practice::Result<i64>,
) -> WireResult<ClearanceRecord> {
    Ok(s.store.write(|w| {
        let today = practice::today(w.conn(), w.now())?;
        let client_id = f(w, today)?;
        clearance::record(w.conn(), client_id, today)
    })?)
}

#[tauri::command(async)]
pub fn list_prescribers(
    state: State<'_, AppState>,
    req: Req<ListPrescribersRequest>,
) -> WireResult<Vec<Prescriber>> {
    state.with_session(|s| {
        Ok(s.store
            .read(|c| prescribers::list(c, req.0.include_archived))?)
    })
}

#[tauri::command(async)]
pub fn create_prescriber(
    state: State<'_, AppState>,
    req: Req<PrescriberInput>,
) -> WireResult<Prescriber> {
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            let id = prescribers::create(w, req.0)?;
            prescribers::get(w.conn(), id)
        })?)
    })
}

#[tauri::command(async)]
pub fn update_prescriber(
    state: State<'_, AppState>,
    req: Req<UpdatePrescriberRequest>,
) -> WireResult<Prescriber> {
    let UpdatePrescriberRequest { id, prescriber } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            prescribers::update(w, id, prescriber)?;
            prescribers::get(w.conn(), id)
        })?)
    })
}

#[tauri::command(async)]
pub fn archive_prescriber(
    state: State<'_, AppState>,
    req: Req<RecordId>,
) -> WireResult<Prescriber> {
    set_prescriber_archived(&state, req.0.id, true)
}

#[tauri::command(async)]
pub fn unarchive_prescriber(
    state: State<'_, AppState>,
    req: Req<RecordId>,
) -> WireResult<Prescriber> {
    set_prescriber_archived(&state, req.0.id, false)
}

fn set_prescriber_archived(state: &AppState, id: i64, archived: bool) -> WireResult<Prescriber> {
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            prescribers::set_archived(w, id, archived)?;
            prescribers::get(w.conn(), id)
        })?)
    })
}

#[tauri::command(async)]
pub fn get_clearance_record(
    state: State<'_, AppState>,
    req: Req<ClientId>,
) -> WireResult<ClearanceRecord> {
    state.with_session(|s| {
        Ok(s.store
            .read(|c| clearance::record(c, req.0.id, practice::today(c, Utc::now())?))?)
    })
}

#[tauri::command(async)]
pub fn check_clearance(
    state: State<'_, AppState>,
    req: Req<CheckClearanceRequest>,
) -> WireResult<ClearanceView> {
    let CheckClearanceRequest { client_id, on } = req.0;
    state.with_session(|s| {
        Ok(ClearanceView::new(
            on,
            s.store.read(|c| clearance::check(c, client_id, on))?,
        ))
    })
}

#[tauri::command(async)]
pub fn create_intake(
    state: State<'_, AppState>,
    req: Req<CreateIntakeRequest>,
) -> WireResult<ClearanceRecord> {
    let CreateIntakeRequest { client_id, intake } = req.0;
    state.with_session(|s| {
        write_record(s, |w, today| {
            intakes::create(w, client_id, intake, today).map(|_| client_id)
        })
    })
}

#[tauri::command(async)]
pub fn update_intake(
    state: State<'_, AppState>,
    req: Req<UpdateIntakeRequest>,
) -> WireResult<ClearanceRecord> {
    let UpdateIntakeRequest { id, intake } = req.0;
    state.with_session(|s| {
        write_record(s, |w, today| {
            intakes::update(w, id, intake, today)?;
            intakes::client_of(w.conn(), id)
        })
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
    state.with_session(|s| {
        write_record(s, |w, today| {
            intakes::record_screening(w, intake_id, screening, today)?;
            intakes::client_of(w.conn(), intake_id)
        })
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
    state.with_session(|s| {
        write_record(s, |w, today| {
            prescriptions::create(w, client_id, prescription, today).map(|_| client_id)
        })
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
    state.with_session(|s| {
        write_record(s, |w, today| {
            consent::record(w, client_id, consent, today, name_confirmed).map(|_| client_id)
        })
    })
}

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

#[tauri::command(async)]
pub fn list_contraindications(state: State<'_, AppState>) -> WireResult<Vec<ContraindicationItem>> {
    state.with_session(|s| Ok(s.store.read(intakes::list_items)?))
}

#[tauri::command(async)]
pub fn set_contraindication_enabled(
    state: State<'_, AppState>,
    req: Req<SetContraindicationRequest>,
) -> WireResult<Vec<ContraindicationItem>> {
    let SetContraindicationRequest { id, enabled } = req.0;
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            intakes::set_item_enabled(w, id, enabled)?;
            intakes::list_items(w.conn())
        })?)
    })
}

#[tauri::command(async)]
pub fn add_contraindication(
    state: State<'_, AppState>,
    req: Req<AddContraindicationRequest>,
) -> WireResult<Vec<ContraindicationItem>> {
    state.with_session(|s| {
        Ok(s.store.write(|w| {
            intakes::add_item(w, &req.0.label)?;
            intakes::list_items(w.conn())
        })?)
    })
}

#[tauri::command(async)]
pub fn expiring_clearances(state: State<'_, AppState>) -> WireResult<Vec<ExpiringClearance>> {
    state.with_session(|s| {
        Ok(s.store.read(|c| {
            clearance::expiring(c, practice::today(c, Utc::now())?, EXPIRING_WITHIN_DAYS)
        })?)
    })
}

/// Clearance on a date for the clients a list or a picker shows.
#[tauri::command(async)]
pub fn clearance_badges(
    state: State<'_, AppState>,
    req: Req<ClearanceBadgesRequest>,
) -> WireResult<Vec<clearance::ClearanceBadge>> {
    let ClearanceBadgesRequest { client_ids, on } = req.0;
    state.with_session(|s| Ok(s.store.read(|c| clearance::badges(c, &client_ids, on))?))
}
