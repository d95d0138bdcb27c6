import { call } from '../ipc'
import type { Dashboard } from '../types'

/** What needs attention: today's and this week's appointments, follow-ups, notes to sign. */
export const dashboard = () => call<Dashboard>('dashboard')
