// Dates in US form. Moments (RFC 3339, UTC) show in the practice's time zone; calendar
// dates (`YYYY-MM-DD`, e.g. a date of birth) show as they are, never shifted by a zone.

const momentFormats = new Map<string, Intl.DateTimeFormat>()

function momentFormat(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`
  let f = momentFormats.get(key)
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', year: 'numeric' }
    if (withTime) Object.assign(opts, { hour: 'numeric', minute: '2-digit' })
    try {
      f = new Intl.DateTimeFormat('en-US', { ...opts, timeZone })
    } catch {
      f = new Intl.DateTimeFormat('en-US', { ...opts, timeZone: 'America/New_York' })
    }
    momentFormats.set(key, f)
  }
  return f
}

/** `2026-11-26T15:04:05Z` → `Nov 26, 2026` (or with the time) in the practice's zone. */
export function formatMoment(rfc3339: string, timeZone: string, withTime = false): string {
  const d = new Date(rfc3339)
  if (Number.isNaN(d.getTime())) return ''
  return momentFormat(timeZone, withTime).format(d)
}

const calendarFormat = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
})

/** `1988-03-04` → `Mar 4, 1988`, without any time-zone shift. */
export function formatCalendarDate(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd)
  if (!m) return ''
  const [y, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const d = new Date(Date.UTC(y, mo - 1, day))
  // Date.UTC rolls an impossible date over (Feb 30 → Mar 2) and reads years 0–99 as
  // 1900–1999: a date that does not come back unchanged is not shown as another one.
  if (d.getUTCFullYear() !== y || d.getUTCMonth() !== mo - 1 || d.getUTCDate() !== day) return ''
  return calendarFormat.format(d)
}

/** Today's calendar date (`YYYY-MM-DD`) in the practice's time zone. */
export function todayIn(timeZone: string): string {
  let f: Intl.DateTimeFormat
  try {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
  } catch {
    f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' })
  }
  const parts = Object.fromEntries(f.formatToParts(new Date()).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}

// Typed US dates. People type `MM/DD/YYYY` (or `M/D/YYYY`); the wire carries `YYYY-MM-DD`.

export const DATE_HINT = 'MM/DD/YYYY'
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
]

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one (UTC: no zone involved).
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/** What a date input holds: nothing, a valid calendar date, or a problem to show. */
export type DateReading = { kind: 'empty' } | { kind: 'date'; iso: string } | { kind: 'error'; message: string }

/**
 * Reads a typed date (`MM/DD/YYYY` or `M/D/YYYY`; an ISO `YYYY-MM-DD` is also accepted)
 * into the wire's `YYYY-MM-DD`, by plain arithmetic on the numbers typed: no time zone.
 */
export function readDate(input: string): DateReading {
  const s = input.trim()
  if (s === '') return { kind: 'empty' }
  let y: number, m: number, d: number
  const us = US_DATE.exec(s)
  const iso = us ? null : ISO_DATE.exec(s)
  if (us) {
    m = Number(us[1])
    d = Number(us[2])
    y = Number(us[3])
  } else if (iso) {
    y = Number(iso[1])
    m = Number(iso[2])
    d = Number(iso[3])
  } else {
    return { kind: 'error', message: 'Enter the date as MM/DD/YYYY, for example 03/04/2026.' }
  }
  if (y < 1900 || y > 2100) return { kind: 'error', message: 'Enter a year between 1900 and 2100.' }
  if (m < 1 || m > 12) return { kind: 'error', message: 'The month must be between 01 and 12.' }
  const last = daysInMonth(y, m)
  if (d < 1 || d > last) {
    return { kind: 'error', message: `There is no ${MONTHS[m - 1]} ${d}, ${y}: that month has ${last} days.` }
  }
  return { kind: 'date', iso: `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}` }
}

/** `2026-03-04` → `03/04/2026`, the form people type. Anything else is returned as is. */
export function isoToUs(value: string): string {
  const m = ISO_DATE.exec(value)
  return m ? `${m[2]}/${m[3]}/${m[1]}` : value
}

/**
 * Checks a date field's value before sending: the ISO date, or a field error.
 * `required` makes an empty field an error too.
 */
export function checkDate(
  value: string,
  required: boolean,
): { ok: true; iso: string | null } | { ok: false; message: string } {
  const r = readDate(value)
  if (r.kind === 'error') return { ok: false, message: r.message }
  if (r.kind === 'empty') return required ? { ok: false, message: 'Enter a date as MM/DD/YYYY.' } : { ok: true, iso: null }
  return { ok: true, iso: r.iso }
}

/** Whole days from one `YYYY-MM-DD` to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const utc = (ymd: string) => {
    const [y, m, d] = ymd.split('-').map(Number)
    return Date.UTC(y, m - 1, d)
  }
  return Math.round((utc(to) - utc(from)) / 86_400_000)
}

/** How far off an open item's due day is: "due today", "3 days overdue", "due Dec 7, 2026". */
export function dueWords(today: string, due: string): string {
  const n = daysBetween(today, due)
  if (n === 0) return 'due today'
  if (n < 0) return `${-n} day${n === -1 ? '' : 's'} overdue`
  if (n === 1) return 'due tomorrow'
  return `due ${formatCalendarDate(due)}`
}
