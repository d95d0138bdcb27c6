import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  checkDate,
  DATE_HINT,
  daysBetween,
  formatCalendarDate,
  formatMoment,
  isoToUs,
  readDate,
  todayIn,
  type DateReading,
  dueWords,
} from './dates'

// Every zone here is explicit; nothing depends on the machine's zone or the current date
// (`todayIn` runs under a fixed fake clock). Some ICU versions put a narrow no-break space
// before AM/PM: the tests compare with plain spaces.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ')

const NY = 'America/New_York'

describe('formatMoment', () => {
  it.each<[string, string, boolean, string]>([
    // Date only, in the practice's zone.
    ['2026-11-26T15:04:05Z', NY, false, 'Nov 26, 2026'],
    ['2026-11-26T15:04:05Z', NY, true, 'Nov 26, 2026, 10:04 AM'],
    ['2026-11-26T15:04:05Z', 'UTC', true, 'Nov 26, 2026, 3:04 PM'],
    // Late evening in New York is already the next day in UTC and in Auckland.
    ['2026-11-27T03:30:00Z', NY, false, 'Nov 26, 2026'],
    ['2026-11-27T03:30:00Z', NY, true, 'Nov 26, 2026, 10:30 PM'],
    ['2026-11-27T03:30:00Z', 'UTC', false, 'Nov 27, 2026'],
    ['2026-11-27T03:30:00Z', 'Pacific/Auckland', true, 'Nov 27, 2026, 4:30 PM'],
    ['2026-12-31T23:59:59Z', 'Pacific/Auckland', false, 'Jan 1, 2027'],
    ['2027-01-01T04:59:00Z', NY, true, 'Dec 31, 2026, 11:59 PM'],
    // Midnight and noon in 12-hour form.
    ['2026-06-01T04:00:00Z', NY, true, 'Jun 1, 2026, 12:00 AM'],
    ['2026-06-01T16:00:00Z', NY, true, 'Jun 1, 2026, 12:00 PM'],
    // Offsets other than Z are read as the instant they name.
    ['2026-06-01T12:00:00-04:00', NY, true, 'Jun 1, 2026, 12:00 PM'],
    ['2026-06-01T12:00:00+02:00', NY, true, 'Jun 1, 2026, 6:00 AM'],
    // Fractional seconds.
    ['2026-06-01T16:00:00.123456Z', NY, true, 'Jun 1, 2026, 12:00 PM'],
    // A leap day.
    ['2024-02-29T12:00:00Z', NY, false, 'Feb 29, 2024'],
  ])('%s in %s (time %s) → %s', (moment, zone, withTime, expected) => {
    expect(plain(formatMoment(moment, zone, withTime))).toBe(expected)
  })

  describe('DST in America/New_York', () => {
    it.each<[string, string]>([
      // 2026-03-08, spring forward: 01:59 EST is followed by 03:00 EDT; 02:30 never shows.
      ['2026-03-08T06:59:00Z', 'Mar 8, 2026, 1:59 AM'],
      ['2026-03-08T07:00:00Z', 'Mar 8, 2026, 3:00 AM'],
      ['2026-03-08T07:30:00Z', 'Mar 8, 2026, 3:30 AM'],
      ['2026-03-08T05:00:00Z', 'Mar 8, 2026, 12:00 AM'],
      ['2026-03-08T04:59:00Z', 'Mar 7, 2026, 11:59 PM'],
      // 2026-11-01, fall back: 01:30 happens twice, first in EDT (-4) then in EST (-5).
      ['2026-11-01T05:30:00Z', 'Nov 1, 2026, 1:30 AM'],
      ['2026-11-01T06:30:00Z', 'Nov 1, 2026, 1:30 AM'],
      ['2026-11-01T05:59:00Z', 'Nov 1, 2026, 1:59 AM'],
      ['2026-11-01T06:00:00Z', 'Nov 1, 2026, 1:00 AM'],
      ['2026-11-01T07:00:00Z', 'Nov 1, 2026, 2:00 AM'],
      ['2026-11-01T04:00:00Z', 'Nov 1, 2026, 12:00 AM'],
      ['2026-11-01T03:59:00Z', 'Oct 31, 2026, 11:59 PM'],
    ])('%s → %s', (moment, expected) => {
      expect(plain(formatMoment(moment, NY, true))).toBe(expected)
    })

    it('never shows 2:xx AM on the spring-forward day', () => {
      // Every minute from 00:00 EST to 05:00 EDT on 2026-03-08.
      const start = Date.parse('2026-03-08T05:00:00Z')
      for (let i = 0; i < 4 * 60; i++) {
        const moment = new Date(start + i * 60_000).toISOString()
        expect(plain(formatMoment(moment, NY, true))).not.toMatch(/, 2:\d\d AM$/)
      }
    })
  })

  it.each(['', 'Mars/Olympus', '+05:00', 'not a zone'])('an unknown zone %j falls back to New York', (zone) => {
    expect(plain(formatMoment('2026-11-27T03:30:00Z', zone, true))).toBe('Nov 26, 2026, 10:30 PM')
    expect(plain(formatMoment('2026-11-27T03:30:00Z', zone, false))).toBe('Nov 26, 2026')
  })

  it('caches formats per zone and per shape without mixing them up', () => {
    const m = '2026-11-27T03:30:00Z'
    expect(plain(formatMoment(m, NY, true))).toBe('Nov 26, 2026, 10:30 PM')
    expect(plain(formatMoment(m, NY, false))).toBe('Nov 26, 2026')
    expect(plain(formatMoment(m, 'UTC', false))).toBe('Nov 27, 2026')
    expect(plain(formatMoment(m, NY, true))).toBe('Nov 26, 2026, 10:30 PM')
  })

  it.each(['', ' ', 'garbage', '2026-13-01T00:00:00Z', '2026-02-30T25:00:00Z', 'NaN', '٢٠٢٦-٠٣-٠٤T00:00:00Z'])(
    'an invalid moment %j shows as nothing',
    (moment) => {
      expect(formatMoment(moment, NY, true)).toBe('')
      expect(formatMoment(moment, NY, false)).toBe('')
    },
  )
})

