// The app's state: where it stands (first run, locked, unlocked) and which page is shown.
import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import { tick } from 'svelte'
import * as practice from './api/practice'
import { flushAllDrafts } from './drafts/draft.svelte'
import { report, setLockedHandler, setSelfReportHandler } from './ipc'
import { resumable, type Route } from './routes'
import type { AppStatus, LockReason } from './types'

export type { Route }

type Unlocked = Extract<AppStatus, { state: 'unlocked' }>

/** How often user input is reported to the shell, at most. */
const ACTIVITY_EVERY_MS = 60_000
/** How often the UI's own idle timer looks at the clock. */
const IDLE_CHECK_MS = 5_000

class AppState {
  status = $state<AppStatus | null>(null)
  /** A failure to learn the app's status at all (shown instead of any screen). */
  startError = $state<string | null>(null)
  /** After the practice is created: show the recovery page before the practice. */
  showRecovery = $state(false)
  /** The data folder, remembered from first run for the recovery page. */
  dataDir = $state('')
  route = $state<Route>({ name: 'home' })
  /** The idle-lock time last known, for the lock screen's sentence. */
  idleMinutes = $state<number | null>(null)

  #lastInput = Date.now()
  #lastReported = Date.now()
  #timer: ReturnType<typeof setInterval> | null = null
  #unlisten: UnlistenFn | null = null
  #locking = false
  /** A page with changes that cannot be kept as a draft says so here (see `guardLeave`). */
  #leaveGuard: (() => string | null) | null = null
  /** A navigation waiting for the therapist to confirm leaving unsaved changes. */
  pendingLeave = $state<{ route: Route; message: string } | null>(null)
  /** The page that was open when the practice locked, to return to on unlock. */
  #resume: Route | null = null

  get unlocked(): Unlocked | null {
    return this.status?.state === 'unlocked' ? this.status : null
  }

  /** The client self-report mode is on: only the questionnaire is shown. */
  get selfReport(): boolean {
    return this.unlocked?.self_report ?? false
  }

  /** The shell turned the self-report mode on or off (the status says which). */
  setSelfReport(on: boolean): void {
    const u = this.unlocked
    if (u && u.self_report !== on) this.status = { ...u, self_report: on }
  }

  /** The therapist's name from the practice settings, to prefill forms. */
  get therapistName(): string {
    return this.unlocked?.therapist_name ?? ''
  }

  get timeZone(): string {
    return this.unlocked?.time_zone ?? 'America/New_York'
  }

  async start(): Promise<void> {
    setLockedHandler(() => this.showLocked())
    setSelfReportHandler(() => this.setSelfReport(true))
    // The shell's `locked` event and the app's status are asked for together: the first
    // screen waits for one round trip, not two.
    const listening = listen('locked', () => this.showLocked('idle')).then(
      (unlisten) => {
        this.#unlisten = unlisten
      },
      () => {
        // Outside the app shell there is no event channel; the UI's own timer still runs.
      },
    )
    const onInput = () => this.#noteInput()
    for (const type of ['keydown', 'pointerdown', 'wheel'] as const) {
      window.addEventListener(type, onInput, { capture: true, passive: true })
    }
    this.#timer = setInterval(() => this.#checkIdle(), IDLE_CHECK_MS)
    await Promise.all([listening, this.refresh()])
  }

