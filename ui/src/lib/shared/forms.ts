import { tick } from 'svelte'
import type { AppError } from '../ipc'

export type FieldErrors = Record<string, string>

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

/** `""` and whitespace become `null`, as the wire's optional strings expect. */
export function optional(s: string): string | null {
  return s.trim() === '' ? null : s
}
