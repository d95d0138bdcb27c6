// The calendar export (.ics). The file is written by the Rust shell to a path the user
// chose in the native save dialog (or, in end-to-end tests, one the shell names).
import { save } from '@tauri-apps/plugin-dialog'
import { call } from '../ipc'
import type { ExportScheduleRequest, SaveTargetRequest, Saved } from '../types'

export const saveTarget = (req: SaveTargetRequest) => call<string | null>('save_target', req)
export const exportSchedule = (req: ExportScheduleRequest) => call<Saved>('export_schedule', req)

/**
 * Where to save a file: the shell's own target when it names one, otherwise the path the
 * user picks in the native save dialog (`null` when they cancel).
 */
export async function chooseSavePath(fileName: string, filterName: string, extension: string): Promise<string | null> {
  const target = await saveTarget({ file_name: fileName })
  if (target) return target
  const picked = await save({ defaultPath: fileName, filters: [{ name: filterName, extensions: [extension] }] })
  return picked ?? null
}
