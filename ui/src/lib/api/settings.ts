import { call } from '../ipc'
import type { PracticeSettings } from '../types'

export const getSettings = () => call<PracticeSettings>('get_settings')
export const updateSettings = (req: PracticeSettings) => call<PracticeSettings>('update_settings', req)
