// Autosaved form drafts. A form keeps its fields in a FormDraft: every change is saved to
// the encrypted store after a short pause in typing, the draft is restored when the form
// opens again, and a lock first saves whatever is pending. Nothing goes to the webview's
// own storage, whose files on disk are not encrypted.
import { onDestroy, untrack } from 'svelte'
import * as draftsApi from '../api/drafts'
import { failure } from '../ipc'
import type { DraftKey } from '../types'

/** The pause in typing after which a draft is saved. */
const DRAFT_DELAY_MS = 800

const live = new Set<FormDraft<object>>()

/**
 * Saves every open form's pending draft now: before a lock, so a lock never discards
 * what was typed. Waits at most `timeoutMs`.
 */
export async function flushAllDrafts(timeoutMs = 4000): Promise<void> {
  const all = Promise.allSettled([...live].map((d) => d.flush()))
  await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs))])
}

export type DraftState = 'clean' | 'pending' | 'saving' | 'saved' | 'failed'

export class FormDraft<T extends object> {
  state = $state<DraftState>('clean')
  /** When the draft was last saved (RFC 3339), for "Draft saved at …". */
  savedAt = $state<string | null>(null)
  /** When the restored draft had been saved, if the form opened with one. */
  restoredFrom = $state<string | null>(null)
  /** Why the last save failed, in words for the therapist. */
  problem = $state<string | null>(null)

  readonly key: DraftKey
  readonly #clientId: number | null
  #baseline: string | null = null
  #current: string | null = null
  #stored: string | null = null
  #timer: ReturnType<typeof setTimeout> | null = null
  #saving: Promise<void> | null = null
  #closed = false

  constructor(key: DraftKey, clientId: number | null) {
    this.key = key
    this.#clientId = clientId
    live.add(this as FormDraft<object>)
  }

  get pending(): boolean {
    return this.#current !== null && this.#current !== this.#stored && this.#current !== this.#baseline
  }

  /**
   * Reads the stored draft. `pristine` is the form as it opens without one: typing back to
   * it throws the draft away. Returns the draft's fields, or null.
   */
  async load(pristine: T): Promise<Partial<T> | null> {
    this.#baseline = JSON.stringify(pristine)
    try {
      const d = await draftsApi.getDraft(this.key)
      if (!d) return null
      this.#stored = d.body
      this.#current = d.body
      this.restoredFrom = d.updated_at
      this.savedAt = d.updated_at
      this.state = 'saved'
      return JSON.parse(d.body) as Partial<T>
    } catch {
      return null
    }
  }

  /** The form changed: save it after a pause in typing. */
  changed(fields: T): void {
    if (this.#closed || this.#baseline === null) return
    const json = JSON.stringify(fields)
    if (json === this.#current) return
    this.#current = json
    if (this.#timer) clearTimeout(this.#timer)
    if (!this.pending && this.#stored === null) {
      this.state = 'clean'
      return
    }
    this.state = 'pending'
    this.#timer = setTimeout(() => void this.flush(), DRAFT_DELAY_MS)
  }

  /** Saves what is pending now. */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer)
      this.#timer = null
    }
    while (this.#saving) await this.#saving
    const json = this.#current
    if (json === null || json === this.#stored) return
    this.#saving = this.#write(json)
    try {
      await this.#saving
    } finally {
      this.#saving = null
    }
  }

  async #write(json: string): Promise<void> {
    this.state = 'saving'
    try {
      if (json === this.#baseline) {
        // Typed back to where the form started: nothing is left to keep.
        await draftsApi.discardDraft(this.key)
        this.#stored = json
        this.savedAt = null
        this.state = 'clean'
      } else {
        const saved = await draftsApi.saveDraft({ key: this.key, client_id: this.#clientId, body: json })
        this.#stored = json
        this.savedAt = saved.updated_at
        this.problem = null
        this.state = this.#current === json ? 'saved' : 'pending'
      }
    } catch (e) {
      this.problem = failure(e)?.message ?? 'The practice is locked.'
      this.state = 'failed'
    }
  }

  /** The form was saved, or the therapist threw the draft away: forget it. */
  async discard(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    while (this.#saving) await this.#saving
    this.#current = null
    this.#stored = null
    this.restoredFrom = null
    this.savedAt = null
    this.state = 'clean'
    try {
      await draftsApi.discardDraft(this.key)
    } catch {
      // A draft left behind is offered again next time; nothing is lost.
    }
  }

  /**
   * The form's fields were saved into the record: they are the new starting point, and
   * the draft is no longer needed.
   */
  async committed(fields: T): Promise<void> {
    await this.discard()
    this.#baseline = JSON.stringify(fields)
    this.#current = this.#baseline
  }

  /** The form is closing (navigation, dialog closed): save what is pending, then let go. */
  close(): void {
    if (this.#closed) return
    void this.flush().finally(() => {
      this.#closed = true
      live.delete(this as FormDraft<object>)
    })
  }
}

/**
 * Gives a form an autosaved draft. Call while a component initialises. `fields` reads the
 * form's fields (a $state object); `restore` puts a stored draft's fields back. The draft
 * is read once `ready()` is true (a form whose starting values are loaded first), and
 * saved as the fields change; closing the form saves what is pending.
 */
export function useDraft<T extends object>(
  key: DraftKey,
  clientId: number | null,
  fields: () => T,
  restore: (saved: Partial<T>) => void,
  ready: () => boolean = () => true,
): FormDraft<T> {
  const draft = new FormDraft<T>(key, clientId)
  let loaded = $state(false)
  let asked = false
  $effect(() => {
    if (asked || !ready()) return
    asked = true
    const pristine = $state.snapshot(fields()) as T
    void untrack(() => draft.load(pristine)).then((saved) => {
      if (saved) restore(saved)
      loaded = true
    })
  })
  $effect(() => {
    const snap = $state.snapshot(fields()) as T
    if (loaded) untrack(() => draft.changed(snap))
  })
  onDestroy(() => draft.close())
  return draft
}
