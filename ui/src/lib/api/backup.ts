// Backups: an encrypted copy of the whole practice in one `.kapbackup` file, made by hand
// or automatically once a day into a chosen folder, and restored on this computer or a
// new one with the passphrase. Paths come from the native dialogs; in end-to-end tests
// (`KAP_SAVE_DIR`) the shell names a folder and a file instead (`backup_target`).
import { open, save } from '@tauri-apps/plugin-dialog'
import { call } from '../ipc'
import type {
  AppStatus,
  BackupInfo,
  BackupPathRequest,
  BackupSchedule,
  BackupScheduleInput,
  BackupStatus,
  BackupTarget,
  RestoreRequest,
} from '../types'

export const BACKUP_EXTENSION = 'kapbackup'
const FILTER = { name: 'KAP Practice backup', extensions: [BACKUP_EXTENSION] }

export const backupStatus = () => call<BackupStatus>('backup_status')
export const backupNow = (req: BackupPathRequest) => call<BackupInfo>('backup_now', req)
/** Stops the running backup: it leaves no file and no audit row. */
export const cancelBackup = () => call<void>('cancel_backup')
export const setBackupSchedule = (req: BackupScheduleInput) => call<BackupSchedule>('set_backup_schedule', req)
export const inspectBackup = (req: BackupPathRequest) => call<BackupInfo>('inspect_backup', req)
export const restoreBackup = (req: RestoreRequest) => call<AppStatus>('restore_backup', req)
const backupTarget = () => call<BackupTarget | null>('backup_target')

/** Where to save a backup made now (`null` when the user cancels the save dialog). */
export async function chooseBackupSavePath(suggestedName: string): Promise<string | null> {
  const target = await backupTarget()
  if (target) return `${target.folder}/${suggestedName}`
  return (await save({ defaultPath: suggestedName, filters: [FILTER] })) ?? null
}

/** The folder for automatic backups (`null` when the user cancels the folder dialog). */
export async function chooseBackupFolder(current: string | null): Promise<string | null> {
  const target = await backupTarget()
  if (target) return target.folder
  const picked = await open({ directory: true, multiple: false, defaultPath: current ?? undefined })
  return typeof picked === 'string' ? picked : null
}

/** A backup file to restore (`null` when the user cancels the open dialog). */
export async function chooseBackupFile(): Promise<string | null> {
  const target = await backupTarget()
  if (target) return target.newest
  const picked = await open({ directory: false, multiple: false, filters: [FILTER] })
  return typeof picked === 'string' ? picked : null
}

/** `1536` → `1.5 KB`, `2621440` → `2.5 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  const units = ['KB', 'MB', 'GB']
  let n = bytes / 1024
  let unit = 0
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024
    unit += 1
  }
  return `${n >= 10 ? Math.round(n) : n.toFixed(1)} ${units[unit]}`
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

/** How long ago a moment was: `just now`, `3 hours ago`, `yesterday`, `2 weeks ago`. */
export function timeAgo(rfc3339: string, now: number = Date.now()): string {
  const then = new Date(rfc3339).getTime()
  if (Number.isNaN(then)) return ''
  const seconds = Math.round((then - now) / 1000)
  if (Math.abs(seconds) < 60) return 'just now'
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['minute', 60],
    ['hour', 3600],
    ['day', 86_400],
    ['week', 7 * 86_400],
    ['month', 30 * 86_400],
    ['year', 365 * 86_400],
  ]
  let [unit, size] = steps[0]
  for (const [u, s] of steps) {
    if (Math.abs(seconds) >= s) [unit, size] = [u, s]
  }
  return relative.format(Math.round(seconds / size), unit)
}

/** Days since a moment (fractional). */
export function ageInDays(rfc3339: string, now: number = Date.now()): number {
  return (now - new Date(rfc3339).getTime()) / 86_400_000
}

/** `Nov 26, 2026, 12:36 AM EST`: when a backup was taken, naming the zone shown. */
export function formatTaken(rfc3339: string, timeZone: string): string {
  const d = new Date(rfc3339)
  if (Number.isNaN(d.getTime())) return ''
  const opts: Intl.DateTimeFormatOptions = {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }
  try {
    return new Intl.DateTimeFormat('en-US', { ...opts, timeZone }).format(d)
  } catch {
    return new Intl.DateTimeFormat('en-US', opts).format(d)
  }
}

/** The computer's own time zone: what first run and the lock screen show times in. */
export function computerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}
