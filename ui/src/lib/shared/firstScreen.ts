// The moment the app's first complete screen is on the glass: the first-run screen, the
// lock screen, or Home with its figures. `scripts/bench-start` reads this mark (through
// WebDriver) to time a launch; the app itself never reads it.

/** The name of the mark in the page's performance timeline. */
export const FIRST_SCREEN_MARK = 'kap:first-screen'

let marked = false

/**
 * Marks the first complete screen, once per page load: after the frame that shows it has
 * been painted (the second animation frame runs after the first one's paint).
 */
export function firstScreenShown(): void {
  if (marked) return
  marked = true
  requestAnimationFrame(() =>
    requestAnimationFrame(() => performance.mark(FIRST_SCREEN_MARK)),
  )
}
