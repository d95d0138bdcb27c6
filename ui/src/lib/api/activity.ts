import { call } from '../ipc'
import type { ActivityPage, ActivityQuery, RecordCheck } from '../types'

export const activityPage = (req: ActivityQuery) => call<ActivityPage>('activity_page', req)
export const verifyRecord = () => call<RecordCheck>('verify_record')