describe('formatCalendarDate', () => {
  it.each<[string, string]>([
    ['1988-03-04', 'Mar 4, 1988'],
    ['2026-01-01', 'Jan 1, 2026'],
    ['2026-12-31', 'Dec 31, 2026'],
    ['2024-02-29', 'Feb 29, 2024'],
    ['2000-02-29', 'Feb 29, 2000'],
    ['1900-01-01', 'Jan 1, 1900'],
    ['2100-12-31', 'Dec 31, 2100'],
    // The clock-change days are ordinary calendar dates.
    ['2026-03-08', 'Mar 8, 2026'],
    ['2026-11-01', 'Nov 1, 2026'],
  ])('%s → %s', (ymd, expected) => {
    expect(formatCalendarDate(ymd)).toBe(expected)
  })

  it.each([
    '',
    ' ',
    '2026-3-4',
    '03/04/2026',
    ' 2026-03-04',
    '2026-03-04 ',
    '2026-03-04T00:00:00Z',
    '20260304',
    '+02026-03-04',
    '٢٠٢٦-٠٣-٠٤',
    '２０２６-０３-０４',
    // Dates that do not exist are not shown as some other date.
    '2026-02-29',
    '1900-02-29',
    '2100-02-29',
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '2026-99-99',
  ])('%j shows as nothing', (ymd) => {
    expect(formatCalendarDate(ymd)).toBe('')
  })

  it('never shows a two-digit year as a 1900s year', () => {
    expect(formatCalendarDate('0088-03-04')).not.toContain('1988')
  })
})

describe('todayIn', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it.each<[string, string, string]>([
    // 23:30 in New York on Mar 7 is already Mar 8 in UTC.
    ['2026-03-08T04:30:00Z', NY, '2026-03-07'],
    ['2026-03-08T04:30:00Z', 'UTC', '2026-03-08'],
    ['2026-03-08T04:30:00Z', 'Pacific/Auckland', '2026-03-08'],
    // Spring forward: 03:30 EDT.
    ['2026-03-08T07:30:00Z', NY, '2026-03-08'],
    // Fall back: both 01:30s are Nov 1; 23:59 EST is still Nov 1.
    ['2026-11-01T05:30:00Z', NY, '2026-11-01'],
    ['2026-11-01T06:30:00Z', NY, '2026-11-01'],
    ['2026-11-02T04:59:59Z', NY, '2026-11-01'],
    ['2026-11-02T05:00:00Z', NY, '2026-11-02'],
    // New Year in Auckland while it is still the old year elsewhere.
    ['2026-12-31T11:00:00Z', 'Pacific/Auckland', '2027-01-01'],
    ['2026-12-31T11:00:00Z', NY, '2026-12-31'],
    ['2024-02-29T12:00:00Z', NY, '2024-02-29'],
    ['2024-03-01T04:59:00Z', NY, '2024-02-29'],
  ])('at %s in %s it is %s', (now, zone, expected) => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date(now))
    expect(todayIn(zone)).toBe(expected)
  })

  it.each(['', 'Mars/Olympus', '+05:00'])('an unknown zone %j falls back to the machine zone', (zone) => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const now = new Date('2026-11-01T05:30:00Z')
    vi.setSystemTime(now)
    const pad = (n: number) => String(n).padStart(2, '0')
    const local = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
    expect(todayIn(zone)).toBe(local)
  })
})

