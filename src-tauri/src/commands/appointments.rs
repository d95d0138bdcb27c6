//! Appointments: the calendar's range, a client's list, booking (the clearance and time
//! rules refuse in the core), rescheduling, status and attendance.

use crate::dto::*;
use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::appointments::{self, Appointment, AppointmentInput};
use kap_practice::Error;
use tauri::State;

/// Most appointments a client page shows at once.
pub(crate) const CLIENT_APPOINTMENTS: u32 = 200;

#[tauri::command(async)]
pub fn list_appointments(
    state: State<'_, AppState>,
    req: Req<DateRange>,
) -> WireResult<Vec<Appointment>> {
    let DateRange { from, to } = req.0;
    if to <= from || (to - from).num_days() > 62 {
        return Err(Error::invalid("to", "Show between one day and two months at a time.").into());
    }
    state.read(|c, _| appointments::between(c, from, to))
}

#[tauri::command(async)]
pub fn client_appointments(
    state: State<'_, AppState>,
    req: Req<ClientId>,
) -> WireResult<Vec<Appointment>> {
    state.read(|c, _| appointments::for_client(c, req.0.id, CLIENT_APPOINTMENTS))
}

#[tauri::command(async)]
pub fn get_appointment(state: State<'_, AppState>, req: Req<RecordId>) -> WireResult<Appointment> {
    state.read(|c, _| appointments::get(c, req.0.id))
}

#[tauri::command(async)]
pub fn book_appointment(
    state: State<'_, AppState>,
    req: Req<AppointmentInput>,
) -> WireResult<Appointment> {
    state.write(|w, _| {
        let id = appointments::book(w, req.0)?;
        appointments::get(w.conn(), id)
    })
}

/// What would stop a booking (or a change, with `except`) at its time, asked as the form
/// is filled in; the booking itself checks again.
#[tauri::command(async)]
pub fn check_booking_time(
    state: State<'_, AppState>,
    req: Req<CheckBookingTimeRequest>,
) -> WireResult<Option<String>> {
    let CheckBookingTimeRequest {
        appointment,
        except,
    } = req.0;
    state.read(|c, _| appointments::time_conflict(c, appointment, except))
}

/// What the course's rules warn about for a KAP session booked (or changed, with
/// `except`) at its time, asked as the form is filled in: each warning needs a reason to
/// proceed, which the booking itself checks again.
#[tauri::command(async)]
pub fn check_booking_course(
    state: State<'_, AppState>,
    req: Req<CheckBookingTimeRequest>,
) -> WireResult<Vec<String>> {
    let CheckBookingTimeRequest {
        appointment,
        except,
    } = req.0;
    state.read(|c, _| appointments::booking_warnings(c, appointment, except))
}

#[tauri::command(async)]
pub fn reschedule_appointment(
    state: State<'_, AppState>,
    req: Req<RescheduleRequest>,
) -> WireResult<Appointment> {
    let RescheduleRequest { id, appointment } = req.0;
    state.write(|w, _| {
        appointments::reschedule(w, id, appointment)?;
        appointments::get(w.conn(), id)
    })
}

#[tauri::command(async)]
pub fn set_appointment_status(
    state: State<'_, AppState>,
    req: Req<SetStatusRequest>,
) -> WireResult<Appointment> {
    let SetStatusRequest { id, status } = req.0;
    state.write(|w, _| {
        appointments::set_status(w, id, status)?;
        appointments::get(w.conn(), id)
    })
}

#[tauri::command(async)]
pub fn set_attendance(
    state: State<'_, AppState>,
    req: Req<SetAttendanceRequest>,
) -> WireResult<Appointment> {
    let SetAttendanceRequest {
        id,
        client_id,
        attendance,
    } = req.0;
    state.write(|w, _| {
        appointments::set_attendance(w, id, client_id, attendance)?;
        appointments::get(w.conn(), id)
    })
}
