import { describe, expect, it } from 'vitest'
import type { CsvRowPlan } from '../types'
import { count, duplicateWords, rowState, TARGET_LABEL, TARGETS } from './labels'

const plan = (over: Partial<CsvRowPlan>): CsvRowPlan =>
  ({
    row: 2,
    client: {} as CsvRowPlan['client'],
    errors: [],
    duplicates: [],
    ...over,
  }) as CsvRowPlan

describe('import labels', () => {
  it('names every target once', () => {
    expect(new Set(TARGETS).size).toBe(TARGETS.length)
    expect(Object.keys(TARGET_LABEL).sort()).toEqual([...TARGETS].sort())
  })

  it('tells a row by its errors first, then its duplicates', () => {
    expect(rowState(plan({}))).toBe('ready')
    expect(rowState(plan({ duplicates: [{ kind: 'row', row: 3 }] }))).toBe('duplicate')
    expect(
      rowState(plan({ errors: [{ field: 'legal_name', message: 'x' }], duplicates: [{ kind: 'row', row: 3 }] })),
    ).toBe('invalid')
  })

  it('says what a row duplicates', () => {
    expect(duplicateWords(plan({}))).toBe('')
    expect(duplicateWords(plan({ duplicates: [{ kind: 'client', id: 12 }] }))).toBe(
      'Same name and date of birth as an existing client (#12).',
    )
    expect(
      duplicateWords(
        plan({
          duplicates: [
            { kind: 'client', id: 12 },
            { kind: 'client', id: 40 },
            { kind: 'row', row: 4 },
          ],
        }),
      ),
    ).toBe('Same name and date of birth as an existing client (#12), an existing client (#40) and row 4.')
  })

  it('counts with the right noun', () => {
    expect(count(1, 'client')).toBe('1 client')
    expect(count(0, 'client')).toBe('0 clients')
    expect(count(48000, 'row')).toBe('48,000 rows')
    expect(count(2, 'possible duplicate')).toBe('2 possible duplicates')
  })
})
