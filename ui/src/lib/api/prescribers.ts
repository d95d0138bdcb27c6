import { call } from '../ipc'
import type { ListPrescribersRequest, Prescriber, PrescriberInput, RecordId, UpdatePrescriberRequest } from '../types'

export const listPrescribers = (req: ListPrescribersRequest) => call<Prescriber[]>('list_prescribers', req)
export const createPrescriber = (req: PrescriberInput) => call<Prescriber>('create_prescriber', req)
export const updatePrescriber = (req: UpdatePrescriberRequest) => call<Prescriber>('update_prescriber', req)
export const archivePrescriber = (req: RecordId) => call<Prescriber>('archive_prescriber', req)
export const unarchivePrescriber = (req: RecordId) => call<Prescriber>('unarchive_prescriber', req)
