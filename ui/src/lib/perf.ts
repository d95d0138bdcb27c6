// Interaction timings the UI records about itself, from the input to the updated screen,
// as User Timing measures (`performance.getEntriesByType('measure')`, named `kap:<name>`):
// what `scripts/bench-ui` reads through WebDriver, so WebDriver's own overhead is not
// counted. Generic: no page has timing code of its own.
//
// - An interaction begins with a click, an input, or a keydown of Enter or an arrow key
//   anywhere in the document (listened to in the capture phase, before the page's own
//   handlers run). It is named after the target's closest `data-testid` (a keydown adds
//   the key: `global-search-input:Enter`): names only, never text content, so no PHI.
// - While it lasts, every IPC call (`ipc.ts` counts calls in flight), every call's answer
//   and every change to the DOM (a MutationObserver, connected only while an interaction
//   is open) is its activity; after each, the end is stamped when the next frame has been
//   rendered (an animation frame, then a task: after that frame's style, layout and paint).
// - It ends when no call is in flight and nothing has happened for `QUIET_MS`: the measure
//   runs from the input to the frame that showed its last change. The quiet period is what
//   lets a debounced search (a timer, then the call) count as the keystroke's.
// - A new input ends the one before it: recorded if that one's screen had settled (no
//   call in flight, its last change painted), dropped if it was still under way. An input
//   that changed nothing (no call, no DOM change) is never recorded.
// - At most `MAX_MEASURES` measures are kept: the next one clears them all first.

/** How long nothing may happen before an interaction is over. */
export const QUIET_MS = 300
/** How many measures the page keeps at most. */
export const MAX_MEASURES = 500
/** The prefix of every measure's name. */
export const PREFIX = 'kap:'

/** What the tracker needs from the page: injected so its bookkeeping is unit-tested. */
export interface PerfEnv {
  now(): number
  /** Runs `cb` at the next animation frame. */
  frame(cb: () => void): void
  /** Runs `cb` as a task after `ms`. */
  later(cb: () => void, ms: number): unknown
  cancel(handle: unknown): void
  /** Starts (true) or stops (false) reporting DOM changes to `mutated`. */
  watch(on: boolean): void
  measure(name: string, start: number, end: number): void
  /** How many measures the page holds. */
  count(): number
  /** Forgets every measure. */
  clear(): void
}

interface Interaction {
  name: string
  start: number
  /** A call, an answer or a DOM change happened since the input. */
  active: boolean
  /** When the last of those happened. */
  last: number
  /** When the frame showing the last change had been rendered; null before any. */
  end: number | null
  /** A frame stamp is scheduled (an animation frame, then a task). */
  stamping: boolean
  /** Something changed that the scheduled stamp's frame may not show: stamp again. */
  again: boolean
}

export class Tracker {
  #env: PerfEnv
  #inflight = 0
  #current: Interaction | null = null
  #quiet: unknown = null

  constructor(env: PerfEnv) {
    this.#env = env
  }

  /** Calls in flight (for tests and the curious). */
  get inflight(): number {
    return this.#inflight
  }

  /** The open interaction's name, if any. */
  get current(): string | null {
    return this.#current?.name ?? null
  }

  /** An input: begins an interaction, ending the one before it. */
  input(name: string, at?: number): void {
    const now = this.#env.now()
    // An event's timestamp is when the input happened; one from another clock is ignored.
    const start = at !== undefined && at > 0 && at <= now ? at : now
    if (this.#current) this.#finish()
    this.#current = { name, start, active: false, last: start, end: null, stamping: false, again: false }
    this.#env.watch(true)
    this.#arm(QUIET_MS)
  }

  callStarted(): void {
    this.#inflight++
    this.#activity(false)
  }

  callEnded(): void {
    this.#inflight = Math.max(0, this.#inflight - 1)
    this.#activity(true)
  }

  /** The DOM changed (the MutationObserver's callback). */
  mutated(): void {
    this.#activity(true)
  }

  #activity(shown: boolean): void {
    const cur = this.#current
    if (!cur) return
    cur.active = true
    cur.last = this.#env.now()
    if (shown) this.#stamp(cur)
    this.#arm(QUIET_MS)
  }