describe('readDate', () => {
  const date = (iso: string): DateReading => ({ kind: 'date', iso })
  const FORMAT = 'Enter the date as MM/DD/YYYY, for example 03/04/2026.'
  const YEAR = 'Enter a year between 1900 and 2100.'
  const MONTH = 'The month must be between 01 and 12.'

  it.each(['', ' ', '   ', '\t', '\n', ' \t\r\n ', '\u00a0', '\u2003'])('%j is empty', (input) => {
    expect(readDate(input)).toEqual({ kind: 'empty' })
  })

  it.each<[string, string]>([
    ['03/04/2026', '2026-03-04'],
    ['3/4/2026', '2026-03-04'],
    ['03/4/2026', '2026-03-04'],
    ['3/04/2026', '2026-03-04'],
    ['12/31/2026', '2026-12-31'],
    ['1/1/2026', '2026-01-01'],
    ['  03/04/2026  ', '2026-03-04'],
    ['\t3/4/2026\n', '2026-03-04'],
    ['\u00a003/04/2026\u2003', '2026-03-04'],
    // The ISO form is accepted too.
    ['2026-03-04', '2026-03-04'],
    [' 2026-12-31 ', '2026-12-31'],
    // The years allowed, at both ends.
    ['01/01/1900', '1900-01-01'],
    ['12/31/2100', '2100-12-31'],
    // Leap days: every fourth year, not centuries, but every fourth century.
    ['02/29/2024', '2024-02-29'],
    ['02/29/2028', '2028-02-29'],
    ['02/29/2000', '2000-02-29'],
    ['2024-02-29', '2024-02-29'],
    ['02/28/2026', '2026-02-28'],
    // Each month's last day.
    ['01/31/2026', '2026-01-31'],
    ['04/30/2026', '2026-04-30'],
    ['06/30/2026', '2026-06-30'],
    ['09/30/2026', '2026-09-30'],
    ['11/30/2026', '2026-11-30'],
    // The clock-change days are ordinary dates.
    ['03/08/2026', '2026-03-08'],
    ['11/01/2026', '2026-11-01'],
  ])('%j → %s', (input, iso) => {
    expect(readDate(input)).toEqual(date(iso))
  })

  it.each<[string, string]>([
    ['02/29/2026', 'There is no February 29, 2026: that month has 28 days.'],
    ['02/29/2100', 'There is no February 29, 2100: that month has 28 days.'],
    ['02/29/1900', 'There is no February 29, 1900: that month has 28 days.'],
    ['2026-02-29', 'There is no February 29, 2026: that month has 28 days.'],
    ['02/30/2024', 'There is no February 30, 2024: that month has 29 days.'],
    ['04/31/2026', 'There is no April 31, 2026: that month has 30 days.'],
    ['06/31/2026', 'There is no June 31, 2026: that month has 30 days.'],
    ['09/31/2026', 'There is no September 31, 2026: that month has 30 days.'],
    ['11/31/2026', 'There is no November 31, 2026: that month has 30 days.'],
    ['01/32/2026', 'There is no January 32, 2026: that month has 31 days.'],
    ['12/99/2026', 'There is no December 99, 2026: that month has 31 days.'],
    ['01/00/2026', 'There is no January 0, 2026: that month has 31 days.'],
    ['2026-01-00', 'There is no January 0, 2026: that month has 31 days.'],
    ['13/01/2026', MONTH],
    ['00/10/2026', MONTH],
    ['99/01/2026', MONTH],
    ['2026-13-01', MONTH],
    ['2026-00-10', MONTH],
    ['12/31/1899', YEAR],
    ['01/01/2101', YEAR],
    ['01/01/0000', YEAR],
    ['01/01/9999', YEAR],
    ['0001-01-01', YEAR],
    // The year is checked before the month and the day.
    ['13/32/1800', YEAR],
  ])('%j is an error: %s', (input, message) => {
    expect(readDate(input)).toEqual({ kind: 'error', message })
  })

  it.each([
    'tomorrow',
    'March 4, 2026',
    '03-04-2026',
    '03.04.2026',
    '03 / 04 / 2026',
    '03/04/26',
    '3/4',
    '03/04/',
    '/04/2026',
    '003/04/2026',
    '03/004/2026',
    '03/04/02026',
    '03/04/20266',
    '-3/04/2026',
    '03/-4/2026',
    '+3/04/2026',
    '3.5/04/2026',
    '0x3/04/2026',
    '1e1/04/2026',
    '03/04/2026 10:00',
    '03/04/2026T00:00',
    '2026-3-4',
    '2026-03-4',
    '2026/03/04',
    '20260304',
    '2026-03-04T00:00:00Z',
    '2026-03-04 extra',
    '+2026-03-04',
    '-2026-03-04',
    '12/12/99999',
    '99999999999999999999/1/2026',
    '٠٣/٠٤/٢٠٢٦',
    '０３/０４/２０２６',
    '০৩/০৪/২০২৬',
    'O3/O4/2O26',
    '03/04/2026\u0000',
    '3/4/2026/5',
    '1'.repeat(10_000),
    '/'.repeat(10_000),
  ])('%j is not a date', (input) => {
    expect(readDate(input)).toEqual({ kind: 'error', message: FORMAT })
  })

  it('reads every day of 1900 to 2100 through isoToUs and back', () => {
    let count = 0
    for (let t = Date.UTC(1900, 0, 1); t <= Date.UTC(2100, 11, 31); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10)
      expect(readDate(isoToUs(iso))).toEqual(date(iso))
      count++
    }
    expect(count).toBe(73_414)
  })

  it('hints at the form people type', () => {
    expect(DATE_HINT).toBe('MM/DD/YYYY')
  })
})

