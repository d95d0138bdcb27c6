// A client's intakes, screenings, prescriptions, consents and clearance.
import { call } from '../ipc'
import type {
  CheckClearanceRequest,
  ClearanceBadge,
  ClearanceBadgesRequest,
  ClearanceRecord,
  ClearanceView,
  ClientId,
  ConsentFormView,
  CreateIntakeRequest,
  CreatePrescriptionRequest,
  RecordConsentRequest,
  RecordScreeningRequest,
  UpdateIntakeRequest,
} from '../types'

export const getClearanceRecord = (req: ClientId) => call<ClearanceRecord>('get_clearance_record', req)
export const checkClearance = (req: CheckClearanceRequest) => call<ClearanceView>('check_clearance', req)
export const createIntake = (req: CreateIntakeRequest) => call<ClearanceRecord>('create_intake', req)
export const updateIntake = (req: UpdateIntakeRequest) => call<ClearanceRecord>('update_intake', req)
export const recordScreening = (req: RecordScreeningRequest) => call<ClearanceRecord>('record_screening', req)
export const createPrescription = (req: CreatePrescriptionRequest) => call<ClearanceRecord>('create_prescription', req)
export const recordConsent = (req: RecordConsentRequest) => call<ClearanceRecord>('record_consent', req)
export const getConsentForm = () => call<ConsentFormView>('get_consent_form')
/** Clients cleared today whose clearance ends within 30 days, soonest first. */
/** Clearance on a date for the clients a list or picker shows (at most 100). */
export const clearanceBadges = (req: ClearanceBadgesRequest) => call<ClearanceBadge[]>('clearance_badges', req)
