// Which component shows each page of the route table (`../routes.ts`), with its props
// from the route. A record over every route name: a page added to the table and not
// here fails the type check.
import type { Component } from 'svelte'
import ActivityLog from '../settings/ActivityLog.svelte'
import AppointmentPage from '../schedule/AppointmentPage.svelte'
import BillingPage from '../billing/BillingPage.svelte'
import Calendar from '../schedule/Calendar.svelte'
import ClientEditLoader from '../clients/ClientEditLoader.svelte'
import ClientForm from '../clients/ClientForm.svelte'
import ClientList from '../clients/ClientList.svelte'
import ClientPage from '../clients/ClientPage.svelte'
import CoursePage from '../measures/CoursePage.svelte'
import Home from '../home/Home.svelte'
import ImportClients from '../import/ImportClients.svelte'
import Licences from '../settings/Licences.svelte'
import NoteEditor from '../notes/NoteEditor.svelte'
import PrescriberList from '../prescribers/PrescriberList.svelte'
import Settings from '../settings/Settings.svelte'
import type { Route, RouteName, RouteOf } from '../routes'

export type Shown = { component: Component<Record<string, unknown>>; props: Record<string, unknown> }

/** A component with the props it is given, checked against each other. */
function show<P extends Record<string, unknown>>(component: Component<P>, props: P): Shown {
  return { component: component as unknown as Shown['component'], props }
}

const PAGES: { [N in RouteName]: (route: RouteOf<N>) => Shown } = {
  home: () => show(Home, {}),
  calendar: (r) => show(Calendar, { week: r.week }),
  appointment: (r) => show(AppointmentPage, { id: r.id, back: r.back }),
  note: (r) => show(NoteEditor, { appointmentId: r.appointmentId, clientId: r.clientId, back: r.back }),
  clients: () => show(ClientList, {}),
  client: (r) => show(ClientPage, { id: r.id, initial: r.client }),
  course: (r) => show(CoursePage, { clientId: r.clientId }),
  'client-new': () => show(ClientForm, {}),
  'import-clients': () => show(ImportClients, {}),
  'client-edit': (r) => (r.client ? show(ClientForm, { client: r.client }) : show(ClientEditLoader, { id: r.id })),
  prescribers: () => show(PrescriberList, {}),
  billing: () => show(BillingPage, {}),
  settings: () => show(Settings, {}),
  activity: (r) => show(ActivityLog, { clientId: r.clientId }),
  licences: () => show(Licences, {}),
}

/** The component and props that show a route. */
export function pageOf<N extends RouteName>(route: RouteOf<N>): Shown {
  return (PAGES[route.name as N] as (r: Route) => Shown)(route)
}
