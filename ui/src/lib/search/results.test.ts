import { describe, expect, it } from 'vitest'
import type { SearchHit, SearchResults } from '../types'
import { flatten, GROUP_LABEL, hitRoute } from './results'

const hit = (over: Partial<SearchHit>): SearchHit => ({
  kind: 'client',
  id: 1,
  client_id: 1,
  appointment_id: null,
  title: 'Ana López',
  preferred_name: null,
  date: null,
  detail: '',
  snippet: [],
  ...over,
})

describe('global search results', () => {
  const from = { name: 'calendar' } as const

  it('opens each kind on the page that shows it', () => {
    expect(hitRoute(hit({ kind: 'client', id: 7, client_id: 7 }), from)).toEqual({ name: 'client', id: 7 })
    expect(hitRoute(hit({ kind: 'intake', id: 3, client_id: 7 }), from)).toEqual({ name: 'client', id: 7 })
    expect(hitRoute(hit({ kind: 'invoice', id: 9, client_id: 7 }), from)).toEqual({ name: 'client', id: 7 })
    expect(hitRoute(hit({ kind: 'note', id: 5, client_id: 7, appointment_id: 11 }), from)).toEqual({
      name: 'note',
      appointmentId: 11,
      clientId: 7,
      back: from,
    })
    expect(hitRoute(hit({ kind: 'amendment', id: 2, client_id: 7, appointment_id: 11 }), from)).toEqual({
      name: 'note',
      appointmentId: 11,
      clientId: 7,
      back: from,
    })
    expect(hitRoute(hit({ kind: 'appointment', id: 11, client_id: null }), from)).toEqual({
      name: 'appointment',
      id: 11,
      back: from,
    })
    expect(hitRoute(hit({ kind: 'prescriber', id: 4, client_id: null }), from)).toEqual({ name: 'prescribers' })
  })

  it('opens nothing for a result without what its page needs', () => {
    expect(hitRoute(hit({ kind: 'note', client_id: 7, appointment_id: null }), from)).toBeNull()
    expect(hitRoute(hit({ kind: 'invoice', client_id: null }), from)).toBeNull()
  })

  it('lists the hits in the groups’ order and labels every kind', () => {
    const results: SearchResults = {
      day: null,
      too_short: false,
      groups: [
        { kind: 'client', more: false, hits: [hit({ id: 1 }), hit({ id: 2 })] },
        { kind: 'note', more: true, hits: [hit({ kind: 'note', id: 3 })] },
      ],
    }
    expect(flatten(results).map((h) => [h.kind, h.id])).toEqual([
      ['client', 1],
      ['client', 2],
      ['note', 3],
    ])
    for (const label of Object.values(GROUP_LABEL)) expect(label).toMatch(/^[A-Z]/)
  })
})
