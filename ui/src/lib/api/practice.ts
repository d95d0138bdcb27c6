import { call } from '../ipc'
import type {
  AppStatus,
  ChangePassphraseRequest,
  CreatePracticeRequest,
  KeychainPreference,
  Strength,
  StrengthRequest,
  UnlockRequest,
} from '../types'

export const appStatus = () => call<AppStatus>('app_status')
export const createPractice = (req: CreatePracticeRequest) => call<AppStatus>('create_practice', req)
export const unlock = (req: UnlockRequest) => call<AppStatus>('unlock', req)
export const lock = () => call<AppStatus>('lock')
export const activity = () => call<null>('activity')
export const changePassphrase = (req: ChangePassphraseRequest) => call<null>('change_passphrase', req)
export const passphraseStrength = (req: StrengthRequest) => call<Strength>('passphrase_strength', req)
export const setKeychainPreference = (req: KeychainPreference) => call<AppStatus>('set_keychain_preference', req)
