// Words for the measures' numbers: a change from the baseline.
import type { Change, Instrument } from '../types'

/** A change from the baseline in words: "−8 from 20 · response · remission". */
export function changeWords(instrument: Instrument, c: Change): string {
  const delta = c.delta === 0 ? 'No change' : `${c.delta > 0 ? '+' : '−'}${Math.abs(c.delta)}`
  const parts = [`${delta} from ${c.baseline}`]
  if (c.response) parts.push('response')
  if (c.remission) parts.push('remission')
  if (instrument === 'pcl5' && c.clinically_meaningful) {
    parts.push(c.delta < 0 ? 'meaningful improvement' : 'meaningful worsening')
  }
  return parts.join(' · ')
}
