import { describe, expect, it } from 'vitest'
import type { NoteBody } from '../types'
import { PLACED_FIELDS, atOrAboveHold, toBody, toForm, totalMg, type KapForm, type NoteForm } from './model'

type KapBody = Extract<NoteBody, { kind: 'kap' }>

/** A fully filled KAP note, as the wire carries it. */
function fullKap(): KapBody {
  return {
    kind: 'kap',
    intention: 'Reconnect with my body',
    pre_check: {
      vitals: { systolic: 128, diastolic: 82, heart_rate: 71 },
      last_meal_at: '07:30:00',
      ride_home_arranged: true,
      health_changes: 'None',
    },
    dose: {
      formulation: 'sublingual_lozenge',
      strength_mg: 100,
      count: 2,
      taken_at: '10:05:00',
      booster_mg: 50,
      booster_at: '10:45:00',
      pharmacy_lot: 'LOT-2026-0308',
    },
    meditation_done: true,
    breathing_done: false,
    journey_start: '10:10:00',
    journey_end: '11:40:00',
    observations: 'Calm; some tearfulness.',
    adverse_events: {
      nausea: true,
      vomiting: false,
      raised_blood_pressure: true,
      anxiety: false,
      other: 'Dizziness',
      action_taken: 'Rested, water',
    },
    post_vitals: { systolic: 122, diastolic: 80, heart_rate: 68 },
    discharge: {
      at: '12:15:00',
      alert: true,
      steady_gait: true,
      vitals_near_baseline: true,
      escort_present: false,
    },
    integration_notes: 'Follow up in a week.',
    peak_at: '10:45:00',
    peak_vitals: { systolic: 142, diastolic: 88, heart_rate: 84 },
    hold_decision: 'proceeded',
    hold_reason: 'Rechecked: 136/86',
    dose_reason: '',
  }
}

/** A KAP note with nothing filled in. */
function emptyKap(): KapBody {
  return {
    kind: 'kap',
    intention: '',
    pre_check: {
      vitals: { systolic: null, diastolic: null, heart_rate: null },
      last_meal_at: null,
      ride_home_arranged: false,
      health_changes: '',
    },
    dose: {
      formulation: null,
      strength_mg: null,
      count: null,
      taken_at: null,
      booster_mg: null,
      booster_at: null,
      pharmacy_lot: '',
    },
    meditation_done: false,
    breathing_done: false,
    journey_start: null,
    journey_end: null,
    observations: '',
    adverse_events: {
      nausea: false,
      vomiting: false,
      raised_blood_pressure: false,
      anxiety: false,
      other: '',
      action_taken: '',
    },
    post_vitals: { systolic: null, diastolic: null, heart_rate: null },
    discharge: { at: null, alert: false, steady_gait: false, vitals_near_baseline: false, escort_present: false },
    integration_notes: '',
    peak_at: null,
    peak_vitals: { systolic: null, diastolic: null, heart_rate: null },
    hold_decision: null,
    hold_reason: '',
    dose_reason: '',
  }
}

function kapForm(body: KapBody = emptyKap()): KapForm {
  const f = toForm(body)
  if (f.kind !== 'kap') throw new Error('expected a KAP form')
  return f.kap
}

function withKap(patch: Partial<KapForm>, base: KapBody = emptyKap()): NoteForm {
  return { kind: 'kap', kap: { ...kapForm(base), ...patch } }
}

