import type { InvoiceStatus, PaymentMethod, Service } from '../types'

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
  void: 'Void',
}

/** Services never billed on a superbill: their CPT code stays empty. */
export const NOT_ON_SUPERBILLS: ReadonlySet<Service> = new Set<Service>(['medical_intake', 'prescription'])
