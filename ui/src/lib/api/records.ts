// Records rights: a client's access requests and the disclosures of their information.
import { call } from '../ipc'
import type {
  AddDisclosureEntry,
  ClientId,
  DenyAccessRequest,
  ExtendAccessRequest,
  FulfilAccessRequest,
  LogAccessRequest,
  RecordsRights,
  WithdrawAccessRequest,
} from '../types'

export const clientRecordsRights = (req: ClientId) => call<RecordsRights>('client_records_rights', req)
export const logAccessRequest = (req: LogAccessRequest) => call<RecordsRights>('log_access_request', req)
export const extendAccessRequest = (req: ExtendAccessRequest) => call<RecordsRights>('extend_access_request', req)
export const fulfilAccessRequest = (req: FulfilAccessRequest) => call<RecordsRights>('fulfil_access_request', req)
export const denyAccessRequest = (req: DenyAccessRequest) => call<RecordsRights>('deny_access_request', req)
export const withdrawAccessRequest = (req: WithdrawAccessRequest) => call<RecordsRights>('withdraw_access_request', req)
export const addDisclosureEntry = (req: AddDisclosureEntry) => call<RecordsRights>('add_disclosure_entry', req)
