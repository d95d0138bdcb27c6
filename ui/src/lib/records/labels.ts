// Words for the records-rights enums (the rules behind them: docs/legal.md).
import type {
  AccessFormat,
  AccessKind,
  AccessStatus,
  AuthorizationStatus,
  Delivery,
  DenialGround,
  Purpose,
  RecipientKind,
  Requester,
} from '../types'
import type { Tone } from '../shared/Badge.svelte'

export const ACCESS_KIND_LABEL: Record<AccessKind, string> = {
  inspect: 'Inspect the record',
  copy: 'A copy of the record',
  summary: 'A summary instead of the record',
}

export const REQUESTER_LABEL: Record<Requester, string> = {
  client: 'The client',
  representative: 'A personal representative',
}

export const FORMAT_LABEL: Record<AccessFormat, string> = {
  paper: 'Paper',
  pdf: 'PDF',
  data_export: 'Data (JSON and CSV)',
}

export const DELIVERY_LABEL: Record<Delivery, string> = {
  in_person: 'In person',
  mail: 'Mail',
  email: 'E-mail',
  electronic_media: 'On a drive or disc',
}

export const ACCESS_STATUS_LABEL: Record<AccessStatus, string> = {
  open: 'Open',
  fulfilled: 'Fulfilled',
  partly_denied: 'Partly denied',
  denied: 'Denied',
  withdrawn: 'Withdrawn',
}

export const DENIAL_GROUND_LABEL: Record<DenialGround, string> = {
  endangerment: 'Likely to endanger life or physical safety (reviewable)',
  references_another_person: 'Would likely harm another person it refers to (reviewable)',
  representative_harm: "A representative's access would likely cause harm (reviewable)",
  psychotherapy_notes: 'Psychotherapy (private process) notes (not reviewable)',
  legal_proceeding: 'Compiled for a legal proceeding (not reviewable)',
  confidential_source: 'Would reveal a source promised confidentiality (not reviewable)',
}

export const RECIPIENT_KIND_LABEL: Record<RecipientKind, string> = {
  client: 'Client',
  representative: "Client's personal representative",
  prescriber: 'Prescriber or another clinician',
  insurer: 'Insurer or other payer',
  other: 'Someone else',
}

export const PURPOSE_LABEL: Record<Purpose, string> = {
  treatment: 'Treatment',
  payment: 'Payment',
  operations: "The practice's operations",
  client_request: "The client's own request",
  authorized: "Under the client's signed authorization",
  involved_in_care: 'Family or others involved in care',
  required_by_law: 'Required by law',
  public_health: 'Public health, or a report of abuse or neglect',
  health_oversight: 'Health oversight (a licensing board)',
  judicial: 'A court or other proceeding',
  law_enforcement: 'Law enforcement',
  serious_threat: 'To avert a serious threat',
  other: 'Other',
}

export function options<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }))
}

export const AUTHORIZATION_STATUS_LABEL: Record<AuthorizationStatus, string> = {
  draft: 'Not signed',
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
}

export const AUTHORIZATION_STATUS_TONE: Record<AuthorizationStatus, Tone> = {
  draft: 'warning',
  active: 'success',
  expired: 'outline',
  revoked: 'danger',
}
