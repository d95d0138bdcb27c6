// Where appointment blocks go in a day column: rows by time, lanes side by side where
// appointments overlap.
import { datePart, minutesOf } from '../times'
import type { Appointment } from '../types'

export const FIRST_HOUR = 7
export const LAST_HOUR = 21
/** At most this many blocks side by side; more share the last lane. */
const MAX_LANES = 4

export type Placed = {
  appointment: Appointment
  /** Classes that place the block (see calendar-grid.css). */
  classes: string
  /** The hour (0–23) the block starts in, for keyboard navigation. */
  hour: number
  /** How many blocks share the width here (1 = the whole column). */
  lanes: number
  /** Its length in minutes as drawn. */
  minutes: number
}

/** The hours the grid shows: 7 AM to 9 PM, widened to hold every appointment of the week. */
export function hourRange(list: readonly Appointment[]): { first: number; last: number } {
  let first = FIRST_HOUR
  let last = LAST_HOUR
  for (const a of list) {
    const start = minutesOf(a.starts_local)
    const end = datePart(a.ends_local) === datePart(a.starts_local) ? minutesOf(a.ends_local) : 24 * 60
    first = Math.min(first, Math.floor(start / 60))
    last = Math.max(last, Math.min(24, Math.ceil(end / 60)))
  }
  return { first, last }
}

/** Places one day's appointments. */
export function placeDay(list: readonly Appointment[], firstHour: number): Placed[] {
  const items = list
    .map((a) => {
      const start = minutesOf(a.starts_local)
      const sameDay = datePart(a.ends_local) === datePart(a.starts_local)
      const end = Math.max(start + 15, sameDay ? minutesOf(a.ends_local) : 24 * 60)
      return { a, start, end }
    })
    .sort((x, y) => x.start - y.start || y.end - x.end || x.a.id - y.a.id)

  const out: Placed[] = []
  // Clusters of transitively overlapping appointments share a lane count.
  let cluster: { item: (typeof items)[number]; lane: number }[] = []
  let clusterEnd = -1
  const laneEnds: number[] = []

  const flush = () => {
    const lanes = Math.min(MAX_LANES, Math.max(1, ...cluster.map((c) => c.lane + 1)))
    for (const { item, lane } of cluster) {
      const rel = Math.max(0, item.start - firstHour * 60)
      const top = Math.floor(rel / 5)
      const len = Math.max(3, Math.round((item.end - item.start) / 5))
      const classes = [
        `th-${Math.floor(top / 12)}`,
        `tm-${top % 12}`,
        `dh-${Math.floor(len / 12)}`,
        `dm-${len % 12}`,
        `lane-${Math.min(lane, MAX_LANES - 1)}`,
        `lanes-${lanes}`,
      ].join(' ')
      out.push({ appointment: item.a, classes, hour: Math.floor(item.start / 60), lanes, minutes: item.end - item.start })
    }
    cluster = []
    laneEnds.length = 0
  }

  for (const item of items) {
    if (cluster.length && item.start >= clusterEnd) flush()
    let lane = laneEnds.findIndex((end) => end <= item.start)
    if (lane === -1) {
      lane = laneEnds.length
      laneEnds.push(item.end)
    } else {
      laneEnds[lane] = item.end
    }
    cluster.push({ item, lane })
    clusterEnd = Math.max(cluster.length === 1 ? item.end : clusterEnd, item.end)
  }
  if (cluster.length) flush()
  return out
}
