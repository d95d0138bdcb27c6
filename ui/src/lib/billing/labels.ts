import type { InvoiceStatus, PaymentMethod, PlaceOfService } from '../types'

export const PAYMENT_METHOD_LABEL: Record<PaymentMethod, string> = {
  cash: 'Cash',
  card: 'Card',
  check: 'Check',
  zelle: 'Zelle',
  venmo: 'Venmo',
  other: 'Other',
}

export const PAYMENT_METHODS: readonly { value: PaymentMethod; label: string }[] = (
  ['cash', 'card', 'check', 'zelle', 'venmo', 'other'] as const
).map((m) => ({ value: m, label: PAYMENT_METHOD_LABEL[m] }))

export const INVOICE_STATUS_LABEL: Record<InvoiceStatus, string> = {
  open: 'Open',
  partly_paid: 'Partly paid',
  paid: 'Paid',
  void: 'Void',
}

/** Place-of-service codes as a superbill prints them. */
export const PLACE_OF_SERVICE: readonly { value: PlaceOfService; code: string; label: string }[] = [
  { value: 'office', code: '11', label: '11 · Office' },
  { value: 'telehealth_not_at_home', code: '02', label: '02 · Telehealth, not at home' },
  { value: 'telehealth_at_home', code: '10', label: '10 · Telehealth, at home' },
]
