// Wall-clock times and weeks. Appointment times arrive as wall times in the practice's
// time zone (`YYYY-MM-DDTHH:MM:SS`, no zone) and are shown exactly as they are; people
// type times in US 12-hour form and the wire carries `HH:MM:SS`. No time zone arithmetic
// happens here: dates are plain calendar dates (UTC is used only as a zone-free calendar).

export const TIME_HINT = 'For example 2:30 PM'

/** What a time input holds: nothing, a valid time, or a problem to show. */
export type TimeReading = { kind: 'empty' } | { kind: 'time'; wire: string } | { kind: 'error'; message: string }

const TWELVE = /^(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*(?:m\.?)?$/i
const TWENTY_FOUR = /^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$/

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

/**
 * Reads a typed time: "10:00 AM", "10 am", "2:30pm", "2:30 p.m." or 24-hour "14:30"
 * (also "14:30:00"). Gives the wire's `HH:MM:SS`.
 */
export function readTime(input: string): TimeReading {
  const s = input.trim()
  if (s === '') return { kind: 'empty' }
  const bad = { kind: 'error' as const, message: 'Enter a time such as 10:00 AM, 2:30 PM or 14:30.' }
  let h: number, m: number, sec: number
  const t = TWELVE.exec(s)
  if (t) {
    h = Number(t[1])
    m = t[2] ? Number(t[2]) : 0
    sec = t[3] ? Number(t[3]) : 0
    if (h < 1 || h > 12) return { kind: 'error', message: 'With AM or PM, the hour is between 1 and 12.' }
    const pm = t[4].toLowerCase() === 'p'
    h = (h % 12) + (pm ? 12 : 0)
  } else {
    const f = TWENTY_FOUR.exec(s)
    if (!f) {
      if (/^\d{1,2}$/.test(s)) return { kind: 'error', message: 'Add AM or PM, for example 10 AM.' }
      return bad
    }
    h = Number(f[1])
    m = Number(f[2])
    sec = f[3] ? Number(f[3]) : 0
    if (h > 23) return bad
  }
  if (m > 59 || sec > 59) return { kind: 'error', message: 'The minutes must be between 00 and 59.' }
  return { kind: 'time', wire: `${pad2(h)}:${pad2(m)}:${pad2(sec)}` }
}

/** `14:30:00` (or `14:30`) → `2:30 PM`. Anything else is returned as is. */
export function formatTime(wire: string): string {
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/.exec(wire)
  if (!m) return wire
  const h = Number(m[1])
  const suffix = h < 12 ? 'AM' : 'PM'
  const h12 = h % 12 === 0 ? 12 : h % 12
  return `${h12}:${m[2]} ${suffix}`
}

/**
 * Checks a time field's value before sending: the wire time, or a field error.
 * `required` makes an empty field an error too.
 */
export function checkTime(
  value: string,
  required: boolean,
): { ok: true; wire: string | null } | { ok: false; message: string } {
  const r = readTime(value)
  if (r.kind === 'error') return { ok: false, message: r.message }
  if (r.kind === 'empty') return required ? { ok: false, message: 'Enter a time, for example 10:00 AM.' } : { ok: true, wire: null }
  return { ok: true, wire: r.wire }
}

/** The date part of a wall time: `2026-03-10T10:00:00` → `2026-03-10`. */
export function datePart(local: string): string {
  return local.slice(0, 10)
}

/** The time part of a wall time: `2026-03-10T10:00:00` → `10:00:00`. */
export function timePart(local: string): string {
  return local.slice(11, 19)
}

/** Minutes since midnight of a wall time's clock. */
export function minutesOf(local: string): number {
  return Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16))
}

function utcDate(ymd: string): Date {
  const [y, m, d] = ymd.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d))
}

function ymdOf(d: Date): string {
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
}

/** A calendar date plus whole days. */
export function addDays(ymd: string, days: number): string {
  const d = utcDate(ymd)
  d.setUTCDate(d.getUTCDate() + days)
  return ymdOf(d)
}

/** The Monday of the week holding this date. */
export function mondayOf(ymd: string): string {
  const dow = utcDate(ymd).getUTCDay() // 0 = Sunday
  return addDays(ymd, -((dow + 6) % 7))
}

const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const WEEKDAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const WEEKDAY_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** `Mar 9 – 15, 2026`, `Mar 30 – Apr 5, 2026` or `Dec 28, 2026 – Jan 3, 2027`. */
export function weekLabel(monday: string): string {
  const a = utcDate(monday)
  const b = utcDate(addDays(monday, 6))
  const [am, ad, ay] = [a.getUTCMonth(), a.getUTCDate(), a.getUTCFullYear()]
  const [bm, bd, by] = [b.getUTCMonth(), b.getUTCDate(), b.getUTCFullYear()]
  if (ay !== by) return `${MONTH_SHORT[am]} ${ad}, ${ay} – ${MONTH_SHORT[bm]} ${bd}, ${by}`
  if (am !== bm) return `${MONTH_SHORT[am]} ${ad} – ${MONTH_SHORT[bm]} ${bd}, ${by}`
  return `${MONTH_SHORT[am]} ${ad} – ${bd}, ${by}`
}

/** `2026-03-10` → `{ weekday: 'Tue', day: 'Mar 10' }`. */
export function dayHeading(ymd: string): { weekday: string; day: string; long: string } {
  const d = utcDate(ymd)
  return {
    weekday: WEEKDAY_SHORT[d.getUTCDay()],
    day: `${MONTH_SHORT[d.getUTCMonth()]} ${d.getUTCDate()}`,
    long: `${WEEKDAY_LONG[d.getUTCDay()]}, ${MONTH_SHORT[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`,
  }
}

/** `Tuesday, Mar 10, 2026` for a calendar date. */
export function longDate(ymd: string): string {
  return dayHeading(ymd).long
}

/** An hour of the day as people say it: 7 → `7 AM`, 12 → `12 PM`. */
export function hourLabel(h: number): string {
  const suffix = h < 12 || h === 24 ? 'AM' : 'PM'
  const h12 = h % 12 === 0 ? 12 : h % 12
  return `${h12} ${suffix}`
}

/** `10:00 AM – 1:00 PM` for an appointment's wall times (the end's date when it differs). */
export function timeRange(startsLocal: string, endsLocal: string): string {
  const start = formatTime(timePart(startsLocal))
  const end = formatTime(timePart(endsLocal))
  if (datePart(startsLocal) !== datePart(endsLocal)) return `${start} – ${dayHeading(datePart(endsLocal)).day}, ${end}`
  return `${start} – ${end}`
}
