import { describe, expect, it } from 'vitest'
import { AppError } from '../ipc'
import type { ErrorCode, FieldError } from '../types'
import { fieldErrors, formFailure, formState, submitForm, unplacedErrors } from './forms'

const err = (code: ErrorCode, message: string, fields: FieldError[] = []) => new AppError({ code, message, fields })
const placed = (...names: string[]) => (f: string) => names.includes(f)

describe('fieldErrors', () => {
  it('keeps the first message of each field', () => {
    const e = err('invalid', 'x', [
      { field: 'npi', message: 'first' },
      { field: 'npi', message: 'second' },
      { field: 'name', message: 'name' },
    ])
    expect(fieldErrors(e)).toEqual({ npi: 'first', name: 'name' })
    expect(unplacedErrors(fieldErrors(e), placed('npi'))).toEqual(['name'])
  })
})

describe('formFailure', () => {
  it('shows every field error at its field and no banner when all are placed', () => {
    const shown = formFailure(err('invalid', 'Invalid.', [{ field: 'reason', message: 'Say why.' }]), { placed: placed('reason') })
    expect(shown).toEqual({ errors: { reason: 'Say why.' }, banner: null })
  })

  it("says the form's sentence for invalid fields when it has one", () => {
    const shown = formFailure(err('invalid', 'Invalid.', [{ field: 'npi', message: 'Bad NPI.' }]), {
      placed: placed('npi'),
      invalid: 'Some details need attention before the prescriber can be saved.',
    })
    expect(shown.banner).toEqual({ message: 'Some details need attention before the prescriber can be saved.', details: [] })
  })

  it('lists in the banner the problems no field of the form shows', () => {
    const shown = formFailure(
      err('invalid', 'Invalid.', [
        { field: 'amount', message: 'Too much.' },
        { field: 'invoice_id', message: 'The invoice is void.' },
      ]),
      { placed: placed('amount') },
    )
    expect(shown.errors).toEqual({ amount: 'Too much.', invoice_id: 'The invoice is void.' })
    expect(shown.banner).toEqual({ message: 'Some details need attention.', details: ['The invoice is void.'] })
  })

  it("shows a failure without fields as the failure's own message", () => {
    const shown = formFailure(err('conflict', 'The room is booked then.'), { placed: placed('starts_at') })
    expect(shown).toEqual({ errors: {}, banner: { message: 'The room is booked then.', details: [] } })
  })

  it('keeps a non-invalid message even when its fields are placed', () => {
    const shown = formFailure(err('not_cleared', 'Not cleared.', [{ field: 'date', message: 'No consent.' }]), {
      placed: placed('date'),
      invalid: 'Some details need attention.',
    })
    expect(shown.banner).toEqual({ message: 'Not cleared.', details: [] })
    expect(shown.errors).toEqual({ date: 'No consent.' })
  })
})

describe('submitForm', () => {
  const form = undefined

  it("sends nothing when the form's own checks fail, and shows them", async () => {
    const state = formState()
    let sent = false
    const r = await submitForm(state, {
      form,
      placed: placed('reason'),
      check: () => ({ reason: 'Say why.' }),
      send: async () => {
        sent = true
      },
    })
    expect(r).toBeNull()
    expect(sent).toBe(false)
    expect(state).toEqual({ errors: { reason: 'Say why.' }, banner: null, busy: false })
  })

  it('returns what was sent and clears earlier errors', async () => {
    const state = formState()
    state.errors = { reason: 'old' }
    state.banner = { message: 'old', details: [] }
    const r = await submitForm(state, { form, placed: placed(), send: async () => 42 })
    expect(r).toEqual({ value: 42 })
    expect(state).toEqual({ errors: {}, banner: null, busy: false })
  })

  it("maps the core's field errors, and is busy only while sending", async () => {
    const state = formState()
    let busyWhileSending = false
    const r = await submitForm(state, {
      form,
      placed: placed('npi'),
      send: async () => {
        busyWhileSending = state.busy
        throw { code: 'invalid', message: 'Invalid.', fields: [{ field: 'npi', message: 'Bad NPI.' }] }
      },
    })
    expect(r).toBeNull()
    expect(busyWhileSending).toBe(true)
    expect(state).toEqual({ errors: { npi: 'Bad NPI.' }, banner: null, busy: false })
  })

  it('says nothing when the practice locked: the lock screen is up', async () => {
    const state = formState()
    const r = await submitForm(state, {
      form,
      placed: placed(),
      send: async () => {
        throw { code: 'locked', message: 'The practice is locked.' }
      },
    })
    expect(r).toBeNull()
    expect(state).toEqual({ errors: {}, banner: null, busy: false })
  })

  it('does not send twice at once', async () => {
    const state = formState()
    state.busy = true
    let sent = false
    const r = await submitForm(state, {
      form,
      placed: placed(),
      send: async () => {
        sent = true
      },
    })
    expect(r).toBeNull()
    expect(sent).toBe(false)
  })

  it('lets a form with a case of its own see the failure after it is shown', async () => {
    const state = formState()
    let seen = ''
    await submitForm(state, {
      form,
      placed: placed('typed_name.mismatch'),
      send: async () => {
        throw { code: 'invalid', message: 'Invalid.', fields: [{ field: 'typed_name.mismatch', message: 'Not the name.' }] }
      },
      failed: (e) => {
        seen = `${e.code}:${state.errors['typed_name.mismatch']}`
        return true
      },
    })
    expect(seen).toBe('invalid:Not the name.')
  })
})
