import { describe, expect, it } from 'vitest'
import { centsToInput, DOLLAR_ERROR, DOLLAR_HINT, formatCents, parseDollars } from './money'

// Money is integer cents; typed dollars are read by string arithmetic, never by
// floating-point multiplication.

describe('parseDollars', () => {
  it.each<[string, number]>([
    ['600', 60_000],
    ['600.5', 60_050],
    ['600.50', 60_050],
    ['600.05', 60_005],
    ['600.00', 60_000],
    ['$600', 60_000],
    ['$600.00', 60_000],
    ['$1,250.00', 125_000],
    ['1,250', 125_000],
    ['1,250.5', 125_050],
    ['1,000,000', 100_000_000],
    ['$12,345,678.90', 1_234_567_890],
    ['0', 0],
    ['0.0', 0],
    ['0.00', 0],
    ['0.01', 1],
    ['0.1', 10],
    ['0.10', 10],
    ['0.99', 99],
    ['1', 100],
    ['007', 700],
    ['00000000', 0],
    ['  600  ', 60_000],
    ['\t$600.00\n', 60_000],
    ['\u00a0600\u2003', 60_000],
    // Values whose float arithmetic would go wrong (0.29 * 100 = 28.999…).
    ['0.29', 29],
    ['1.15', 115],
    ['4.35', 435],
    ['8.20', 820],
    ['19.99', 1_999],
    ['1234567.89', 123_456_789],
    // The most the pattern takes: eight digits of dollars.
    ['99999999', 9_999_999_900],
    ['99999999.99', 9_999_999_999],
    ['$99,999,999.99', 9_999_999_999],
  ])('%j → %i cents', (input, cents) => {
    expect(parseDollars(input)).toBe(cents)
  })

  it.each(['', ' ', '   ', '\t\n', '\u00a0'])('%j is empty (null)', (input) => {
    expect(parseDollars(input)).toBeNull()
  })

  it.each([
    // Too many decimals, or a point without digits.
    '1.234',
    '600.001',
    '0.005',
    '.5',
    '.50',
    '5.',
    '5..0',
    '1.2.3',
    // Negative or signed.
    '-5',
    '-0.01',
    '$-5',
    '-$5',
    '+5',
    '(5.00)',
    '−5',
    // Too large: more than eight digits of dollars.
    '100000000',
    '100,000,000',
    '999999999.99',
    '123456789012345678901234567890',
    '1'.repeat(10_000),
    // Letters, exponents, hex, words.
    'abc',
    'five',
    '5 dollars',
    '5$',
    'USD 5',
    '5 USD',
    '1e3',
    '1E3',
    '0x10',
    'Infinity',
    'NaN',
    '5a',
    'a5',
    // A currency symbol alone or twice, or apart from the number.
    '$$5',
    '$ 600',
    '€600',
    '£600',
    // Unicode digits are not read as numbers.
    '٦٠٠',
    '६००',
    '６００',
    '６００.００',
    // Decimal commas and misplaced grouping.
    '600,00',
    '1,25',
    '1,2345',
    '12,34,567',
    '1.250,00',
    '1,250,00',
    '1,,250',
    '1 250',
    "1'250",
    '1_250',
    '600 .00',
    // Inner whitespace and control characters.
    '6 00',
    '600\u0000',
    '600\n1',
  ])('%j is not an amount (undefined)', (input) => {
    expect(parseDollars(input)).toBeUndefined()
  })

  it('reads back what centsToInput writes, for every cent up to $1,000 and at the top', () => {
    for (let c = 0; c <= 100_000; c++) {
      expect(parseDollars(centsToInput(c))).toBe(c)
    }
    for (const c of [9_999_999_899, 9_999_999_900, 9_999_999_998, 9_999_999_999]) {
      expect(parseDollars(centsToInput(c))).toBe(c)
    }
  })
})

describe('centsToInput', () => {
  it.each<[number | null, string]>([
    [null, ''],
    [0, '0.00'],
    [-0, '0.00'],
    [1, '0.01'],
    [9, '0.09'],
    [10, '0.10'],
    [99, '0.99'],
    [100, '1.00'],
    [101, '1.01'],
    [60_000, '600.00'],
    [60_050, '600.50'],
    [60_005, '600.05'],
    [125_000, '1250.00'],
    [9_999_999_999, '99999999.99'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
    // Negative amounts (adjustments) keep their sign outside the digits.
    [-1, '-0.01'],
    [-99, '-0.99'],
    [-100, '-1.00'],
    [-60_050, '-600.50'],
  ])('%j → %j', (cents, text) => {
    expect(centsToInput(cents)).toBe(text)
  })
})

describe('formatCents', () => {
  it.each<[number, string]>([
    [0, '$0.00'],
    [1, '$0.01'],
    [5, '$0.05'],
    [10, '$0.10'],
    [99, '$0.99'],
    [100, '$1.00'],
    [29, '$0.29'],
    [115, '$1.15'],
    [60_000, '$600.00'],
    [60_050, '$600.50'],
    [125_000, '$1,250.00'],
    [100_000_000, '$1,000,000.00'],
    [9_999_999_999, '$99,999,999.99'],
    [-1, '-$0.01'],
    [-60_050, '-$600.50'],
    [-125_000, '-$1,250.00'],
  ])('%i → %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text)
  })

  it('shows exactly the cents held, for every cent up to $1,000 and near the top', () => {
    const grouped = (c: number) => {
      const [whole, frac] = centsToInput(c).replace('-', '').split('.')
      return `${c < 0 ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${frac}`
    }
    for (let c = -1_000; c <= 100_000; c++) {
      expect(formatCents(c)).toBe(grouped(c))
    }
    for (let c = 9_999_990_000; c <= 9_999_999_999; c += 7) {
      expect(formatCents(c)).toBe(grouped(c))
    }
  })
})

describe('hints', () => {
  it('are the texts the dollar inputs show', () => {
    expect(DOLLAR_HINT).toBe('Dollars and cents, for example 600.00.')
    expect(DOLLAR_ERROR).toBe('Enter an amount in dollars, for example 600 or 600.00.')
  })
})
