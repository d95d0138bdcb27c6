// Records rights: a client's access requests and the disclosures of their information.
import { call } from '../ipc'
import type {
  AddDisclosureEntry,
  AuthorizationWarning,
  DisclosureWarningRequest,
  DraftAuthorization,
  RevokeAuthorization,
  SaveAuthorizationPdf,
  SignAuthorization,
  UpdateAuthorization,
  ClientId,
  DenyAccessRequest,
  ExportClientRequest,
  ExtendAccessRequest,
  FulfilAccessRequest,
  LogAccessRequest,
  Notice,
  RecordAcknowledgment,
  RecordsRights,
  Saved,
  SaveDenialLetter,
  SaveNoticePdf,
  WithdrawAccessRequest,
} from '../types'

export const clientRecordsRights = (req: ClientId) => call<RecordsRights>('client_records_rights', req)
export const logAccessRequest = (req: LogAccessRequest) => call<RecordsRights>('log_access_request', req)
export const extendAccessRequest = (req: ExtendAccessRequest) => call<RecordsRights>('extend_access_request', req)
export const fulfilAccessRequest = (req: FulfilAccessRequest) => call<RecordsRights>('fulfil_access_request', req)
export const denyAccessRequest = (req: DenyAccessRequest) => call<RecordsRights>('deny_access_request', req)
export const withdrawAccessRequest = (req: WithdrawAccessRequest) => call<RecordsRights>('withdraw_access_request', req)
export const addDisclosureEntry = (req: AddDisclosureEntry) => call<RecordsRights>('add_disclosure_entry', req)
export const saveDenialLetter = (req: SaveDenialLetter) => call<Saved>('save_denial_letter', req)
export const saveDisclosureAccounting = (req: ExportClientRequest) => call<Saved>('save_disclosure_accounting', req)

/** `access-request-000012-denial-2026-11-26.pdf`: a number and a date, never a name. */
export const denialLetterName = (id: number, on: string) => `access-request-${String(id).padStart(6, '0')}-denial-${on}.pdf`
/** `client-000123-accounting-2026-11-26.pdf` */
export const accountingName = (clientId: number, on: string) =>
  `client-${String(clientId).padStart(6, '0')}-accounting-${on}.pdf`

export const privacyNotice = () => call<Notice>('privacy_notice')
export const savePrivacyNotice = (req: Notice) => call<Notice>('save_privacy_notice', req)
export const savePrivacyNoticePdf = (req: SaveNoticePdf) => call<Saved>('save_privacy_notice_pdf', req)
export const recordPrivacyAcknowledgment = (req: RecordAcknowledgment) =>
  call<RecordsRights>('record_privacy_acknowledgment', req)

/** `privacy-notice-2026-11-01.pdf`: named by its revision. */
export const privacyNoticeName = (revisedOn: string) => `privacy-notice-${revisedOn}.pdf`

export const draftAuthorization = (req: DraftAuthorization) => call<RecordsRights>('draft_authorization', req)
export const updateAuthorization = (req: UpdateAuthorization) => call<RecordsRights>('update_authorization', req)
export const signAuthorization = (req: SignAuthorization) => call<RecordsRights>('sign_authorization', req)
export const revokeAuthorization = (req: RevokeAuthorization) => call<RecordsRights>('revoke_authorization', req)
export const saveAuthorizationPdf = (req: SaveAuthorizationPdf) => call<Saved>('save_authorization_pdf', req)
/** The core's warning about a disclosure that needs an authorization it does not have (`null`: none). */
export const disclosureWarning = (req: DisclosureWarningRequest) =>
  call<AuthorizationWarning | null>('disclosure_warning', req)

/** `authorization-000012-2026-11-26.pdf`: a number and a date, never a name. */
export const authorizationName = (id: number, on: string) => `authorization-${String(id).padStart(6, '0')}-${on}.pdf`
