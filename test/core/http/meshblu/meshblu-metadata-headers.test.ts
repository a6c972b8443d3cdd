// meshblu-endo §3.2: x-meshblu-* request headers as metadata, and error messages made safe for a header.
import { actorOf, headerSafeJson, requestMetadata } from '../../../../src/core/http/meshblu/meshblu-metadata-headers.js'

describe('x-meshblu-* request headers', () => {
  it('become camelCase metadata, trimmed', () => {
    expect(requestMetadata({ 'x-meshblu-as': ' d-1 ', 'x-meshblu-response-id': 'r', 'x-meshblu-projection': '{"a":1}', accept: 'x' }))
      .toEqual({ as: 'd-1', responseId: 'r', projection: '{"a":1}' })
  })

  it('leave out the credentials headers and empty values', () => {
    expect(requestMetadata({ 'x-meshblu-uuid': 'u', 'x-meshblu-token': 't', 'x-meshblu-as': '  ' })).toEqual({})
  })

  it('make the actor act as the as device', () => {
    expect(actorOf('u', { as: 'x' })).toEqual({ uuid: 'u', as: 'x' })
    expect(actorOf('u', {})).toEqual({ uuid: 'u' })
  })
})

describe('an error message in a header', () => {
  it('is JSON of printable ASCII that parses back to the same text', () => {
    const message = 'naïve ✓ \u0000 "quoted" 😀\nnext'
    const value = headerSafeJson({ message })
    expect(value).toMatch(/^[\x20-\x7e]*$/)
    expect(JSON.parse(value)).toEqual({ message })
  })
})