describe('toForm', () => {
  it('puts every KAP field into text and checkboxes', () => {
    expect(toForm(fullKap())).toEqual({
      kind: 'kap',
      kap: {
        intention: 'Reconnect with my body',
        pre: { systolic: '128', diastolic: '82', heart_rate: '71' },
        last_meal_at: '07:30:00',
        ride_home_arranged: true,
        health_changes: 'None',
        formulation: 'sublingual_lozenge',
        strength_mg: '100',
        count: '2',
        taken_at: '10:05:00',
        booster_mg: '50',
        booster_at: '10:45:00',
        pharmacy_lot: 'LOT-2026-0308',
        meditation_done: true,
        breathing_done: false,
        journey_start: '10:10:00',
        journey_end: '11:40:00',
        observations: 'Calm; some tearfulness.',
        nausea: true,
        vomiting: false,
        raised_blood_pressure: true,
        anxiety: false,
        ae_other: 'Dizziness',
        action_taken: 'Rested, water',
        peak_at: '10:45:00',
        peak: { systolic: '142', diastolic: '88', heart_rate: '84' },
        hold_decision: 'proceeded',
        hold_reason: 'Rechecked: 136/86',
        dose_reason: '',
        post: { systolic: '122', diastolic: '80', heart_rate: '68' },
        discharge_at: '12:15:00',
        alert: true,
        steady_gait: true,
        vitals_near_baseline: true,
        escort_present: false,
        integration_notes: 'Follow up in a week.',
      },
    })
  })

  it('shows every missing value as an empty input', () => {
    const k = kapForm(emptyKap())
    expect(k.pre).toEqual({ systolic: '', diastolic: '', heart_rate: '' })
    expect(k.post).toEqual({ systolic: '', diastolic: '', heart_rate: '' })
    expect(k.formulation).toBe('')
    for (const key of ['strength_mg', 'count', 'booster_mg', 'last_meal_at', 'taken_at', 'booster_at'] as const) {
      expect(k[key]).toBe('')
    }
    for (const key of ['journey_start', 'journey_end', 'discharge_at'] as const) {
      expect(k[key]).toBe('')
    }
  })

  it('shows zero as 0, not as empty', () => {
    const body = emptyKap()
    body.pre_check.vitals.heart_rate = 0
    body.dose.count = 0
    expect(kapForm(body).pre.heart_rate).toBe('0')
    expect(kapForm(body).count).toBe('0')
  })

  it.each<[NoteBody, NoteForm]>([
    [
      { kind: 'integration', what_came_up: 'Grief', themes: 'Loss; family', commitments: 'Call my sister' },
      { kind: 'integration', what_came_up: 'Grief', themes: 'Loss; family', commitments: 'Call my sister' },
    ],
    [
      { kind: 'integration', what_came_up: '', themes: '', commitments: '' },
      { kind: 'integration', what_came_up: '', themes: '', commitments: '' },
    ],
    [
      { kind: 'free_text', text: 'Phone check-in, all well.' },
      { kind: 'free_text', text: 'Phone check-in, all well.' },
    ],
    [{ kind: 'free_text', text: '' }, { kind: 'free_text', text: '' }],
  ])('%j → its form', (body, form) => {
    expect(toForm(body)).toEqual(form)
  })
})

