import { describe, expect, it } from 'vitest'
import { interactionName, MAX_MEASURES, QUIET_MS, Tracker, type PerfEnv } from './perf'

// A page with a hand-driven clock: frames run when `frame()` is called, timers when the
// clock passes them.
class FakePage implements PerfEnv {
  t = 0
  frames: (() => void)[] = []
  timers: { at: number; cb: () => void; id: number }[] = []
  nextId = 1
  watching = false
  measures: { name: string; start: number; end: number }[] = []

  now = () => this.t
  frame = (cb: () => void) => void this.frames.push(cb)
  later = (cb: () => void, ms: number) => {
    const id = this.nextId++
    this.timers.push({ at: this.t + ms, cb, id })
    return id
  }
  cancel = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h)
  }
  watch = (on: boolean) => {
    this.watching = on
  }
  measure = (name: string, start: number, end: number) => void this.measures.push({ name, start, end })
  count = () => this.measures.length
  clear = () => {
    this.measures = []
  }

  /** Moves the clock to `to`, running each timer that falls due, in order. */
  advance(to: number) {
    for (;;) {
      const due = this.timers.filter((x) => x.at <= to).sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (!due) break
      this.timers = this.timers.filter((x) => x !== due)
      this.t = Math.max(this.t, due.at)
      due.cb()
    }
    this.t = to
  }

  /** Renders a frame at `at`: its animation-frame callbacks, then the tasks they queued. */
  render(at: number) {
    this.advance(at)
    const fs = this.frames
    this.frames = []
    for (const f of fs) f()
    this.advance(at)
  }
}

function setup() {
  const page = new FakePage()
  return { page, t: new Tracker(page) }
}

describe('interaction timing', () => {
  it('measures from the input to the frame after the last answer', () => {
    const { page, t } = setup()
    page.t = 100
    t.input('nav-clients', 99)
    expect(page.watching).toBe(true)
    page.advance(102)
    t.callStarted()
    page.advance(130)
    t.callEnded()
    page.advance(131)
    t.mutated()
    page.render(140)
    page.advance(131 + QUIET_MS - 1)
    expect(page.measures).toEqual([])
    page.advance(131 + QUIET_MS + 1)
    expect(page.measures).toEqual([{ name: 'kap:nav-clients', start: 99, end: 140 }])
    expect(page.watching).toBe(false)
    expect(t.current).toBeNull()
  })

  it('waits while any call is in flight, however long', () => {
    const { page, t } = setup()
    t.input('save-note')
    t.callStarted()
    t.callStarted()
    page.advance(10)
    t.callEnded()
    page.render(20)
    page.advance(2000)
    expect(page.measures).toEqual([])
    expect(t.current).toBe('save-note')
    t.callEnded()
    t.mutated()
    page.render(2016)
    page.advance(3000)
    expect(page.measures).toEqual([{ name: 'kap:save-note', start: 0, end: 2016 }])
    expect(t.inflight).toBe(0)
  })

  it('counts a debounced search (a timer, then the call) as the keystroke', () => {
    const { page, t } = setup()
    t.input('client-search')
    page.advance(150)
    t.callStarted()
    t.mutated() // aria-busy
    page.render(160)
    page.advance(190)
    t.callEnded()
    t.mutated()
    page.render(200)
    page.advance(1000)
    expect(page.measures).toEqual([{ name: 'kap:client-search', start: 0, end: 200 }])
  })

  it('stamps again when the DOM changes after the frame began', () => {
    const { page, t } = setup()
    t.input('calendar-next-week')
    t.mutated()
    page.advance(16)
    // The frame's callbacks run; a change after them shows only in the next frame.
    const fs = page.frames
    page.frames = []
    for (const f of fs) f()
    t.mutated()
    page.advance(18)
    page.render(33)
    page.advance(1000)
    expect(page.measures).toEqual([{ name: 'kap:calendar-next-week', start: 0, end: 33 }])
  })

  it('records nothing for an input that changed nothing', () => {
    const { page, t } = setup()
    t.input('home-page')
    page.advance(5000)
    expect(page.measures).toEqual([])
    expect(t.current).toBeNull()
    expect(page.watching).toBe(false)
  })

  it('a new input records the one before if its screen had settled', () => {
    const { page, t } = setup()
    t.input('global-search-input')
    t.callStarted()
    page.advance(20)
    t.callEnded()
    t.mutated()
    page.render(30)
    page.advance(100)
    t.input('global-search-input')
    expect(page.measures).toEqual([{ name: 'kap:global-search-input', start: 0, end: 30 }])
    expect(t.current).toBe('global-search-input')
  })

  it('a new input drops the one before while its call is in flight or its frame is not yet shown', () => {
    const { page, t } = setup()
    t.input('global-search-input')
    t.callStarted()
    page.advance(20)
    t.input('global-search-input') // the first answer has not come
    t.callEnded()
    t.mutated()
    page.advance(25)
    t.input('global-search-input') // its frame has not been rendered
    page.render(40)
    page.advance(1000)
    expect(page.measures).toEqual([])
  })

  it('ignores an old stamp of an interaction a new input ended', () => {
    const { page, t } = setup()
    t.input('a')
    t.mutated()
    page.advance(5)
    t.input('b')
    t.callStarted()
    page.render(16) // the frame a's change asked for
    page.advance(40)
    t.callEnded()
    page.render(48)
    page.advance(1000)
    expect(page.measures).toEqual([{ name: 'kap:b', start: 5, end: 48 }])
  })

  it('uses the event time when it is on the same clock, else now', () => {
    const { page, t } = setup()
    page.t = 50
    t.input('x', 1e12) // an epoch time, not the page's clock
    t.mutated()
    page.render(60)
    page.advance(1000)
    expect(page.measures[0]).toEqual({ name: 'kap:x', start: 50, end: 60 })
  })

  it('counts calls outside any interaction without recording', () => {
    const { page, t } = setup()
    t.callStarted()
    expect(t.inflight).toBe(1)
    t.callEnded()
    t.callEnded() // never below zero
    expect(t.inflight).toBe(0)
    page.render(16)
    page.advance(1000)
    expect(page.measures).toEqual([])
  })

  it('keeps at most MAX_MEASURES measures', () => {
    const { page, t } = setup()
    for (let i = 0; i < MAX_MEASURES + 3; i++) {
      const at = page.t + 1
      page.advance(at)
      t.input('n')
      t.mutated()
      page.render(at + 10)
      page.advance(at + 10 + QUIET_MS + 1)
    }
    expect(page.measures.length).toBe(3)
  })
})

describe('interaction names', () => {
  it('are the test id, with the key for a keydown, and never for other keys', () => {
    expect(interactionName('click', 'nav-home')).toBe('nav-home')
    expect(interactionName('input', 'client-search')).toBe('client-search')
    expect(interactionName('keydown', 'global-search-input', 'Enter')).toBe('global-search-input:Enter')
    expect(interactionName('keydown', 'global-search-input', 'ArrowDown')).toBe('global-search-input:ArrowDown')
    expect(interactionName('keydown', 'client-search', 'a')).toBeNull()
    expect(interactionName('click', null)).toBe('unnamed')
  })
})
