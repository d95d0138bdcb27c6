// Session notes: drafts, signing, amendments.
import { call } from '../ipc'
import type { AmendRequest, NoteKey, NoteView, RecordId, SaveNoteRequest, SessionNote } from '../types'

export const getNote = (req: NoteKey) => call<NoteView>('get_note', req)
export const saveNoteDraft = (req: SaveNoteRequest) => call<SessionNote>('save_note_draft', req)
export const signNote = (req: RecordId) => call<SessionNote>('sign_note', req)
export const amendNote = (req: AmendRequest) => call<SessionNote>('amend_note', req)
