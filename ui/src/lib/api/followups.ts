// Follow-ups: calls, check-ins, referrals, and the integration sessions KAP sessions call for.
import { call } from '../ipc'
import type {
  ClientId,
  CreateFollowUpRequest,
  DropFollowUpRequest,
  FollowUp,
  OverduePage,
  OverdueRequest,
  RecordId,
} from '../types'

export const clientFollowUps = (req: ClientId) => call<FollowUp[]>('client_follow_ups', req)
/** Overdue follow-ups from `offset`, most overdue first (Home shows the first ten). */
export const overdueFollowUps = (req: OverdueRequest) => call<OverduePage>('overdue_follow_ups', req)
export const createFollowUp = (req: CreateFollowUpRequest) => call<FollowUp[]>('create_follow_up', req)
export const completeFollowUp = (req: RecordId) => call<null>('complete_follow_up', req)
export const dropFollowUp = (req: DropFollowUpRequest) => call<null>('drop_follow_up', req)
