// Form drafts: what the therapist typed and has not saved, kept in the encrypted store.
import { call } from '../ipc'
import type { Draft, DraftKey, DraftList, DraftSaved, DraftSummary, SaveDraftRequest } from '../types'

export const saveDraft = (req: SaveDraftRequest) => call<DraftSaved>('save_draft', req)
export const getDraft = (req: DraftKey) => call<Draft | null>('get_draft', req)
export const discardDraft = (req: DraftKey) => call<boolean>('discard_draft', req)
export const listDrafts = (req: DraftList) => call<DraftSummary[]>('list_drafts', req)
