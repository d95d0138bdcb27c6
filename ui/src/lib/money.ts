// Money is integer cents. Dollars typed by people are converted with string arithmetic,
// never floating-point multiplication.
import type { Cents } from './types'

const DOLLARS = /^(\d{1,8})(?:\.(\d{1,2}))?$/

/**
 * Parses a dollar amount such as `600`, `600.5` or `$1,250.00` into cents.
 * Returns `null` for an empty input and `undefined` when it is not an amount.
 */
export function parseDollars(input: string): Cents | null | undefined {
  const s = input.trim().replace(/^\$/, '').replace(/,(?=\d{3}(?:\D|$))/g, '')
  if (s === '') return null
  const m = DOLLARS.exec(s)
  if (!m) return undefined
  const whole = Number.parseInt(m[1], 10)
  const frac = Number.parseInt((m[2] ?? '').padEnd(2, '0'), 10)
  return whole * 100 + frac
}

/** Cents as the plain text of a dollar input, e.g. 60000 → `600.00`. */
export function centsToInput(cents: Cents | null): string {
  if (cents === null) return ''
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })

/** Cents for display, e.g. 60000 → `$600.00`. Division happens only for display. */
export function formatCents(cents: Cents): string {
  return USD.format(cents / 100)
}

export const DOLLAR_HINT = 'Dollars and cents, for example 600.00.'
export const DOLLAR_ERROR = 'Enter an amount in dollars, for example 600 or 600.00.'
