// The note editor's form state: text for every input, converted to and from the wire's
// note body. Numbers are whole numbers; times are `HH:MM:SS` wall times.
import type { FieldErrors } from '../shared/forms'
import { checkTime } from '../times'
import type { Formulation, HoldDecision, KapNote, NoteBody, Vitals } from '../types'

export type VitalsForm = { systolic: string; diastolic: string; heart_rate: string }

export type KapForm = {
  intention: string
  pre: VitalsForm
  last_meal_at: string
  ride_home_arranged: boolean
  health_changes: string
  formulation: '' | Formulation
  strength_mg: string
  count: string
  taken_at: string
  booster_mg: string
  booster_at: string
  pharmacy_lot: string
  meditation_done: boolean
  breathing_done: boolean
  journey_start: string
  journey_end: string
  observations: string
  nausea: boolean
  vomiting: boolean
  raised_blood_pressure: boolean
  anxiety: boolean
  ae_other: string
  action_taken: string
  peak_at: string
  peak: VitalsForm
  hold_decision: '' | HoldDecision
  hold_reason: string
  dose_reason: string
  post: VitalsForm
  discharge_at: string
  alert: boolean
  steady_gait: boolean
  vitals_near_baseline: boolean
  escort_present: boolean
  integration_notes: string
}

export type NoteForm =
  | { kind: 'kap'; kap: KapForm }
  | { kind: 'integration'; what_came_up: string; themes: string; commitments: string }
  | { kind: 'free_text'; text: string }

const num = (n: number | null) => (n === null ? '' : String(n))
const tm = (t: string | null) => t ?? ''

function vitalsForm(v: Vitals): VitalsForm {
  return { systolic: num(v.systolic), diastolic: num(v.diastolic), heart_rate: num(v.heart_rate) }
}

export function toForm(body: NoteBody): NoteForm {
  if (body.kind === 'integration') {
    return { kind: 'integration', what_came_up: body.what_came_up, themes: body.themes, commitments: body.commitments }
  }
  if (body.kind === 'free_text') return { kind: 'free_text', text: body.text }
  const n: KapNote = body
  return {
    kind: 'kap',
    kap: {
      intention: n.intention,
      pre: vitalsForm(n.pre_check.vitals),
      last_meal_at: tm(n.pre_check.last_meal_at),
      ride_home_arranged: n.pre_check.ride_home_arranged,
      health_changes: n.pre_check.health_changes,
      formulation: n.dose.formulation ?? '',
      strength_mg: num(n.dose.strength_mg),
      count: num(n.dose.count),
      taken_at: tm(n.dose.taken_at),
      booster_mg: num(n.dose.booster_mg),
      booster_at: tm(n.dose.booster_at),
      pharmacy_lot: n.dose.pharmacy_lot,
      meditation_done: n.meditation_done,
      breathing_done: n.breathing_done,
      journey_start: tm(n.journey_start),
      journey_end: tm(n.journey_end),
      observations: n.observations,
      nausea: n.adverse_events.nausea,
      vomiting: n.adverse_events.vomiting,
      raised_blood_pressure: n.adverse_events.raised_blood_pressure,
      anxiety: n.adverse_events.anxiety,
      ae_other: n.adverse_events.other,
      action_taken: n.adverse_events.action_taken,
      peak_at: tm(n.peak_at),
      peak: vitalsForm(n.peak_vitals),
      hold_decision: n.hold_decision ?? '',
      hold_reason: n.hold_reason,
      dose_reason: n.dose_reason,
      post: vitalsForm(n.post_vitals),
      discharge_at: tm(n.discharge.at),
      alert: n.discharge.alert,
      steady_gait: n.discharge.steady_gait,
      vitals_near_baseline: n.discharge.vitals_near_baseline,
      escort_present: n.discharge.escort_present,
      integration_notes: n.integration_notes,
    },
  }
}

/** A whole number, or null when empty; records an error under `field` otherwise. */
function whole(e: FieldErrors, field: string, text: string): number | null {
  const s = text.trim()
  if (s === '') return null
  if (!/^\d{1,5}$/.test(s)) {
    e[field] = 'Enter a whole number.'
    return null
  }
  return Number.parseInt(s, 10)
}

function time(e: FieldErrors, field: string, value: string): string | null {
  const t = checkTime(value, false)
  if (!t.ok) {
    e[field] = t.message
    return null
  }
  return t.wire
}

function vitals(e: FieldErrors, field: string, v: VitalsForm): Vitals {
  return {
    systolic: whole(e, `${field}.systolic`, v.systolic),
    diastolic: whole(e, `${field}.diastolic`, v.diastolic),
    heart_rate: whole(e, `${field}.heart_rate`, v.heart_rate),
  }
}

