// Money: a client's charges, invoices and payments, the practice's billing page, and the
// paper the practice prints (invoices, superbills, good-faith estimates, consent forms).
import { call } from '../ipc'
import type {
  BillingProfile,
  BillingRows,
  ClientId,
  CreateInvoiceRequest,
  Invoice,
  Ledger,
  PracticeBilling,
  RecordPaymentRequest,
  ReversePaymentRequest,
  SaveClientPdfRequest,
  SaveEstimatePdfRequest,
  SaveInvoicePdfRequest,
  SaveSuperbillPdfRequest,
  Saved,
  ServiceCode,
  ServiceCodes,
  SetBillingProfileRequest,
  SetChargeAmountRequest,
  SetPlaceOfServiceRequest,
  SuperbillGap,
  SuperbillRange,
  VoidInvoiceRequest,
} from '../types'

export const clientLedger = (req: ClientId) => call<Ledger>('client_ledger', req)
export const setChargeAmount = (req: SetChargeAmountRequest) => call<Ledger>('set_charge_amount', req)
export const createInvoice = (req: CreateInvoiceRequest) => call<Invoice>('create_invoice', req)
export const recordPayment = (req: RecordPaymentRequest) => call<Invoice>('record_payment', req)
export const voidInvoice = (req: VoidInvoiceRequest) => call<Invoice>('void_invoice', req)
export const reversePayment = (req: ReversePaymentRequest) => call<Invoice>('reverse_payment', req)
export const setPlaceOfService = (req: SetPlaceOfServiceRequest) => call<Ledger>('set_charge_place_of_service', req)
/** What a superbill for these dates would lack (empty when nothing is missing). */
export const checkSuperbill = (req: SuperbillRange) => call<SuperbillGap[]>('check_superbill', req)
/** The Billing page with `req` rows of each list; its totals and counts cover every row. */
export const practiceBilling = (req: BillingRows) => call<PracticeBilling>('practice_billing', req)

export const getBillingProfile = (req: ClientId) => call<BillingProfile>('get_billing_profile', req)
export const setBillingProfile = (req: SetBillingProfileRequest) => call<BillingProfile>('set_billing_profile', req)
/** Every service's CPT code, and the services a superbill can include (only those take a code). */
export const getServiceCodes = () => call<ServiceCodes>('get_service_codes')
export const setServiceCodes = (req: ServiceCode[]) => call<ServiceCodes>('set_service_codes', req)

// PDFs: the path comes from `chooseSavePath` (lib/api/export.ts). Suggested file names
// never carry a client's name.
export const saveInvoicePdf = (req: SaveInvoicePdfRequest) => call<Saved>('save_invoice_pdf', req)
export const saveSuperbillPdf = (req: SaveSuperbillPdfRequest) => call<Saved>('save_superbill_pdf', req)
export const saveConsentPdf = (req: SaveClientPdfRequest) => call<Saved>('save_consent_pdf', req)
export const saveEstimatePdf = (req: SaveEstimatePdfRequest) => call<Saved>('save_estimate_pdf', req)
