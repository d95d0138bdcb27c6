// Exports for portability and records requests: a client's complete record as a PDF, a
// client's or the whole practice's data as JSON + CSV in a zip. The file is written by the
// Rust shell to a path the user chose in the native save dialog (`chooseSavePath`); each
// export is recorded in the audit log. Suggested file names never carry a client's name.
import { call } from '../ipc'
import type { ExportClientRequest, ExportPracticeRequest, Saved } from '../types'

export const exportClientRecordPdf = (req: ExportClientRequest) => call<Saved>('export_client_record_pdf', req)
export const exportClientZip = (req: ExportClientRequest) => call<Saved>('export_client_zip', req)
export const exportPracticeZip = (req: ExportPracticeRequest) => call<Saved>('export_practice_zip', req)
/** Stops the running whole-practice export: it leaves no file and no audit row. */
export const cancelExport = () => call<void>('cancel_export')

const pad = (id: number) => String(id).padStart(6, '0')

/** `client-000123-record-2026-11-26.pdf` */
export const clientRecordName = (clientId: number, today: string) => `client-${pad(clientId)}-record-${today}.pdf`
/** `client-000123-export-2026-11-26.zip` */
export const clientZipName = (clientId: number, today: string) => `client-${pad(clientId)}-export-${today}.zip`
/** `practice-export-2026-11-26.zip` */
export const practiceZipName = (today: string) => `practice-export-${today}.zip`