describe('isoToUs', () => {
  it.each<[string, string]>([
    ['2026-03-04', '03/04/2026'],
    ['1900-01-01', '01/01/1900'],
    ['2024-02-29', '02/29/2024'],
    // Anything else is returned as is, for the person to correct.
    ['', ''],
    ['03/04/2026', '03/04/2026'],
    ['2026-3-4', '2026-3-4'],
    [' 2026-03-04', ' 2026-03-04'],
    ['2026-03-04T10:00:00', '2026-03-04T10:00:00'],
    ['junk', 'junk'],
  ])('%j → %j', (input, expected) => {
    expect(isoToUs(input)).toBe(expected)
  })
})

describe('checkDate', () => {
  it.each<[string, boolean, ReturnType<typeof checkDate>]>([
    ['', false, { ok: true, iso: null }],
    ['  ', false, { ok: true, iso: null }],
    ['', true, { ok: false, message: 'Enter a date as MM/DD/YYYY.' }],
    [' \t ', true, { ok: false, message: 'Enter a date as MM/DD/YYYY.' }],
    ['3/4/2026', false, { ok: true, iso: '2026-03-04' }],
    ['3/4/2026', true, { ok: true, iso: '2026-03-04' }],
    ['2024-02-29', true, { ok: true, iso: '2024-02-29' }],
    ['02/29/2026', false, { ok: false, message: 'There is no February 29, 2026: that month has 28 days.' }],
    ['02/29/2026', true, { ok: false, message: 'There is no February 29, 2026: that month has 28 days.' }],
    ['13/01/2026', true, { ok: false, message: 'The month must be between 01 and 12.' }],
    ['01/01/1899', false, { ok: false, message: 'Enter a year between 1900 and 2100.' }],
    ['nope', false, { ok: false, message: 'Enter the date as MM/DD/YYYY, for example 03/04/2026.' }],
  ])('%j (required %s) → %j', (value, required, expected) => {
    expect(checkDate(value, required)).toEqual(expected)
  })
})

describe('daysBetween', () => {
  it.each<[string, string, number]>([
    ['2026-03-04', '2026-03-04', 0],
    ['2026-03-04', '2026-03-05', 1],
    ['2026-03-05', '2026-03-04', -1],
    // Across the clock changes a day is still one day.
    ['2026-03-07', '2026-03-09', 2],
    ['2026-03-08', '2026-03-09', 1],
    ['2026-10-31', '2026-11-02', 2],
    ['2026-11-01', '2026-11-02', 1],
    ['2026-03-01', '2026-11-30', 274],
    // Leap years.
    ['2024-02-28', '2024-03-01', 2],
    ['2026-02-28', '2026-03-01', 1],
    ['2024-01-01', '2025-01-01', 366],
    ['2026-01-01', '2027-01-01', 365],
    ['1900-02-28', '1900-03-01', 1],
    ['2000-02-28', '2000-03-01', 2],
    ['1900-01-01', '2100-12-31', 73_413],
    ['2100-12-31', '1900-01-01', -73_413],
    ['2026-12-31', '2027-01-01', 1],
  ])('%s → %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days)
  })
})

describe('dueWords', () => {
  it('says how far off a due day is, across its boundaries', () => {
    const today = '2026-06-10'
    expect(dueWords(today, '2026-06-10')).toBe('due today')
    expect(dueWords(today, '2026-06-09')).toBe('1 day overdue')
    expect(dueWords(today, '2026-06-01')).toBe('9 days overdue')
    expect(dueWords(today, '2026-06-11')).toBe('due tomorrow')
    expect(dueWords(today, '2026-06-12')).toBe('due Jun 12, 2026')
  })
})
