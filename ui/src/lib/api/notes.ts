// Session notes: drafts, signing, amendments.
import { call } from '../ipc'
import type {
  AmendRequest,
  NoteKey,
  NoteView,
  ProcessNote,
  RecordId,
  SaveNoteRequest,
  SaveProcessNote,
  SessionNote,
} from '../types'

export const getNote = (req: NoteKey) => call<NoteView>('get_note', req)
export const saveNoteDraft = (req: SaveNoteRequest) => call<SessionNote>('save_note_draft', req)
export const signNote = (req: RecordId) => call<SessionNote>('sign_note', req)
export const amendNote = (req: AmendRequest) => call<SessionNote>('amend_note', req)
/** A session's private process notes for one client; null until written. */
export const getProcessNote = (req: NoteKey) => call<ProcessNote | null>('get_process_note', req)
export const saveProcessNote = (req: SaveProcessNote) => call<ProcessNote>('save_process_note', req)
