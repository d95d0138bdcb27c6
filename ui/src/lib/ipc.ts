// The one place the UI talks to the Rust shell. Components never call `invoke`.
import { invoke } from '@tauri-apps/api/core'
import type { ErrorCode, FieldError, NotClearedFor, WireError } from './types'
import { callEnded, callStarted } from './perf'

// Every code the shell sends: a `Record` over `ErrorCode`, so a code added in Rust (and
// so in the generated type) fails the type check until it is listed here too.
const KNOWN: Record<ErrorCode, true> = {
  locked: true,
  wrong_passphrase: true,
  try_later: true,
  invalid: true,
  not_found: true,
  conflict: true,
  not_cleared: true,
  disk_full: true,
  read_only: true,
  other_practice: true,
  self_report: true,
  internal: true,
}
const CODES: ReadonlySet<string> = new Set(Object.keys(KNOWN))

/** A command failure, as every command reports it. `message` is meant for the user. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly fields: FieldError[]
  /** For `not_cleared`: the client the booking was refused for, and why. */
  readonly notCleared: NotClearedFor | null

  constructor(wire: WireError) {
    super(wire.message)
    this.name = 'AppError'
    this.code = wire.code
    this.fields = wire.fields ?? []
    this.notCleared = wire.not_cleared ?? null
  }
}

function isWireError(e: unknown): e is WireError {
  if (typeof e !== 'object' || e === null) return false
  const o = e as Record<string, unknown>
  return typeof o.code === 'string' && CODES.has(o.code) && typeof o.message === 'string'
}

/** Turns anything a command may throw into an AppError, without leaking technical text. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e
  if (isWireError(e)) {
    const fields = Array.isArray(e.fields)
      ? e.fields.filter(
          (f): f is FieldError =>
            typeof f === 'object' && f !== null && typeof f.field === 'string' && typeof f.message === 'string',
        )
      : []
    const nc = e.not_cleared
    const notCleared =
      typeof nc === 'object' && nc !== null && typeof nc.client_id === 'number' && Array.isArray(nc.reasons)
        ? { client_id: nc.client_id, reasons: nc.reasons.filter((r): r is string => typeof r === 'string') }
        : undefined
    return new AppError({ code: e.code, message: e.message, fields, not_cleared: notCleared })
  }
  return new AppError({
    code: 'internal',
    message: 'Something went wrong and the action was not completed. Please try again.',
  })
}

type LockedListener = () => void
let onLocked: LockedListener | null = null
let onSelfReport: LockedListener | null = null

/** The app registers what to do when any command reports that the practice is locked. */
export function setLockedHandler(fn: LockedListener | null): void {
  onLocked = fn
}

/** The app registers what to do when a command finds the client self-report mode on. */
export function setSelfReportHandler(fn: LockedListener | null): void {
  onSelfReport = fn
}

/**
 * The failure to show for what a command threw, or `null` when the practice is locked:
 * `call` has already shown the lock screen, and the page under it says nothing. The one
 * place the UI decides what a `locked` failure means.
 */
export function failure(e: unknown): AppError | null {
  const err = toAppError(e)
  return err.code === 'locked' || err.code === 'self_report' ? null : err
}

/** Shows a failure's message with `show`, unless the practice is locked (see `failure`). */
export function report(e: unknown, show: (message: string) => void): void {
  const err = failure(e)
  if (err) show(err.message)
}

/** One answered call, as `scripts/bench-ui` reads it. */
interface LoggedCall {
  command: string
  t0: number
  t1: number
  result: unknown
}

/**
 * The log of calls `scripts/bench-ui` asks for by setting `window.__kapCallLog` to an
 * array (and deletes when it has read it, to size the answers outside the timing). Absent
 * otherwise: the app itself never sets it, so nothing is kept.
 */
function callLog(): LoggedCall[] | null {
  const log = (globalThis as { __kapCallLog?: unknown }).__kapCallLog
  return Array.isArray(log) ? (log as LoggedCall[]) : null
}

/**
 * Calls a command. Commands with input take a single argument named `req`.
 * Rejects with an AppError; a `locked` error also tells the app to show the lock screen.
 */
export async function call<T>(command: string, req?: unknown): Promise<T> {
  // Counted in flight for the interaction timing (perf.ts): an interaction lasts until
  // every call has been answered.
  callStarted()
  const log = callLog()
  const t0 = log ? performance.now() : 0
  try {
    const result = await invoke<T>(command, req === undefined ? undefined : { req })
    log?.push({ command, t0, t1: performance.now(), result })
    return result
  } catch (e) {
    const err = toAppError(e)
    if (err.code === 'locked' && onLocked) onLocked()
    if (err.code === 'self_report' && onSelfReport) onSelfReport()
    throw err
  } finally {
    callEnded()
  }
}
