// Files that leave the app: exports for portability and records requests (a client's
// complete record as a PDF, a client's or the whole practice's data as JSON + CSV in a
// zip), where to save any file (`chooseSavePath`: calendars, PDFs and exports alike), and
// opening a file saved in this session. Every file is written by the Rust shell to the
// path the user chose in the native save dialog, and recorded in the audit log.
// Suggested file names never carry a client's name.
import { save } from '@tauri-apps/plugin-dialog'
import { call } from '../ipc'
import type {
  ExportClientRequest,
  ExportPracticeRequest,
  ExportRecordRequest,
  OpenFileRequest,
  SaveTargetRequest,
  Saved,
} from '../types'

export const exportClientRecordPdf = (req: ExportRecordRequest) => call<Saved>('export_client_record_pdf', req)
export const exportPrescriberSummary = (req: ExportClientRequest) => call<Saved>('export_prescriber_summary', req)
export const exportClientZip = (req: ExportRecordRequest) => call<Saved>('export_client_zip', req)
export const exportPracticeZip = (req: ExportPracticeRequest) => call<Saved>('export_practice_zip', req)
/** Stops the running whole-practice export: it leaves no file and no audit row. */
export const cancelExport = () => call<void>('cancel_export')
/** Opens a file saved in this session in the system viewer. */
export const openSavedFile = (req: OpenFileRequest) => call<void>('open_saved_file', req)
export const saveTarget = (req: SaveTargetRequest) => call<string | null>('save_target', req)

/**
 * Where to save a file: the shell's own target when it names one (end-to-end tests, which
 * cannot click a native dialog), otherwise the path the user picks in the native save
 * dialog (`null` when they cancel).
 */
export async function chooseSavePath(fileName: string, filterName: string, extension: string): Promise<string | null> {
  const target = await saveTarget({ file_name: fileName })
  if (target) return target
  const picked = await save({ defaultPath: fileName, filters: [{ name: filterName, extensions: [extension] }] })
  return picked ?? null
}

const pad = (id: number) => String(id).padStart(6, '0')

/** `client-000123-record-2026-11-26.pdf` */
export const clientRecordName = (clientId: number, today: string) => `client-${pad(clientId)}-record-${today}.pdf`
/** `client-000123-prescriber-summary-2026-11-26.pdf` */
export const prescriberSummaryName = (clientId: number, today: string) =>
  `client-${pad(clientId)}-prescriber-summary-${today}.pdf`
/** `client-000123-export-2026-11-26.zip` */
export const clientZipName = (clientId: number, today: string) => `client-${pad(clientId)}-export-${today}.zip`
/** `practice-export-2026-11-26.zip` */
export const practiceZipName = (today: string) => `practice-export-${today}.zip`
