// The pages of the unlocked app, in one table: for each, the section of the main
// navigation it belongs to, its title, the words of a link back to it, and the route it
// comes back to after a lock. The shell (`shell/AppShell.svelte`, which maps each name
// to its component in `shell/pages.ts`), the navigation and `app.svelte.ts` all read it.
import type { Client } from './types'

export type Route =
  | { name: 'home' }
  | { name: 'calendar'; week?: string }
  | { name: 'appointment'; id: number; back: Route }
  | { name: 'note'; appointmentId: number; clientId: number; back: Route }
  | { name: 'clients' }
  | { name: 'client'; id: number; client?: Client }
  | { name: 'course'; clientId: number }
  | { name: 'client-new' }
  | { name: 'import-clients' }
  | { name: 'client-edit'; id: number; client?: Client }
  | { name: 'prescribers' }
  | { name: 'billing' }
  | { name: 'settings' }
  | { name: 'activity'; clientId?: number }
  | { name: 'licences' }

export type RouteName = Route['name']
export type RouteOf<N extends RouteName> = Extract<Route, { name: N }>

/** The sections of the main navigation, in its order. */
export const SECTIONS = ['home', 'calendar', 'clients', 'prescribers', 'billing', 'settings'] as const
export type Section = (typeof SECTIONS)[number]

export type Page<N extends RouteName> = {
  /** The section it is under; `'from'` for a page that belongs to the page it was opened from. */
  section: Section | 'from'
  title: string
  /** The words of a link back to this page. */
  back: string
  /**
   * The route to come back to after a lock, by ids only: records loaded into a route (a
   * client object) are dropped, so nothing of a client stays in memory behind the lock
   * screen; the page loads them again after unlocking.
   */
  resume: (route: RouteOf<N>) => Route
}

const same = <R extends Route>(route: R): Route => route

export const ROUTES: { [N in RouteName]: Page<N> } = {
  home: { section: 'home', title: 'Home', back: 'Back to home', resume: same },
  calendar: { section: 'calendar', title: 'Calendar', back: 'Back to calendar', resume: same },
  appointment: {
    section: 'from',
    title: 'Appointment',
    back: 'Back to the appointment',
    resume: (r) => ({ name: 'appointment', id: r.id, back: resumable(r.back) }),
  },
  note: {
    section: 'from',
    title: 'Session note',
    back: 'Back to the note',
    resume: (r) => ({ name: 'note', appointmentId: r.appointmentId, clientId: r.clientId, back: resumable(r.back) }),
  },
  clients: { section: 'clients', title: 'Clients', back: 'Back to clients', resume: same },
  client: { section: 'clients', title: 'Client', back: "Back to the client's page", resume: (r) => ({ name: 'client', id: r.id }) },
  course: { section: 'clients', title: 'KAP course', back: 'Back to the course', resume: (r) => ({ name: 'course', clientId: r.clientId }) },
  'client-new': { section: 'clients', title: 'New client', back: 'Back', resume: same },
  'import-clients': { section: 'clients', title: 'Import clients', back: 'Back to the import', resume: same },
  'client-edit': { section: 'clients', title: 'Edit client', back: 'Back', resume: (r) => ({ name: 'client-edit', id: r.id }) },
  prescribers: { section: 'prescribers', title: 'Prescribers', back: 'Back to prescribers', resume: same },
  billing: { section: 'billing', title: 'Billing', back: 'Back to billing', resume: same },
  settings: { section: 'settings', title: 'Settings', back: 'Back to settings', resume: same },
  activity: { section: 'settings', title: 'Activity', back: 'Back to activity', resume: same },
  licences: { section: 'settings', title: 'Third-party licences', back: 'Back to the licences', resume: same },
}

function page<N extends RouteName>(route: RouteOf<N>): Page<N> {
  return ROUTES[route.name as N]
}

/** The route to come back to after a lock (see `Page.resume`). */
export function resumable(route: Route): Route {
  return page(route).resume(route)
}

/** The navigation's section a route is under: an appointment or a note, the one it was opened from. */
export function sectionOf(route: Route): Section {
  const s = page(route).section
  if (s !== 'from') return s
  return 'back' in route ? sectionOf(route.back) : 'home'
}

/** The words of a "Back to …" link to a route. */
export function backLabel(route: Route): string {
  return page(route).back
}

/** The main navigation: each section's title and the route it opens. */
export const NAV: readonly { section: Section; label: string; route: Route }[] = SECTIONS.map((section) => ({
  section,
  label: ROUTES[section].title,
  // Every section is a route with no parameters.
  route: { name: section } as Route,
}))
