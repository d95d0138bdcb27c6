import { describe, expect, it } from 'vitest'
import { backLabel, NAV, resumable, ROUTES, SECTIONS, sectionOf, type Route } from './routes'
import type { Client } from './types'

// A client record as a route may carry it; only its presence matters here.
const client = { id: 7, legal_name: 'Ana' } as unknown as Client

describe('the route table', () => {
  it('puts each page under its section of the navigation', () => {
    const cases: [Route, string][] = [
      [{ name: 'home' }, 'home'],
      [{ name: 'calendar', week: '2025-03-03' }, 'calendar'],
      [{ name: 'clients' }, 'clients'],
      [{ name: 'client', id: 7 }, 'clients'],
      [{ name: 'client-new' }, 'clients'],
      [{ name: 'client-edit', id: 7 }, 'clients'],
      [{ name: 'prescribers' }, 'prescribers'],
      [{ name: 'billing' }, 'billing'],
      [{ name: 'settings' }, 'settings'],
      [{ name: 'activity', clientId: 7 }, 'settings'],
    ]
    for (const [route, section] of cases) expect(sectionOf(route), route.name).toBe(section)
  })

  it('puts an appointment or a note under the page it was opened from, however deep', () => {
    const fromCalendar: Route = { name: 'appointment', id: 1, back: { name: 'calendar' } }
    expect(sectionOf(fromCalendar)).toBe('calendar')
    const note: Route = { name: 'note', appointmentId: 1, clientId: 7, back: { name: 'appointment', id: 1, back: { name: 'client', id: 7 } } }
    expect(sectionOf(note)).toBe('clients')
  })

  it('resumes after a lock by ids only: no client record stays behind the lock screen', () => {
    expect(resumable({ name: 'client', id: 7, client })).toEqual({ name: 'client', id: 7 })
    expect(resumable({ name: 'client-edit', id: 7, client })).toEqual({ name: 'client-edit', id: 7 })
    const deep: Route = { name: 'note', appointmentId: 1, clientId: 7, back: { name: 'appointment', id: 1, back: { name: 'client', id: 7, client } } }
    expect(resumable(deep)).toEqual({
      name: 'note',
      appointmentId: 1,
      clientId: 7,
      back: { name: 'appointment', id: 1, back: { name: 'client', id: 7 } },
    })
    expect(JSON.stringify(resumable(deep))).not.toContain('Ana')
  })

  it('resumes pages without records as they were', () => {
    const routes: Route[] = [{ name: 'calendar', week: '2025-03-03' }, { name: 'activity', clientId: 7 }, { name: 'billing' }]
    for (const r of routes) expect(resumable(r)).toEqual(r)
  })

  it('words a link back to the pages an appointment or a note is opened from', () => {
    expect(backLabel({ name: 'home' })).toBe('Back to home')
    expect(backLabel({ name: 'calendar' })).toBe('Back to calendar')
    expect(backLabel({ name: 'client', id: 7 })).toBe("Back to the client's page")
    expect(backLabel({ name: 'appointment', id: 1, back: { name: 'home' } })).toBe('Back to the appointment')
  })

  it('gives the navigation one entry per section, in order, each opening its own page', () => {
    expect(NAV.map((n) => n.section)).toEqual([...SECTIONS])
    for (const n of NAV) {
      expect(n.route.name).toBe(n.section)
      expect(sectionOf(n.route)).toBe(n.section)
      expect(n.label).toBe(ROUTES[n.section].title)
    }
  })
})
