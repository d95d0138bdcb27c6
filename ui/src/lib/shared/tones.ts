// Which badge tone each status has, beside the words `labels.ts` gives it.
import type { Answer, AppointmentStatus, Band, ClientStatus, IntakeOutcome, InvoiceStatus } from '../types'
import type { Tone } from './Badge.svelte'

export const CLIENT_STATUS_TONE: Record<ClientStatus, Tone> = {
  inquiry: 'info',
  intake: 'warning',
  active: 'accent',
  paused: 'earth',
  completed: 'moss',
  not_suitable: 'plum',
  archived: 'outline',
}

export const APPOINTMENT_STATUS_TONE: Record<AppointmentStatus, Tone> = {
  scheduled: 'info',
  completed: 'success',
  cancelled: 'outline',
  late_cancelled: 'outline',
  no_show: 'danger',
}

export const INVOICE_STATUS_TONE: Record<InvoiceStatus, Tone> = {
  open: 'warning',
  partly_paid: 'warning',
  paid: 'success',
  void: 'muted',
}

export const OUTCOME_TONE: Record<IntakeOutcome, Tone> = {
  cleared: 'success',
  pending: 'warning',
  not_cleared: 'danger',
}

/** A screening answer: "no" is quiet, "yes" and "unknown" stand out unless overridden. */
export function answerTone(answer: Answer, overridden: boolean): Tone {
  if (overridden) return 'moss'
  return answer === 'no' ? 'outline' : 'warning-strong'
}

export const BAND_TONE: Record<Band, Tone> = {
  minimal: 'success',
  mild: 'info',
  moderate: 'warning',
  moderately_severe: 'warning-strong',
  severe: 'danger',
  below_cut_point: 'success',
  probable_ptsd: 'danger',
}
