// What global search shows and where each result leads. Pure, so it is unit-tested.
import type { Route } from '../routes'
import type { HitKind, SearchHit, SearchResults } from '../types'

export const GROUP_LABEL: Record<HitKind, string> = {
  appointment: 'Appointments',
  client: 'Clients',
  note: 'Session notes',
  amendment: 'Amendments',
  intake: 'Intakes',
  invoice: 'Invoices',
  prescriber: 'Prescribers',
}

/** Every hit in the order shown: the groups in the core's order, each newest first. */
export function flatten(results: SearchResults): SearchHit[] {
  return results.groups.flatMap((g) => g.hits)
}

/**
 * The page a result opens: a client's page (for a client, an intake or an invoice, which
 * that page shows), a note (for a note or an amendment), an appointment, or the
 * prescribers. `from` is where the palette was opened, for the page's "Back" link.
 */
export function hitRoute(hit: SearchHit, from: Route): Route | null {
  switch (hit.kind) {
    case 'client':
      return { name: 'client', id: hit.id }
    case 'intake':
    case 'invoice':
      return hit.client_id === null ? null : { name: 'client', id: hit.client_id }
    case 'note':
    case 'amendment':
      return hit.client_id === null || hit.appointment_id === null
        ? null
        : { name: 'note', appointmentId: hit.appointment_id, clientId: hit.client_id, back: from }
    case 'appointment':
      return { name: 'appointment', id: hit.id, back: from }
    case 'prescriber':
      return { name: 'prescribers' }
  }
}