describe('toBody', () => {
  it.each<[string, NoteBody]>([
    ['a full KAP note', fullKap()],
    ['an empty KAP note', emptyKap()],
    ['an integration note', { kind: 'integration', what_came_up: 'a', themes: 'b', commitments: 'c' }],
    ['a free-text note', { kind: 'free_text', text: 'x' }],
  ])('gives back %s unchanged through the form', (_, body) => {
    expect(toBody(toForm(body))).toEqual({ ok: true, body })
  })

  it.each<[string, NoteForm]>([
    ['leading and trailing whitespace', { kind: 'free_text', text: '  two spaces \n' }],
    ['right-to-left and combining text', { kind: 'free_text', text: 'שלום ‮evil‬ é 👩🏽‍⚕️' }],
    ['control characters', { kind: 'free_text', text: 'a\u0000b\u0007c' }],
    ['a long text', { kind: 'free_text', text: 'x'.repeat(100_000) }],
    [
      'integration text as typed',
      { kind: 'integration', what_came_up: ' <b>x</b> ', themes: '\n', commitments: '١٢٣' },
    ],
  ])('keeps text fields exactly as typed: %s', (_, form) => {
    expect(toBody(form)).toEqual({ ok: true, body: form })
  })

  it('keeps the KAP note text fields exactly as typed', () => {
    const r = toBody(withKap({ intention: '  ½ dose? ', observations: '\tline\nline ', pharmacy_lot: ' LOT ' }))
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const b = r.body as KapBody
    expect(b.intention).toBe('  ½ dose? ')
    expect(b.observations).toBe('\tline\nline ')
    expect(b.dose.pharmacy_lot).toBe(' LOT ')
  })

  describe('whole numbers', () => {
    it.each<[string, number | null]>([
      ['', null],
      [' ', null],
      ['\t\n', null],
      ['0', 0],
      ['00', 0],
      ['7', 7],
      ['120', 120],
      [' 120 ', 120],
      ['\u00a0120\u2003', 120],
      ['007', 7],
      ['99999', 99_999],
    ])('%j → %j', (text, value) => {
      const r = toBody(withKap({ strength_mg: text, pre: { systolic: text, diastolic: '', heart_rate: '' } }))
      expect(r.ok).toBe(true)
      if (!r.ok) return
      const b = r.body as KapBody
      expect(b.dose.strength_mg).toBe(value)
      expect(b.pre_check.vitals.systolic).toBe(value)
    })

    it.each([
      '100000',
      '999999999999999999999',
      '-5',
      '+5',
      '1.5',
      '1.0',
      '1,000',
      '1e3',
      '0x10',
      '12 0',
      'abc',
      '120 mg',
      '120mg',
      'NaN',
      'Infinity',
      '١٢٠',
      '１２０',
      '१२०',
      '½',
      '²',
    ])('%j is an error under each number field', (text) => {
      const fields: [Partial<KapForm>, string][] = [
        [{ pre: { systolic: text, diastolic: '', heart_rate: '' } }, 'pre_check.vitals.systolic'],
        [{ pre: { systolic: '', diastolic: text, heart_rate: '' } }, 'pre_check.vitals.diastolic'],
        [{ pre: { systolic: '', diastolic: '', heart_rate: text } }, 'pre_check.vitals.heart_rate'],
        [{ post: { systolic: text, diastolic: '', heart_rate: '' } }, 'post_vitals.systolic'],
        [{ post: { systolic: '', diastolic: text, heart_rate: '' } }, 'post_vitals.diastolic'],
        [{ post: { systolic: '', diastolic: '', heart_rate: text } }, 'post_vitals.heart_rate'],
        [{ strength_mg: text }, 'dose.strength_mg'],
        [{ count: text }, 'dose.count'],
        [{ booster_mg: text }, 'dose.booster_mg'],
      ]
      for (const [patch, field] of fields) {
        expect(toBody(withKap(patch))).toEqual({ ok: false, errors: { [field]: 'Enter a whole number.' } })
      }
    })
  })

  describe('times', () => {
    const TIME_FIELDS: [keyof KapForm, string, (b: KapBody) => string | null][] = [
      ['last_meal_at', 'pre_check.last_meal_at', (b) => b.pre_check.last_meal_at],
      ['taken_at', 'dose.taken_at', (b) => b.dose.taken_at],
      ['booster_at', 'dose.booster_at', (b) => b.dose.booster_at],
      ['journey_start', 'journey_start', (b) => b.journey_start],
      ['journey_end', 'journey_end', (b) => b.journey_end],
      ['discharge_at', 'discharge.at', (b) => b.discharge.at],
    ]

    it.each<[string, string | null]>([
      ['', null],
      ['  ', null],
      ['2:30 PM', '14:30:00'],
      ['2:30pm', '14:30:00'],
      ['14:30', '14:30:00'],
      ['10:05:00', '10:05:00'],
      ['12 AM', '00:00:00'],
      ['12:00 PM', '12:00:00'],
      ['11:59 PM', '23:59:00'],
      ['00:00', '00:00:00'],
      // Wall times on New York's clock-change days are kept as typed.
      ['2:30 AM', '02:30:00'],
      ['1:30 AM', '01:30:00'],
    ])('%j → %j in each time field', (text, wire) => {
      for (const [key, , read] of TIME_FIELDS) {
        const r = toBody(withKap({ [key]: text }))
        expect(r.ok).toBe(true)
        if (r.ok) expect(read(r.body as KapBody)).toBe(wire)
      }
    })

    it.each<[string, string]>([
      ['24:00', 'Enter a time such as 10:00 AM, 2:30 PM or 14:30.'],
      ['25:00', 'Enter a time such as 10:00 AM, 2:30 PM or 14:30.'],
      ['noon', 'Enter a time such as 10:00 AM, 2:30 PM or 14:30.'],
      ['١٠:٣٠', 'Enter a time such as 10:00 AM, 2:30 PM or 14:30.'],
      ['13 PM', 'With AM or PM, the hour is between 1 and 12.'],
      ['0 AM', 'With AM or PM, the hour is between 1 and 12.'],
      ['10', 'Add AM or PM, for example 10 AM.'],
      ['10:60', 'The minutes must be between 00 and 59.'],
    ])('%j is an error under each time field: %s', (text, message) => {
      for (const [key, field] of TIME_FIELDS) {
        expect(toBody(withKap({ [key]: text }))).toEqual({ ok: false, errors: { [field]: message } })
      }
    })
  })

  it('gathers every error at once, under its own field', () => {
    const r = toBody(
      withKap(
        {
          pre: { systolic: 'high', diastolic: '80', heart_rate: '-1' },
          post: { systolic: '120', diastolic: '1.5', heart_rate: '' },
          strength_mg: '100mg',
          count: '2',
          booster_mg: '',
          taken_at: '24:00',
          discharge_at: '13 PM',
          journey_start: '10:00',
        },
        fullKap(),
      ),
    )
    expect(r).toEqual({
      ok: false,
      errors: {
        'pre_check.vitals.systolic': 'Enter a whole number.',
        'pre_check.vitals.heart_rate': 'Enter a whole number.',
        'post_vitals.diastolic': 'Enter a whole number.',
        'dose.strength_mg': 'Enter a whole number.',
        'dose.taken_at': 'Enter a time such as 10:00 AM, 2:30 PM or 14:30.',
        'discharge.at': 'With AM or PM, the hour is between 1 and 12.',
      },
    })
  })

  it('sends an unset formulation as null and a chosen one as it is', () => {
    for (const formulation of ['sublingual_lozenge', 'troche', 'rapid_dissolve_tablet'] as const) {
      const r = toBody(withKap({ formulation }))
      expect(r.ok && (r.body as KapBody).dose.formulation).toBe(formulation)
    }
    const r = toBody(withKap({ formulation: '' }))
    expect(r.ok && (r.body as KapBody).dose.formulation).toBeNull()
  })

  it('places every field it can report an error under', () => {
    const r = toBody(
      withKap({
        pre: { systolic: 'x', diastolic: 'x', heart_rate: 'x' },
        post: { systolic: 'x', diastolic: 'x', heart_rate: 'x' },
        strength_mg: 'x',
        count: 'x',
        booster_mg: 'x',
        last_meal_at: 'x',
        taken_at: 'x',
        booster_at: 'x',
        journey_start: 'x',
        journey_end: 'x',
        discharge_at: 'x',
      }),
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(Object.keys(r.errors)).toHaveLength(15)
    for (const field of Object.keys(r.errors)) expect(PLACED_FIELDS).toContain(field)
  })
})

describe('totalMg', () => {
  it.each<[string, string, string, number | null]>([
    // strength × count (+ booster)
    ['100', '2', '', 200],
    ['100', '2', '50', 250],
    ['100', '2', '0', 200],
    [' 100 ', ' 2 ', ' 50 ', 250],
    ['100', '1', '', 100],
    ['100', '0', '', 0],
    ['0', '3', '', 0],
    ['0', '0', '25', 25],
    ['007', '2', '', 14],
    ['99999', '99999', '99999', 99_999 * 99_999 + 99_999],
    // Not known without both strength and count.
    ['', '2', '', null],
    ['100', '', '', null],
    ['', '', '50', null],
    ['  ', '2', '', null],
    ['abc', '2', '', null],
    ['100', 'two', '', null],
    ['100mg', '2', '', null],
    ['-100', '2', '', null],
    ['100', '-2', '', null],
    ['1.5', '2', '', null],
    ['100', '2.5', '', null],
    ['100000', '1', '', null],
    ['١٠٠', '2', '', null],
    ['100', '２', '', null],
    // A booster that is not a whole number makes the total unknown: it is not left out.
    ['100', '2', 'abc', null],
    ['100', '2', '50mg', null],
    ['100', '2', '-50', null],
    ['100', '2', '12.5', null],
    ['100', '2', '100000', null],
    ['100', '2', '٥٠', null],
  ])('strength %j × count %j + booster %j → %j', (strength_mg, count, booster_mg, total) => {
    expect(totalMg({ ...kapForm(), strength_mg, count, booster_mg })).toBe(total)
  })
})

describe('PLACED_FIELDS', () => {
  it('has no field twice', () => {
    expect(new Set(PLACED_FIELDS).size).toBe(PLACED_FIELDS.length)
  })
})

describe('atOrAboveHold', () => {
  const hold = { systolic: 140, diastolic: 90 }
  it.each([
    ['139', '89', false],
    ['140', '70', true],
    ['120', '90', true],
    ['139', '', false],
    ['14O', '95', false],
  ])('%s/%s is %s', (systolic, diastolic, want) => {
    expect(atOrAboveHold({ systolic, diastolic, heart_rate: '' }, hold)).toBe(want)
  })
})
