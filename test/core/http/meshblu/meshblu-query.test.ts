// meshblu-endo §3.3: device searches and token revocations given in a query string, and projections.
import { deviceQueryFromQueryString, projectionOf, tokenQueryFromQueryString } from '../../../../src/core/http/meshblu/meshblu-query.js'
import { documentProjection } from '../../../../src/core/bus/document-query.js'
import { UserError } from '../../../../src/core/errors.js'

const code = (fn: () => unknown): number | undefined => {
  try { fn(); return undefined } catch (error) { return error instanceof UserError ? error.code : -1 }
}

describe('a device search in a query string', () => {
  it('reads "null" and "" as field absent, online as a boolean, repeats as any of', () => {
    expect(deviceQueryFromQueryString({ owner: 'null', name: '', online: 'true', type: ['a', 'b'], color: 'red' }))
      .toEqual({ owner: null, name: null, online: true, type: { $in: ['a', 'b'] }, color: 'red' })
  })

  it('leaves online as text when it is not a boolean', () => {
    expect(deviceQueryFromQueryString({ online: 'maybe' })).toEqual({ online: 'maybe' })
  })

  it('refuses operators and nested values with 422', () => {
    expect(code(() => deviceQueryFromQueryString({ $where: 'x' }))).toBe(422)
    expect(code(() => deviceQueryFromQueryString({ type: { $ne: 'x' } }))).toBe(422)
  })
})

describe('a token revocation query string', () => {
  it('is equality on metadata', () => {
    expect(tokenQueryFromQueryString({ tag: 'old' })).toEqual({ tag: 'old' })
  })

  it('refuses an empty query, repeats and operators with 422', () => {
    expect(code(() => tokenQueryFromQueryString({}))).toBe(422)
    expect(code(() => tokenQueryFromQueryString({ tag: ['a', 'b'] }))).toBe(422)
    expect(code(() => tokenQueryFromQueryString({ tag: { $exists: 'true' } }))).toBe(422)
  })
})

describe('a projection header', () => {
  const devices = [{ uuid: 'a', color: 'red', size: 1 }]
  const projected = (header: string | undefined): unknown[] => {
    const project = documentProjection(projectionOf(header))
    return project === undefined ? devices : devices.map(project)
  }

  it('keeps the fields it names', () => {
    expect(projected('{"color":1}')).toEqual([{ color: 'red' }])
    expect(projected('{"size":0}')).toEqual([{ uuid: 'a', color: 'red' }])
  })

  it('changes nothing when absent or empty', () => {
    expect(projected(undefined)).toBe(devices)
    expect(projected('{}')).toBe(devices)
  })

  it('is refused with 422 when not a JSON object', () => {
    expect(code(() => projected('nope'))).toBe(422)
    expect(code(() => projected('[1]'))).toBe(422)
  })

  it('is refused with 422 naming the operator when it computes', () => {
    expect(code(() => projected('{"color":{"$concat":["$color","$color"]}}'))).toBe(422)
    expect(code(() => projected('{"list":{"$slice":[0,1000000]}}'))).toBe(422)
    expect(code(() => projected('{"color":1,"size":0}'))).toBe(422)
  })
})
