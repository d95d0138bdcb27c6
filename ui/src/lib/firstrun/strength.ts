// A live hint for a new passphrase. The core's rule is at least 12 characters; the rest
// is advice. Nothing here is sent anywhere.

export const MIN_PASSPHRASE_CHARS = 12

export type Strength = { level: 0 | 1 | 2 | 3 | 4; label: string; advice: string }

export function passphraseStrength(p: string): Strength {
  const length = [...p].length
  if (length === 0) {
    return { level: 0, label: '', advice: `Use at least ${MIN_PASSPHRASE_CHARS} characters. A few unrelated words work well.` }
  }
  if (length < MIN_PASSPHRASE_CHARS) {
    const left = MIN_PASSPHRASE_CHARS - length
    return {
      level: 1,
      label: 'Too short',
      advice: `${left} more character${left === 1 ? '' : 's'} needed (at least ${MIN_PASSPHRASE_CHARS}).`,
    }
  }
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9\s]/, /\s/].filter((r) => r.test(p)).length
  const distinct = new Set(p.toLowerCase()).size
  let score = 0
  if (length >= 16) score++
  if (length >= 22) score++
  if (kinds >= 3) score++
  if (distinct < 6) score = 0
  if (score === 0) {
    return { level: 2, label: 'Fair', advice: 'Long enough. Longer, or a mix of words, numbers and symbols, is stronger.' }
  }
  if (score === 1) {
    return { level: 3, label: 'Good', advice: 'A good passphrase.' }
  }
  return { level: 4, label: 'Strong', advice: 'A strong passphrase.' }
}
