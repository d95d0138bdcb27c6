// Interaction timings the UI records about itself, from the input to the updated screen,
// as User Timing measures (`performance.getEntriesByType('measure')`): what
// `scripts/bench-ui` reads through WebDriver, so WebDriver's own overhead is not counted.
// Names only, never content.

const started = new Map<string, number>()

/** An interaction begins (a click, a keystroke). */
export function markStart(name: string): void {
  started.set(name, performance.now())
}

/**
 * The interaction's screen is up to date: called after the DOM update, it measures up to
 * the next frame, when the browser has painted it.
 */
export function markDone(name: string): void {
  const start = started.get(name)
  if (start === undefined) return
  started.delete(name)
  requestAnimationFrame(() => {
    performance.measure(`kap:${name}`, { start, end: performance.now() })
  })
}
