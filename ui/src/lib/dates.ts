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
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
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
