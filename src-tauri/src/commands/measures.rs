//! Outcome measures: the questionnaires' texts, a client's measures and safety flags,
//! recording from paper, striking out, the safety assessment, and the client self-report
//! mode (start, submit, leave with the passphrase).

use crate::dto::{
    AssessSafetyRequest, ClientId, ClientMeasures, LeaveSelfReportRequest, PlannedSessionsRequest,
    RecordId, RecordMeasureRequest, SelfReportState, StartSelfReportRequest, StrikeMeasureRequest,
    SubmitSelfReportRequest,
};
use crate::state::{AppState, SelfReport};
use crate::wire::{Req, WireResult};
use kap_practice::key::Passphrase;
use kap_practice::measures::course::{self, Course};
use kap_practice::measures::due::{self, AttendeeMeasures};
use kap_practice::measures::settings::{self, CourseSettings};
use kap_practice::measures::{self, safety, Definition, Instrument, MeasureInput, MeasureSource};
use kap_practice::store::Connection;
use kap_practice::Error;
use tauri::State;

/// The published texts of every questionnaire (not PHI: served in the self-report mode too).
#[tauri::command(async)]
pub fn measure_definitions(state: State<'_, AppState>) -> WireResult<Vec<Definition>> {
    state.with_any_session(|_| {
        Ok(Instrument::ALL
            .iter()
            .map(|&i| measures::definition(i).clone())
            .collect())
    })
}

pub(crate) fn client_measures_of(
    c: &Connection,
    client_id: i64,
) -> kap_practice::Result<ClientMeasures> {
    Ok(ClientMeasures {
        measures: measures::for_client(c, client_id)?,
        flags: safety::flags_for_client(c, client_id)?,
        pcl5_cut_point: measures::pcl5_cut_point(c)?,
    })
}

#[tauri::command(async)]
pub fn client_measures(
    state: State<'_, AppState>,
    req: Req<ClientId>,
) -> WireResult<ClientMeasures> {
    state.read(|c, _| client_measures_of(c, req.0.id))
}

/// The client's KAP course: each KAP session with dose, vitals and nearest measures, and
/// each instrument's totals for the charts.
#[tauri::command(async)]
pub fn client_course(state: State<'_, AppState>, req: Req<ClientId>) -> WireResult<Course> {
    state.read(|c, _| course::for_client(c, req.0.id))
}

#[tauri::command(async)]
pub fn set_planned_sessions(
    state: State<'_, AppState>,
    req: Req<PlannedSessionsRequest>,
) -> WireResult<Course> {
    let PlannedSessionsRequest {
        client_id,
        planned_sessions,
    } = req.0;
    state.write(|w, _| {
        course::set_planned_sessions(w, client_id, planned_sessions)?;
        course::for_client(w.conn(), client_id)
    })
}

/// The practice's course settings: the PCL-5 cut-point, when questionnaires are due, and
/// the blood pressure at or above which a dose needs a recorded decision.
#[tauri::command(async)]
pub fn course_settings(state: State<'_, AppState>) -> WireResult<CourseSettings> {
    state.read(|c, _| settings::get(c))
}

#[tauri::command(async)]
pub fn set_course_settings(
    state: State<'_, AppState>,
    req: Req<CourseSettings>,
) -> WireResult<CourseSettings> {
    state.write(|w, _| settings::set(w, req.0))
}

/// Each client's due questionnaires and open safety flags for one appointment.
#[tauri::command(async)]
pub fn appointment_measures(
    state: State<'_, AppState>,
    req: Req<RecordId>,
) -> WireResult<Vec<AttendeeMeasures>> {
    state.read(|c, _| due::for_appointment(c, req.0.id))
}

#[tauri::command(async)]
pub fn record_measure(
    state: State<'_, AppState>,
    req: Req<RecordMeasureRequest>,
) -> WireResult<ClientMeasures> {
    let RecordMeasureRequest { client_id, measure } = req.0;
    state.write(|w, today| {
        measures::record(w, client_id, measure, MeasureSource::Paper, today)?;
        client_measures_of(w.conn(), client_id)
    })
}

