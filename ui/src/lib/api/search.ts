import { call } from '../ipc'
import type { SearchRequest, SearchResults } from '../types'

/** Global search: clients, notes, amendments, intakes, invoices, prescribers, and a day's
 * appointments when the words name a day. Nothing of the query is kept. */
export const globalSearch = (req: SearchRequest) => call<SearchResults>('global_search', req)
