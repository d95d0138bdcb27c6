// Words for the import screens: the client fields a CSV column can fill, the file's
// encoding and delimiter, and a row's state in the dry run.
import type { CsvDelimiter, CsvEncoding, CsvRowPlan, CsvTarget } from '../types'

/** Every field a column can fill, in the client form's order. */
export const TARGETS: readonly CsvTarget[] = [
  'full_name',
  'first_name',
  'middle_name',
  'last_name',
  'preferred_name',
  'pronouns',
  'date_of_birth',
  'email',
  'phone',
  'street',
  'street2',
  'city',
  'state',
  'postal_code',
  'country',
  'emergency_name',
  'emergency_relation',
  'emergency_phone',
  'referral_source',
  'notes',
]

export const TARGET_LABEL: Record<CsvTarget, string> = {
  full_name: 'Legal name (whole)',
  first_name: 'First name',
  middle_name: 'Middle name',
  last_name: 'Last name',
  preferred_name: 'Preferred name',
  pronouns: 'Pronouns',
  date_of_birth: 'Date of birth',
  email: 'Email',
  phone: 'Phone',
  street: 'Address line 1',
  street2: 'Address line 2',
  city: 'City',
  state: 'State',
  postal_code: 'ZIP code',
  country: 'Country',
  emergency_name: 'Emergency contact',
  emergency_relation: 'Emergency contact: relationship',
  emergency_phone: 'Emergency contact: phone',
  referral_source: 'Referral source',
  notes: 'Notes (several columns allowed)',
}

export const ENCODING_LABEL: Record<CsvEncoding, string> = {
  utf8: 'UTF-8',
  utf8_bom: 'UTF-8 (with byte-order mark)',
  windows1252: 'Windows-1252',
}

export const DELIMITER_LABEL: Record<CsvDelimiter, string> = {
  comma: 'commas',
  semicolon: 'semicolons',
  tab: 'tabs',
}

export type RowState = 'ready' | 'duplicate' | 'invalid'

export function rowState(r: CsvRowPlan): RowState {
  if (r.errors.length > 0) return 'invalid'
  if (r.duplicates.length > 0) return 'duplicate'
  return 'ready'
}

/** "Same name and date of birth as client #12 and row 4." */
export function duplicateWords(r: CsvRowPlan): string {
  const parts = r.duplicates.map((d) => (d.kind === 'client' ? `an existing client (#${d.id})` : `row ${d.row}`))
  if (parts.length === 0) return ''
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
  return `Same name and date of birth as ${list}.`
}

/** `n` with its noun: `1 client`, `2 clients`. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}