  /** Stamps the interaction's end once the next frame has been rendered. */
  #stamp(cur: Interaction): void {
    if (cur.stamping) {
      cur.again = true
      return
    }
    cur.stamping = true
    cur.again = false
    this.#env.frame(() => {
      // What changed before this frame is in it; what changes from here on is not.
      cur.again = false
      this.#env.later(() => {
        cur.stamping = false
        cur.end = this.#env.now()
        if (cur.again && this.#current === cur) this.#stamp(cur)
      }, 0)
    })
  }

  #arm(ms: number): void {
    if (this.#quiet !== null) this.#env.cancel(this.#quiet)
    this.#quiet = this.#env.later(() => {
      this.#quiet = null
      this.#check()
    }, ms)
  }

  #check(): void {
    const cur = this.#current
    if (!cur) return
    // A call's answer re-arms the timer.
    if (this.#inflight > 0) return
    const quietFor = this.#env.now() - cur.last
    if (cur.stamping || quietFor < QUIET_MS) {
      this.#arm(Math.max(1, QUIET_MS - quietFor))
      return
    }
    this.#finish()
  }

  /** Ends the open interaction: recorded if its screen had settled, else dropped. */
  #finish(): void {
    const cur = this.#current
    if (!cur) return
    this.#current = null
    if (this.#quiet !== null) this.#env.cancel(this.#quiet)
    this.#quiet = null
    this.#env.watch(false)
    const settled = this.#inflight === 0 && !cur.stamping
    if (!cur.active || !settled || cur.end === null) return
    if (this.#env.count() >= MAX_MEASURES) this.#env.clear()
    this.#env.measure(PREFIX + cur.name, cur.start, Math.max(cur.end, cur.start))
  }
}

/** Which keys begin an interaction on keydown. */
const KEYS: ReadonlySet<string> = new Set(['Enter', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'])

/**
 * The interaction's name for an event: the target's closest `data-testid`, with the key
 * for a keydown; null for a key that begins none.
 */
export function interactionName(type: string, testid: string | null, key?: string): string | null {
  if (type === 'keydown' && (key === undefined || !KEYS.has(key))) return null
  const name = testid && testid.trim() !== '' ? testid : 'unnamed'
  return type === 'keydown' ? `${name}:${key}` : name
}

let tracker: Tracker | null = null

/** The page's tracker once installed (ipc.ts reports its calls to it). */
export function callStarted(): void {
  tracker?.callStarted()
}

export function callEnded(): void {
  tracker?.callEnded()
}

/** Installs the timing of every interaction, once (main.ts). */
export function installInteractionTiming(doc: Document = document): Tracker {
  if (tracker) return tracker
  const perf = performance
  const observer = new MutationObserver(() => t.mutated())
  let watching = false
  const env: PerfEnv = {
    now: () => perf.now(),
    frame: (cb) => void requestAnimationFrame(() => cb()),
    later: (cb, ms) => setTimeout(cb, ms),
    cancel: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    watch: (on) => {
      if (on === watching) return
      watching = on
      if (on) observer.observe(doc, { subtree: true, childList: true, attributes: true, characterData: true })
      else observer.disconnect()
    },
    measure: (name, start, end) => void perf.measure(name, { start, end }),
    count: () => perf.getEntriesByType('measure').length,
    clear: () => perf.clearMeasures(),
  }
  const t = new Tracker(env)
  tracker = t
  const onEvent = (e: Event) => {
    const target = e.target instanceof Element ? e.target : null
    const testid = target?.closest('[data-testid]')?.getAttribute('data-testid') ?? null
    const name = interactionName(e.type, testid, e instanceof KeyboardEvent ? e.key : undefined)
    if (name) t.input(name, e.timeStamp)
  }
  for (const type of ['click', 'input', 'keydown'] as const) {
    doc.addEventListener(type, onEvent, { capture: true, passive: true })
  }
  return t
}
