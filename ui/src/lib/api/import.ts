// Records moving in: a client list from another system's CSV file (preview, a dry run shown
// a page at a time, then the import, all or nothing) and this app's own practice export
// into a new practice. Paths come from the native open dialog; in end-to-end tests
// (`KAP_SAVE_DIR`) the shell names the newest file of the kind instead (`open_target`).
import { open } from '@tauri-apps/plugin-dialog'
import { call } from '../ipc'
import type {
  CsvDryRunPage,
  CsvDryRunRequest,
  CsvImported,
  CsvImportRequest,
  CsvPreview,
  ImportFileRequest,
  ImportSummary,
  OpenTargetRequest,
} from '../types'

export const previewClientCsv = (req: ImportFileRequest) => call<CsvPreview>('preview_client_csv', req)
export const dryRunClientCsv = (req: CsvDryRunRequest) => call<CsvDryRunPage>('dry_run_client_csv', req)
export const importClientCsv = (req: CsvImportRequest) => call<CsvImported>('import_client_csv', req)
export const checkPracticeExport = (req: ImportFileRequest) => call<ImportSummary>('check_practice_export', req)
export const importPracticeExport = (req: ImportFileRequest) => call<ImportSummary>('import_practice_export', req)
const openTarget = (req: OpenTargetRequest) => call<string | null>('open_target', req)

const FILTERS = {
  csv: { name: 'CSV file', extensions: ['csv', 'txt'] },
  zip: { name: 'KAP Practice export (zip)', extensions: ['zip'] },
}

/** A file to import (`null` when the user cancels the open dialog). */
export async function chooseImportFile(kind: 'csv' | 'zip'): Promise<string | null> {
  const target = await openTarget({ extension: kind })
  if (target) return target
  const picked = await open({ directory: false, multiple: false, filters: [FILTERS[kind]] })
  return typeof picked === 'string' ? picked : null
}

/** The file's own name, for showing which file was chosen (`/a/b/clients.csv` → `clients.csv`). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts[parts.length - 1] || path
}
