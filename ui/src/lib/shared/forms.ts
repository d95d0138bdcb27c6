import { tick } from 'svelte'
import { failure, type AppError } from '../ipc'

export type FieldErrors = Record<string, string>

/** The banner above a form: a sentence, and the problems no field of the form shows. */
export type Banner = { message: string; details: string[] }

/**
 * What a form shows while and after it is sent. Components hold one in `$state` (see
 * `formState`) and `submitForm` updates it.
 */
export type FormState = { errors: FieldErrors; banner: Banner | null; busy: boolean }

export function formState(): FormState {
  return { errors: {}, banner: null, busy: false }
}

/** Field errors by wire field name (the first message per field wins). */
export function fieldErrors(err: AppError): FieldErrors {
  const out: FieldErrors = {}
  for (const f of err.fields) {
    if (!(f.field in out)) out[f.field] = f.message
  }
  return out
}

/** Messages for fields the form has no input for, to show in the banner instead. */
export function unplacedErrors(errors: FieldErrors, placed: (field: string) => boolean): string[] {
  return Object.entries(errors)
    .filter(([field]) => !placed(field))
    .map(([, message]) => message)
}

/** How a form reads a failure: which fields it has, and what its banner says for `invalid`. */
export type FailureReading = {
  /** Whether the form has an input for this wire field (its error shows there). */
  placed: (field: string) => boolean
  /** The banner's sentence when the core found fields invalid; without it, the banner shows only problems no field shows. */
  invalid?: string
}

/**
 * A command's failure as a form shows it: each field's error at its field, and a banner
 * with the failure's message (or the `invalid` sentence) and the problems no field of the
 * form can show. No banner when every problem is at a field and the form has no sentence
 * of its own for that.
 */
export function formFailure(err: AppError, reading: FailureReading): { errors: FieldErrors; banner: Banner | null } {
  const errors = fieldErrors(err)
  const details = unplacedErrors(errors, reading.placed)
  if (!err.fields.length) return { errors, banner: { message: err.message, details: [] } }
  if (err.code !== 'invalid') return { errors, banner: { message: err.message, details } }
  if (reading.invalid) return { errors, banner: { message: reading.invalid, details } }
  if (!details.length) return { errors, banner: null }
  return { errors, banner: { message: 'Some details need attention.', details } }
}

/** A form's input as built from what was typed, or the form's own errors by field. */
export type Built<T> = { ok: true; input: T } | { ok: false; errors: FieldErrors }

/** The errors of a built form, none when it built. */
export function errorsOf(built: { ok: true } | { ok: false; errors: FieldErrors }): FieldErrors {
  return built.ok ? {} : built.errors
}

/** A form's submission: its own checks first, then the command. */
export type Submission<T> = FailureReading & {
  /** The form (or its dialog), to focus its first field in error, else its banner. */
  form: HTMLElement | undefined
  /** The form's own checks, before anything is sent: errors by field, none when fine. */
  check?: () => FieldErrors
  send: () => Promise<T>
  /**
   * After a failure is shown: a form with a case of its own (e.g. a name to confirm) sees
   * it here, and returns true when it placed focus itself.
   */
  failed?: (err: AppError) => boolean | Promise<boolean>
}

/**
 * Sends a form once at a time: `state.busy` while it runs; field errors from the form's
 * own checks (with the `invalid` sentence in the banner, when the form has one) or from the core's answer at their fields, the rest in the banner; focus on
 * the first field in error, else on the banner. Returns `{ value }` with what `send`
 * returned, or `null` when the form was not sent or failed. A locked practice says nothing here
 * (`failure` in ipc.ts: the lock screen is already up).
 */
export async function submitForm<T>(state: FormState, s: Submission<T>): Promise<{ value: T } | null> {
  if (state.busy) return null
  state.banner = null
  const local = s.check?.() ?? {}
  state.errors = local
  if (Object.keys(local).length) {
    if (s.invalid) state.banner = { message: s.invalid, details: [] }
    await focusProblem(s.form)
    return null
  }
  state.busy = true
  try {
    return { value: await s.send() }
  } catch (e) {
    const err = failure(e)
    if (!err) return null
    const shown = formFailure(err, s)
    state.errors = shown.errors
    state.banner = shown.banner
    if (!(await s.failed?.(err))) await focusProblem(s.form)
    return null
  } finally {
    state.busy = false
  }
}

/** After the DOM shows the errors, moves focus to the first invalid input of the form. */
export async function focusFirstError(form: HTMLElement | undefined): Promise<boolean> {
  await tick()
  const el = form?.querySelector<HTMLElement>('[aria-invalid="true"]')
  if (el) {
    el.focus()
    return true
  }
  return false
}

/** Moves focus to the form's error banner (when there is no field to focus). */
export async function focusBanner(form: HTMLElement | undefined): Promise<void> {
  await tick()
  const el = form?.querySelector<HTMLElement>('[data-testid="error-banner"]')
  if (el) {
    el.setAttribute('tabindex', '-1')
    el.focus()
  }
}

/** Focus on the first field in error, else on the banner. */
export async function focusProblem(form: HTMLElement | undefined): Promise<void> {
  if (!(await focusFirstError(form))) await focusBanner(form)
}

/** `""` and whitespace become `null`, as the wire's optional strings expect. */
export function optional(s: string): string | null {
  return s.trim() === '' ? null : s
}