/** The wire body, or the field errors found on the way. */
export function toBody(f: NoteForm): { ok: true; body: NoteBody } | { ok: false; errors: FieldErrors } {
  if (f.kind === 'integration') {
    return {
      ok: true,
      body: { kind: 'integration', what_came_up: f.what_came_up, themes: f.themes, commitments: f.commitments },
    }
  }
  if (f.kind === 'free_text') return { ok: true, body: { kind: 'free_text', text: f.text } }
  const k = f.kap
  const e: FieldErrors = {}
  const body: NoteBody = {
    kind: 'kap',
    intention: k.intention,
    pre_check: {
      vitals: vitals(e, 'pre_check.vitals', k.pre),
      last_meal_at: time(e, 'pre_check.last_meal_at', k.last_meal_at),
      ride_home_arranged: k.ride_home_arranged,
      health_changes: k.health_changes,
    },
    dose: {
      formulation: k.formulation === '' ? null : k.formulation,
      strength_mg: whole(e, 'dose.strength_mg', k.strength_mg),
      count: whole(e, 'dose.count', k.count),
      taken_at: time(e, 'dose.taken_at', k.taken_at),
      booster_mg: whole(e, 'dose.booster_mg', k.booster_mg),
      booster_at: time(e, 'dose.booster_at', k.booster_at),
      pharmacy_lot: k.pharmacy_lot,
    },
    meditation_done: k.meditation_done,
    breathing_done: k.breathing_done,
    journey_start: time(e, 'journey_start', k.journey_start),
    journey_end: time(e, 'journey_end', k.journey_end),
    observations: k.observations,
    adverse_events: {
      nausea: k.nausea,
      vomiting: k.vomiting,
      raised_blood_pressure: k.raised_blood_pressure,
      anxiety: k.anxiety,
      other: k.ae_other,
      action_taken: k.action_taken,
    },
    post_vitals: vitals(e, 'post_vitals', k.post),
    discharge: {
      at: time(e, 'discharge.at', k.discharge_at),
      alert: k.alert,
      steady_gait: k.steady_gait,
      vitals_near_baseline: k.vitals_near_baseline,
      escort_present: k.escort_present,
    },
    integration_notes: k.integration_notes,
    peak_at: time(e, 'peak_at', k.peak_at),
    peak_vitals: vitals(e, 'peak_vitals', k.peak),
    hold_decision: k.hold_decision === '' ? null : k.hold_decision,
    hold_reason: k.hold_reason,
    dose_reason: k.dose_reason,
  }
  return Object.keys(e).length ? { ok: false, errors: e } : { ok: true, body }
}

/** Total mg as the core computes it (strength × count, plus any booster), when known. */
export function totalMg(k: KapForm): number | null {
  const n = (s: string) => (/^\d{1,5}$/.test(s.trim()) ? Number.parseInt(s.trim(), 10) : null)
  const s = n(k.strength_mg)
  const c = n(k.count)
  // No booster counts as 0; a booster that is not a whole number leaves the total unknown.
  const b = k.booster_mg.trim() === '' ? 0 : n(k.booster_mg)
  if (s === null || c === null || b === null) return null
  return s * c + b
}

/** Every field the editor has a place for (others go to the banner). */
export const PLACED_FIELDS = [
  'intention',
  'pre_check.vitals',
  'pre_check.vitals.systolic',
  'pre_check.vitals.diastolic',
  'pre_check.vitals.heart_rate',
  'pre_check.last_meal_at',
  'pre_check.health_changes',
  'dose',
  'dose.formulation',
  'dose.strength_mg',
  'dose.count',
  'dose.taken_at',
  'dose.booster_mg',
  'dose.booster_at',
  'dose.pharmacy_lot',
  'hold_decision',
  'hold_reason',
  'dose_reason',
  'peak_at',
  'peak_vitals',
  'peak_vitals.systolic',
  'peak_vitals.diastolic',
  'peak_vitals.heart_rate',
  'journey_start',
  'journey_end',
  'observations',
  'adverse_events.other',
  'adverse_events.action_taken',
  'post_vitals',
  'post_vitals.systolic',
  'post_vitals.diastolic',
  'post_vitals.heart_rate',
  'discharge.at',
  'integration_notes',
  'what_came_up',
  'themes',
  'commitments',
  'text',
]

/** Whether a reading before the dose is at or above the hold threshold (either number),
 * as the core's rule decides it; false until both numbers are whole. */
export function atOrAboveHold(v: VitalsForm, hold: { systolic: number; diastolic: number }): boolean {
  const n = (s: string) => (/^\d{1,3}$/.test(s.trim()) ? Number.parseInt(s.trim(), 10) : null)
  const s = n(v.systolic)
  const d = n(v.diastolic)
  if (s === null || d === null) return false
  return s >= hold.systolic || d >= hold.diastolic
}
