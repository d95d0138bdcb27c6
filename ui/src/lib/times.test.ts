import { describe, expect, it } from 'vitest'
import {
  addDays,
  checkTime,
  datePart,
  dayHeading,
  formatTime,
  hourLabel,
  longDate,
  minutesOf,
  mondayOf,
  readTime,
  timePart,
  timeRange,
  TIME_HINT,
  type TimeReading,
  weekLabel,
} from './times'

// Wall times and calendar dates only: no zone arithmetic, so the results must be the same
// whatever zone the machine is in (run under TZ=Pacific/Auckland and TZ=UTC too).

const BAD = 'Enter a time such as 10:00 AM, 2:30 PM or 14:30.'
const HOUR_12 = 'With AM or PM, the hour is between 1 and 12.'
const ADD_AM_PM = 'Add AM or PM, for example 10 AM.'
const MINUTES = 'The minutes must be between 00 and 59.'

describe('readTime', () => {
  const time = (wire: string): TimeReading => ({ kind: 'time', wire })

  it.each(['', ' ', '\t\n', '\u00a0', '\u2003 '])('%j is empty', (input) => {
    expect(readTime(input)).toEqual({ kind: 'empty' })
  })

  it.each<[string, string]>([
    // The forms people type.
    ['10:00 AM', '10:00:00'],
    ['10 am', '10:00:00'],
    ['10am', '10:00:00'],
    ['2:30pm', '14:30:00'],
    ['2:30 p.m.', '14:30:00'],
    ['2:30 P.M.', '14:30:00'],
    ['2:30 p.m', '14:30:00'],
    ['2:30 pm.', '14:30:00'],
    ['2:30 p', '14:30:00'],
    ['2:30 P', '14:30:00'],
    ['2:30 a', '02:30:00'],
    ['2.30 pm', '14:30:00'],
    ['2:30:15 PM', '14:30:15'],
    ['02:05 AM', '02:05:00'],
    ['9:05 pm', '21:05:00'],
    ['  9:05 pm  ', '21:05:00'],
    ['9:05   pm', '21:05:00'],
    ['9:05\tpm', '21:05:00'],
    // The separators the formatters of some ICU versions write.
    ['9:05\u202fPM', '21:05:00'],
    ['9:05\u00a0PM', '21:05:00'],
    // Midnight and noon with AM and PM.
    ['12 AM', '00:00:00'],
    ['12:00 AM', '00:00:00'],
    ['12:00:00 am', '00:00:00'],
    ['12:30 AM', '00:30:00'],
    ['12:59 am', '00:59:00'],
    ['1 AM', '01:00:00'],
    ['11:59 AM', '11:59:00'],
    ['12 PM', '12:00:00'],
    ['12:00 PM', '12:00:00'],
    ['12:30 pm', '12:30:00'],
    ['12:59:59 PM', '12:59:59'],
    ['1 PM', '13:00:00'],
    ['11:59 PM', '23:59:00'],
    ['11:59:59 PM', '23:59:59'],
    // 24-hour times.
    ['14:30', '14:30:00'],
    ['14:30:00', '14:30:00'],
    ['14.30', '14:30:00'],
    ['9:30', '09:30:00'],
    ['09:30', '09:30:00'],
    ['0:00', '00:00:00'],
    ['00:00', '00:00:00'],
    ['00:00:00', '00:00:00'],
    ['12:00', '12:00:00'],
    ['23:59', '23:59:00'],
    ['23:59:59', '23:59:59'],
    // Times that do not exist, or happen twice, on New York's clock-change days are
    // plain wall times here: shown and sent as typed.
    ['2:30 AM', '02:30:00'],
    ['02:30', '02:30:00'],
    ['1:30 AM', '01:30:00'],
  ])('%j → %s', (input, wire) => {
    expect(readTime(input)).toEqual(time(wire))
  })

  it.each<[string, string]>([
    // With AM or PM the hour is 1 to 12.
    ['0 AM', HOUR_12],
    ['00:00 AM', HOUR_12],
    ['0:30 pm', HOUR_12],
    ['13 PM', HOUR_12],
    ['13:00 PM', HOUR_12],
    ['14:30 pm', HOUR_12],
    ['24:00 AM', HOUR_12],
    ['99 am', HOUR_12],
    // An hour alone needs AM or PM.
    ['10', ADD_AM_PM],
    ['7', ADD_AM_PM],
    ['07', ADD_AM_PM],
    ['12', ADD_AM_PM],
    ['0', ADD_AM_PM],
    // Minutes (and seconds) out of range.
    ['10:60', MINUTES],
    ['10:60 AM', MINUTES],
    ['10:99 pm', MINUTES],
    ['23:60', MINUTES],
    // 24:00 and later are not times of day.
    ['24:00', BAD],
    ['24:00:00', BAD],
    ['24:01', BAD],
    ['25:00', BAD],
    ['99:99', BAD],
  ])('%j is an error: %s', (input, message) => {
    expect(readTime(input)).toEqual({ kind: 'error', message })
  })

  it.each(['10:59:60', '10:00:99', '11:00:60 PM'])('seconds out of range in %j are an error', (input) => {
    expect(readTime(input).kind).toBe('error')
  })

  it.each([
    'noon',
    'midnight',
    'ten',
    'AM',
    'pm',
    ':30',
    ':30 PM',
    '10:',
    '10: AM',
    '10:5',
    '10:5 AM',
    '10:300',
    '1030',
    '1030 am',
    '100',
    '100 pm',
    '10 : 30',
    '10:30 XM',
    '10:30 AM PM',
    '10:30 amm',
    '10:30 a.m.m',
    '10:30am EST',
    '10:30 AM 2026-03-08',
    '10-30',
    '10,30',
    '10h30',
    '10:30:00:00',
    '10:30:0',
    '10.30.00',
    '-1:00 PM',
    '-10:00',
    '+10:00',
    '−10:00',
    '1e1:00',
    '0x1:00',
    '١٠:٣٠',
    '١٠:٣٠ PM',
    '１０:３０',
    '１０ AM',
    '10:30 ＡＭ',
    '2026-03-08T02:30:00',
    '1'.repeat(10_000),
    `1${' '.repeat(10_000)}x`,
    `1:00 a${'.'.repeat(10_000)}`,
  ])('%j is not a time', (input) => {
    expect(readTime(input)).toEqual({ kind: 'error', message: BAD })
  })

  it('reads back every minute it formats, in 12-hour and 24-hour form', () => {
    for (let h = 0; h < 24; h++) {
      for (let m = 0; m < 60; m++) {
        const wire = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`
        expect(readTime(formatTime(wire))).toEqual(time(wire))
        expect(readTime(wire)).toEqual(time(wire))
      }
    }
  })

  it('hints at a typed time', () => {
    expect(TIME_HINT).toBe('For example 2:30 PM')
  })
})

describe('formatTime', () => {
  it.each<[string, string]>([
    ['14:30:00', '2:30 PM'],
    ['14:30', '2:30 PM'],
    ['00:00:00', '12:00 AM'],
    ['00:00', '12:00 AM'],
    ['00:30:00', '12:30 AM'],
    ['00:59:59', '12:59 AM'],
    ['01:00:00', '1:00 AM'],
    ['09:05:00', '9:05 AM'],
    ['11:59:59', '11:59 AM'],
    ['12:00:00', '12:00 PM'],
    ['12:30:00', '12:30 PM'],
    ['12:59:00', '12:59 PM'],
    ['13:00:00', '1:00 PM'],
    ['23:59:59', '11:59 PM'],
    // Seconds are not shown.
    ['14:30:45', '2:30 PM'],
    // Wall times on New York's clock-change days are shown exactly as they are.
    ['02:30:00', '2:30 AM'],
    ['01:30:00', '1:30 AM'],
  ])('%s → %s', (wire, expected) => {
    expect(formatTime(wire)).toBe(expected)
  })

  it.each([
    '',
    ' ',
    'junk',
    '2:30',
    '2:30 PM',
    '14:3',
    '14:30:0',
    '14:30:00.000',
    ' 14:30:00',
    '14:30:00 ',
    '2026-03-10T14:30:00',
    '١٤:٣٠',
    // Out of range: not a time of day, so not shown as one (24:00 is not noon).
    '24:00',
    '24:00:00',
    '25:00:00',
    '99:99:99',
    '12:60',
    '23:99:00',
    '12:00:60',
  ])('%j is returned as is', (wire) => {
    expect(formatTime(wire)).toBe(wire)
  })
})

describe('checkTime', () => {
  it.each<[string, boolean, ReturnType<typeof checkTime>]>([
    ['', false, { ok: true, wire: null }],
    ['   ', false, { ok: true, wire: null }],
    ['', true, { ok: false, message: 'Enter a time, for example 10:00 AM.' }],
    ['\t', true, { ok: false, message: 'Enter a time, for example 10:00 AM.' }],
    ['2:30 PM', false, { ok: true, wire: '14:30:00' }],
    ['2:30 PM', true, { ok: true, wire: '14:30:00' }],
    ['12 AM', true, { ok: true, wire: '00:00:00' }],
    ['24:00', true, { ok: false, message: BAD }],
    ['24:00', false, { ok: false, message: BAD }],
    ['13 PM', false, { ok: false, message: HOUR_12 }],
    ['10', false, { ok: false, message: ADD_AM_PM }],
    ['10:75', true, { ok: false, message: MINUTES }],
  ])('%j (required %s) → %j', (value, required, expected) => {
    expect(checkTime(value, required)).toEqual(expected)
  })
})

describe('wall-time parts', () => {
  it.each<[string, string, string, number]>([
    ['2026-03-10T10:00:00', '2026-03-10', '10:00:00', 600],
    ['2026-03-10T00:00:00', '2026-03-10', '00:00:00', 0],
    ['2026-03-10T23:59:59', '2026-03-10', '23:59:59', 1439],
    ['2026-03-10T12:30:00', '2026-03-10', '12:30:00', 750],
    // 02:30 does not exist in New York on 2026-03-08; 01:30 happens twice on 2026-11-01.
    // A wall time is taken as it is: no shift, no doubling.
    ['2026-03-08T02:30:00', '2026-03-08', '02:30:00', 150],
    ['2026-03-08T03:00:00', '2026-03-08', '03:00:00', 180],
    ['2026-11-01T01:30:00', '2026-11-01', '01:30:00', 90],
    ['2024-02-29T09:15:00', '2024-02-29', '09:15:00', 555],
  ])('%s → %s, %s, %i minutes', (local, date, time, minutes) => {
    expect(datePart(local)).toBe(date)
    expect(timePart(local)).toBe(time)
    expect(minutesOf(local)).toBe(minutes)
  })
})

describe('addDays', () => {
  it.each<[string, number, string]>([
    ['2026-03-10', 0, '2026-03-10'],
    ['2026-03-10', 1, '2026-03-11'],
    ['2026-03-10', -1, '2026-03-09'],
    ['2026-03-10', 7, '2026-03-17'],
    ['2026-03-10', -7, '2026-03-03'],
    // Across New York's clock changes a day is a day, in any machine zone.
    ['2026-03-07', 1, '2026-03-08'],
    ['2026-03-08', 1, '2026-03-09'],
    ['2026-03-09', -1, '2026-03-08'],
    ['2026-10-31', 1, '2026-11-01'],
    ['2026-11-01', 1, '2026-11-02'],
    ['2026-11-02', -1, '2026-11-01'],
    ['2026-03-02', 6, '2026-03-08'],
    ['2026-10-26', 7, '2026-11-02'],
    // Month and year ends, leap days.
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2100-02-28', 1, '2100-03-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['2024-02-29', 365, '2025-02-28'],
    ['2024-02-29', 366, '2025-03-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-12-28', 6, '2027-01-03'],
    ['1900-01-01', 73_413, '2100-12-31'],
    ['2100-12-31', -73_413, '1900-01-01'],
  ])('%s plus %i days → %s', (ymd, days, expected) => {
    expect(addDays(ymd, days)).toBe(expected)
  })

  it('steps through every day of 2024 to 2027 one at a time', () => {
    let d = '2024-01-01'
    for (let i = 0; i < 366 + 365 * 3; i++) {
      const next = addDays(d, 1)
      expect(next > d).toBe(true)
      expect(addDays(next, -1)).toBe(d)
      d = next
    }
    expect(d).toBe('2028-01-01')
  })
})

describe('mondayOf', () => {
  it.each<[string, string]>([
    ['2026-03-09', '2026-03-09'], // a Monday
    ['2026-03-10', '2026-03-09'],
    ['2026-03-14', '2026-03-09'], // Saturday
    ['2026-03-15', '2026-03-09'], // Sunday ends the week
    ['2026-03-16', '2026-03-16'],
    // New York's clock-change days are Sundays in 2026.
    ['2026-03-08', '2026-03-02'],
    ['2026-11-01', '2026-10-26'],
    ['2026-11-02', '2026-11-02'],
    // Weeks across a month, a year, a leap day.
    ['2026-04-01', '2026-03-30'],
    ['2027-01-01', '2026-12-28'],
    ['2027-01-03', '2026-12-28'],
    ['2024-02-29', '2024-02-26'],
    ['2024-03-03', '2024-02-26'],
    ['2026-01-01', '2025-12-29'],
  ])('%s → %s', (ymd, monday) => {
    expect(mondayOf(ymd)).toBe(monday)
  })
})

describe('weekLabel', () => {
  it.each<[string, string]>([
    ['2026-03-09', 'Mar 9 – 15, 2026'],
    ['2026-03-02', 'Mar 2 – 8, 2026'],
    ['2026-03-30', 'Mar 30 – Apr 5, 2026'],
    ['2026-10-26', 'Oct 26 – Nov 1, 2026'],
    ['2026-12-28', 'Dec 28, 2026 – Jan 3, 2027'],
    ['2025-12-29', 'Dec 29, 2025 – Jan 4, 2026'],
    ['2024-02-26', 'Feb 26 – Mar 3, 2024'],
    ['2026-02-23', 'Feb 23 – Mar 1, 2026'],
  ])('%s → %s', (monday, label) => {
    expect(weekLabel(monday)).toBe(label)
  })
})

describe('dayHeading and longDate', () => {
  it.each<[string, string, string, string]>([
    ['2026-03-10', 'Tue', 'Mar 10', 'Tuesday, Mar 10, 2026'],
    ['2026-03-08', 'Sun', 'Mar 8', 'Sunday, Mar 8, 2026'],
    ['2026-11-01', 'Sun', 'Nov 1', 'Sunday, Nov 1, 2026'],
    ['2026-03-09', 'Mon', 'Mar 9', 'Monday, Mar 9, 2026'],
    ['2026-03-11', 'Wed', 'Mar 11', 'Wednesday, Mar 11, 2026'],
    ['2026-03-12', 'Thu', 'Mar 12', 'Thursday, Mar 12, 2026'],
    ['2026-03-13', 'Fri', 'Mar 13', 'Friday, Mar 13, 2026'],
    ['2026-03-14', 'Sat', 'Mar 14', 'Saturday, Mar 14, 2026'],
    ['2024-02-29', 'Thu', 'Feb 29', 'Thursday, Feb 29, 2024'],
    ['2026-12-31', 'Thu', 'Dec 31', 'Thursday, Dec 31, 2026'],
    ['2027-01-01', 'Fri', 'Jan 1', 'Friday, Jan 1, 2027'],
  ])('%s → %s, %s, %s', (ymd, weekday, day, long) => {
    expect(dayHeading(ymd)).toEqual({ weekday, day, long })
    expect(longDate(ymd)).toBe(long)
  })
})

describe('hourLabel', () => {
  it.each<[number, string]>([
    [0, '12 AM'],
    [1, '1 AM'],
    [7, '7 AM'],
    [11, '11 AM'],
    [12, '12 PM'],
    [13, '1 PM'],
    [23, '11 PM'],
    // The end of the day's last hour is midnight again.
    [24, '12 AM'],
  ])('%i → %s', (h, label) => {
    expect(hourLabel(h)).toBe(label)
  })
})

describe('timeRange', () => {
  it.each<[string, string, string]>([
    ['2026-03-10T10:00:00', '2026-03-10T13:00:00', '10:00 AM – 1:00 PM'],
    ['2026-03-10T09:30:00', '2026-03-10T10:20:00', '9:30 AM – 10:20 AM'],
    ['2026-03-10T11:30:00', '2026-03-10T12:30:00', '11:30 AM – 12:30 PM'],
    ['2026-03-10T00:00:00', '2026-03-10T00:50:00', '12:00 AM – 12:50 AM'],
    // Over midnight the end's day is named.
    ['2026-03-10T23:00:00', '2026-03-11T01:00:00', '11:00 PM – Mar 11, 1:00 AM'],
    ['2026-12-31T22:00:00', '2027-01-01T00:30:00', '10:00 PM – Jan 1, 12:30 AM'],
    ['2024-02-28T23:30:00', '2024-02-29T00:30:00', '11:30 PM – Feb 29, 12:30 AM'],
    // On New York's clock-change days the wall times are shown as they are.
    ['2026-03-08T01:00:00', '2026-03-08T03:00:00', '1:00 AM – 3:00 AM'],
    ['2026-03-08T02:30:00', '2026-03-08T03:30:00', '2:30 AM – 3:30 AM'],
    ['2026-11-01T01:00:00', '2026-11-01T01:30:00', '1:00 AM – 1:30 AM'],
    ['2026-10-31T23:00:00', '2026-11-01T01:30:00', '11:00 PM – Nov 1, 1:30 AM'],
  ])('%s to %s → %s', (start, end, label) => {
    expect(timeRange(start, end)).toBe(label)
  })
})
