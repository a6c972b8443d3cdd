// withFields stands in for `{ ...source, ...fields }` on hot paths: same result, source untouched.
import { withFields } from '../../src/core/with-fields.js'

describe('withFields', () => {
  it('copies the source and lets the fields win, as a spread would', () => {
    const source = { devices: ['a'], fromUuid: 'forged', data: { text: 'x' } }
    const copy = withFields(source, { fromUuid: 'real' })
    expect(copy).toEqual({ devices: ['a'], fromUuid: 'real', data: { text: 'x' } })
    expect(copy).not.toBe(source)
    expect(source.fromUuid).toBe('forged')
    expect(Object.keys(copy)).toEqual(['devices', 'fromUuid', 'data'])
  })

  it('adds fields the source does not have, after its own', () => {
    expect(Object.keys(withFields({ b: 1, a: 2 }, { c: 3 }))).toEqual(['b', 'a', 'c'])
  })
})
