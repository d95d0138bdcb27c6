// Outcome measures: questionnaire texts, a client's measures and safety flags, recording
// from paper, striking out, safety assessments, and the client self-report mode.
import { call } from '../ipc'
import type {
  AssessSafetyRequest,
  AttendeeMeasures,
  ClientId,
  ClientMeasures,
  Course,
  CourseSettings,
  Definition,
  LeaveSelfReportRequest,
  PlannedSessionsRequest,
  RecordId,
  RecordMeasureRequest,
  SelfReportState,
  StartSelfReportRequest,
  StrikeMeasureRequest,
  SubmitSelfReportRequest,
} from '../types'

export const measureDefinitions = () => call<Definition[]>('measure_definitions')
export const clientMeasures = (req: ClientId) => call<ClientMeasures>('client_measures', req)
export const appointmentMeasures = (req: RecordId) => call<AttendeeMeasures[]>('appointment_measures', req)
export const clientCourse = (req: ClientId) => call<Course>('client_course', req)
export const setPlannedSessions = (req: PlannedSessionsRequest) => call<Course>('set_planned_sessions', req)
export const courseSettings = () => call<CourseSettings>('course_settings')
export const setCourseSettings = (req: CourseSettings) => call<CourseSettings>('set_course_settings', req)
export const recordMeasure = (req: RecordMeasureRequest) => call<ClientMeasures>('record_measure', req)
export const strikeMeasure = (req: StrikeMeasureRequest) => call<ClientMeasures>('strike_measure', req)
export const assessSafety = (req: AssessSafetyRequest) => call<ClientMeasures>('assess_safety', req)
export const startSelfReport = (req: StartSelfReportRequest) => call<SelfReportState>('start_self_report', req)
export const selfReportState = () => call<SelfReportState>('self_report_state')
export const submitSelfReport = (req: SubmitSelfReportRequest) => call<SelfReportState>('submit_self_report', req)
export const leaveSelfReport = (req: LeaveSelfReportRequest) => call<null>('leave_self_report', req)
