import { describe, expect, it } from 'vitest'
import { changeWords } from './describe'

describe('changeWords', () => {
  const c = (baseline: number, current: number, response = false, remission: boolean | null = null, meaningful: boolean | null = null) => ({
    baseline,
    current,
    delta: current - baseline,
    response,
    remission,
    clinically_meaningful: meaningful,
  })

  it('says the change, then what it amounts to', () => {
    expect(changeWords('phq9', c(20, 4, true, true))).toBe('−16 from 20 · response · remission')
    expect(changeWords('gad7', c(10, 12, false, false))).toBe('+2 from 10')
    expect(changeWords('phq9', c(8, 8, false, false))).toBe('No change from 8')
  })

  it('names a PCL-5 change of 10 or more by its direction', () => {
    expect(changeWords('pcl5', c(50, 40, false, null, true))).toBe('−10 from 50 · meaningful improvement')
    expect(changeWords('pcl5', c(30, 41, false, null, true))).toBe('+11 from 30 · meaningful worsening')
    expect(changeWords('pcl5', c(30, 39, false, null, false))).toBe('+9 from 30')
  })
})