#[tauri::command(async)]
pub fn strike_measure(
    state: State<'_, AppState>,
    req: Req<StrikeMeasureRequest>,
) -> WireResult<ClientMeasures> {
    let StrikeMeasureRequest { id, reason } = req.0;
    state.write(|w, _| {
        measures::strike(w, id, &reason)?;
        let client_id = measures::client_of(w.conn(), id)?;
        client_measures_of(w.conn(), client_id)
    })
}

#[tauri::command(async)]
pub fn assess_safety(
    state: State<'_, AppState>,
    req: Req<AssessSafetyRequest>,
) -> WireResult<ClientMeasures> {
    let AssessSafetyRequest {
        measure_id,
        assessment,
    } = req.0;
    state.write(|w, _| {
        let client_id = measures::client_of(w.conn(), measure_id)?;
        safety::assess(w, measure_id, assessment)?;
        client_measures_of(w.conn(), client_id)
    })
}

/// Hands the laptop to the client: from now every other command is refused until
/// [`leave_self_report`] gets the passphrase.
#[tauri::command(async)]
pub fn start_self_report(
    state: State<'_, AppState>,
    req: Req<StartSelfReportRequest>,
) -> WireResult<SelfReportState> {
    let StartSelfReportRequest {
        client_id,
        appointment_id,
        instruments,
    } = req.0;
    state.with_session(|s| {
        let pending = s
            .store
            .read(|c| measures::self_report_plan(c, client_id, appointment_id, &instruments))?;
        s.self_report = Some(SelfReport {
            client_id,
            appointment_id,
            pending,
            answered: 0,
        });
        Ok(())
    })?;
    self_report_state(state)
}

/// Where the self-report mode stands (after a reload of the window, say); `conflict` when off.
#[tauri::command(async)]
pub fn self_report_state(state: State<'_, AppState>) -> WireResult<SelfReportState> {
    state.with_any_session(|s| match &s.self_report {
        Some(r) => Ok(SelfReportState {
            pending: r.pending.clone(),
            answered: r.answered,
        }),
        None => Err(Error::Conflict("The self-report mode is not on.".into()).into()),
    })
}

/// Records the client's answers to the next questionnaire, dated today, audited as
/// self-report.
#[tauri::command(async)]
pub fn submit_self_report(
    state: State<'_, AppState>,
    req: Req<SubmitSelfReportRequest>,
) -> WireResult<SelfReportState> {
    let SubmitSelfReportRequest {
        instrument,
        answers,
        difficulty,
    } = req.0;
    state.with_any_session(|s| {
        let Some(r) = &s.self_report else {
            return Err(Error::Conflict("The self-report mode is not on.".into()).into());
        };
        if r.pending.first() != Some(&instrument) {
            return Err(Error::Conflict("That questionnaire is not the next one.".into()).into());
        }
        let (client_id, appointment_id) = (r.client_id, r.appointment_id);
        s.store.write(|w| {
            let today = kap_practice::practice::today(w.conn(), w.now())?;
            let input = MeasureInput {
                instrument,
                taken_on: today,
                answers,
                difficulty,
                appointment_id,
            };
            measures::record(w, client_id, input, MeasureSource::SelfReport, today)
        })?;
        let r = s
            .self_report
            .as_mut()
            .ok_or(Error::Internal("self-report"))?;
        r.pending.remove(0);
        r.answered += 1;
        Ok(SelfReportState {
            pending: r.pending.clone(),
            answered: r.answered,
        })
    })
}

/// Leaves the self-report mode: the practice passphrase, counted like an unlock.
#[tauri::command(async)]
pub fn leave_self_report(
    state: State<'_, AppState>,
    req: Req<LeaveSelfReportRequest>,
) -> WireResult<()> {
    state.leave_self_report(&Passphrase::for_unlock(req.0.passphrase))
}