  stop(): void {
    this.#unlisten?.()
    if (this.#timer) clearInterval(this.#timer)
    setLockedHandler(null)
    setSelfReportHandler(null)
  }

  async refresh(): Promise<void> {
    try {
      this.setStatus(await practice.appStatus())
      this.startError = null
    } catch (e) {
      report(e, (m) => (this.startError = m))
    }
  }

  setStatus(s: AppStatus): void {
    const wasUnlocked = this.status?.state === 'unlocked'
    if (s.state === 'no_practice') this.dataDir = s.data_dir
    if (s.state === 'unlocked') {
      this.idleMinutes = s.idle_lock_minutes
      if (!wasUnlocked) {
        // Unlocking is itself activity, and returns to the page that was open.
        this.#lastInput = Date.now()
        this.#lastReported = Date.now()
        this.route = this.#resume ?? { name: 'home' }
        this.#resume = null
      }
    }
    if (s.state !== 'unlocked') {
      if (wasUnlocked && s.state === 'locked') this.#resume = resumable(this.route)
      if (s.state === 'no_practice') this.#resume = null
      this.route = { name: 'home' }
    }
    this.status = s
  }

  /** Shows the lock screen without asking the shell (it already locked). */
  showLocked(reason?: LockReason): void {
    if (this.status?.state === 'locked') return
    this.showRecovery = false
    this.setStatus({ state: 'locked', reason: reason ?? 'user', problem: null })
    // Ask for the real reason (e.g. idle) when the shell knows it.
    if (!reason) {
      practice
        .appStatus()
        .then((s) => {
          if (s.state === 'locked') this.status = s
        })
        .catch(() => {})
    }
  }

  /** Locks the practice now (Lock button, Ctrl+L, or the UI's idle timer). */
  async lockNow(reason: LockReason = 'user'): Promise<void> {
    if (this.#locking || this.status?.state !== 'unlocked') return
    this.#locking = true
    try {
      // Whatever was typed is saved as a draft first: a lock never discards it.
      await flushAllDrafts()
      const s = await practice.lock()
      this.showRecovery = false
      this.setStatus(s.state === 'locked' && reason === 'idle' ? { ...s, reason } : s)
    } catch {
      // Whatever happened, never leave the practice on screen after a lock was asked for.
      this.setStatus({ state: 'locked', reason, problem: null })
    } finally {
      this.#locking = false
    }
  }

  /**
   * A page whose changes cannot be kept as a draft registers what leaving would lose:
   * `unsaved` returns a sentence while there are such changes, else null. Returns the
   * function that removes the guard.
   */
  guardLeave(unsaved: () => string | null): () => void {
    this.#leaveGuard = unsaved
    return () => {
      if (this.#leaveGuard === unsaved) this.#leaveGuard = null
    }
  }

  /** Goes to `route`, first asking when the page has unsaved changes it cannot draft. */
  navigate(route: Route): void {
    const message = this.#leaveGuard?.() ?? null
    if (message) {
      this.pendingLeave = { route, message }
      return
    }
    this.#go(route)
  }

  /** Leaves the page anyway (the therapist confirmed), or stays. */
  resolveLeave(leave: boolean): void {
    const p = this.pendingLeave
    this.pendingLeave = null
    if (leave && p) {
      this.#leaveGuard = null
      this.#go(p.route)
    }
  }

  #go(route: Route): void {
    this.route = route
    // Every page opens at its top, then focus moves into it unless the page already placed
    // it (e.g. a search box).
    void tick().then(() => {
      const main = document.getElementById('main')
      window.scrollTo(0, 0)
      if (main) main.scrollTop = 0
      if (!main) return
      const active = document.activeElement
      if (active && active !== main && main.contains(active)) return
      const target = main.querySelector<HTMLElement>('[data-autofocus]') ?? main.querySelector<HTMLElement>('h1')
      if (!target) return
      if (target.tagName === 'H1' && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
      target.focus()
    })
  }

  #noteInput(): void {
    if (this.status?.state !== 'unlocked') return
    const now = Date.now()
    this.#lastInput = now
    if (now - this.#lastReported >= ACTIVITY_EVERY_MS) {
      this.#lastReported = now
      practice.activity().catch(() => {})
    }
  }

  #checkIdle(): void {
    const u = this.unlocked
    if (!u || u.idle_lock_minutes <= 0) return
    if (Date.now() - this.#lastInput >= u.idle_lock_minutes * 60_000) {
      void this.lockNow('idle')
    }
  }
}

export const app = new AppState()
