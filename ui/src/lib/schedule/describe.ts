import type { Appointment } from '../types'

/** Attendees' names for display: the preferred name where there is one. */
export function attendeeNames(a: Appointment): string[] {
  return a.attendees.map((t) => t.preferred_name ?? t.legal_name)
}

/** A client chosen for an appointment. */
export type Chosen = { id: number; legal_name: string; preferred_name: string | null }
