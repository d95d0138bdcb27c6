// Appointments: the calendar, booking, rescheduling and status.
import { call } from '../ipc'
import type {
  Appointment,
  AppointmentInput,
  CheckBookingTimeRequest,
  ClientId,
  DateRange,
  RecordId,
  RescheduleRequest,
  SetAttendanceRequest,
  SetStatusRequest,
} from '../types'

/** Appointments between two local dates (`to` exclusive, at most 62 days). */
export const listAppointments = (req: DateRange) => call<Appointment[]>('list_appointments', req)
/** A client's appointments, newest first. */
export const clientAppointments = (req: ClientId) => call<Appointment[]>('client_appointments', req)
export const getAppointment = (req: RecordId) => call<Appointment>('get_appointment', req)
export const bookAppointment = (req: AppointmentInput) => call<Appointment>('book_appointment', req)
/** What would stop this booking at its time (the room or the therapist taken), or null. */
export const checkBookingTime = (req: CheckBookingTimeRequest) => call<string | null>('check_booking_time', req)
export const checkBookingCourse = (req: CheckBookingTimeRequest) => call<string[]>('check_booking_course', req)
export const rescheduleAppointment = (req: RescheduleRequest) => call<Appointment>('reschedule_appointment', req)
export const setAppointmentStatus = (req: SetStatusRequest) => call<Appointment>('set_appointment_status', req)
export const setAttendance = (req: SetAttendanceRequest) => call<Appointment>('set_attendance', req)
