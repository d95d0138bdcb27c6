import { call } from '../ipc'
import type {
  Client,
  ClientId,
  ClientInput,
  ClientList,
  ClientQuery,
  ClientRecord,
  ClientView,
  UpdateClientRequest,
} from '../types'

export const PAGE_SIZE = 50

/** A page of clients, with each listed client's clearance today. */
export const listClients = (req: ClientQuery) => call<ClientList>('list_clients', req)
/** Records a view in the audit log: call once when a client's page opens. The client,
 * with from when their record may lawfully be destroyed. */
/** Opens a client's page: records a view in the audit log (call once per visit) and
 * answers with every section's contents. */
export const clientPage = (req: ClientId) => call<ClientView>('client_page', req)
export const openClient = (req: ClientId) => call<ClientRecord>('open_client', req)
export const createClient = (req: ClientInput) => call<Client>('create_client', req)
export const updateClient = (req: UpdateClientRequest) => call<Client>('update_client', req)
export const archiveClient = (req: ClientId) => call<Client>('archive_client', req)
export const unarchiveClient = (req: ClientId) => call<Client>('unarchive_client', req)
