// The practice's contraindication checklist.
import { call } from '../ipc'
import type { AddContraindicationRequest, ContraindicationItem, SetContraindicationRequest } from '../types'

export const listContraindications = () => call<ContraindicationItem[]>('list_contraindications')
export const setContraindicationEnabled = (req: SetContraindicationRequest) =>
  call<ContraindicationItem[]>('set_contraindication_enabled', req)
export const addContraindication = (req: AddContraindicationRequest) =>
  call<ContraindicationItem[]>('add_contraindication', req)
