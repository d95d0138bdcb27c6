import { call } from '../ipc'
import type { AboutApp, PracticeSettings } from '../types'

export const getSettings = () => call<PracticeSettings>('get_settings')
export const updateSettings = (req: PracticeSettings) => call<PracticeSettings>('update_settings', req)
export const aboutApp = () => call<AboutApp>('about_app')
