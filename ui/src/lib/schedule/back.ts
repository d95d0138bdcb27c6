import type { Route } from '../app.svelte'

/** The words of a "Back to …" link for the page a user came from. */
export function backLabel(route: Route): string {
  switch (route.name) {
    case 'home':
      return 'Back to home'
    case 'calendar':
      return 'Back to calendar'
    case 'client':
      return "Back to the client's page"
    case 'appointment':
      return 'Back to the appointment'
    default:
      return 'Back'
  }
}
