// The calendar export (.ics). The file is written by the Rust shell to a path the user
// chose in the native save dialog (`chooseSavePath`, lib/api/export.ts).
import { call } from '../ipc'
import type { ExportScheduleRequest, Saved } from '../types'

export const exportSchedule = (req: ExportScheduleRequest) => call<Saved>('export_schedule', req)
