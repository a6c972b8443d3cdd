// meshblu-endo §3.1: the credentials parser, header by header.
import { parseMeshbluCredentials } from '../../../../src/core/http/meshblu/meshblu-auth.js'

const b64 = (text: string): string => Buffer.from(text).toString('base64')

describe('an Authorization header', () => {
  it('yields uuid and token from any scheme', () => {
    for (const scheme of ['Basic', 'Bearer', 'Meshblu']) {
      expect(parseMeshbluCredentials({ authorization: `${scheme} ${b64('u-1:t-1')}` })).toEqual({ uuid: 'u-1', token: 't-1' })
    }
  })

  it('keeps colons after the first one in the token', () => {
    expect(parseMeshbluCredentials({ authorization: `Basic ${b64('u:a:b')}` })).toEqual({ uuid: 'u', token: 'a:b' })
  })

  it('yields nothing without a colon, a token or a second part', () => {
    expect(parseMeshbluCredentials({ authorization: `Basic ${b64('just-uuid')}` })).toBeUndefined()
    expect(parseMeshbluCredentials({ authorization: `Basic ${b64('u:')}` })).toBeUndefined()
    expect(parseMeshbluCredentials({ authorization: 'Basic' })).toBeUndefined()
    expect(parseMeshbluCredentials({ authorization: 'Basic %%%' })).toBeUndefined()
  })

  it('wins over the other headers', () => {
    const headers = { authorization: `Basic ${b64('a:1')}`, meshblu_auth_uuid: 'b', meshblu_auth_token: '2', 'x-meshblu-uuid': 'c', 'x-meshblu-token': '3' }
    expect(parseMeshbluCredentials(headers)).toEqual({ uuid: 'a', token: '1' })
  })
})

describe('header pairs', () => {
  it('are read in the order meshblu_auth_*, skynet_auth_*, x-meshblu-*', () => {
    expect(parseMeshbluCredentials({ meshblu_auth_uuid: 'a', meshblu_auth_token: '1', skynet_auth_uuid: 'b', skynet_auth_token: '2' })).toEqual({ uuid: 'a', token: '1' })
    expect(parseMeshbluCredentials({ skynet_auth_uuid: 'b', skynet_auth_token: '2', 'x-meshblu-uuid': 'c', 'x-meshblu-token': '3' })).toEqual({ uuid: 'b', token: '2' })
    expect(parseMeshbluCredentials({ 'x-meshblu-uuid': 'c', 'x-meshblu-token': '3' })).toEqual({ uuid: 'c', token: '3' })
  })

  it('are trimmed', () => {
    expect(parseMeshbluCredentials({ 'x-meshblu-uuid': '  c ', 'x-meshblu-token': '\t3 ' })).toEqual({ uuid: 'c', token: '3' })
  })

  it('count only when complete', () => {
    expect(parseMeshbluCredentials({ meshblu_auth_uuid: 'a', 'x-meshblu-uuid': 'c', 'x-meshblu-token': '3' })).toEqual({ uuid: 'c', token: '3' })
    expect(parseMeshbluCredentials({ 'x-meshblu-uuid': 'c', 'x-meshblu-token': '  ' })).toBeUndefined()
    expect(parseMeshbluCredentials({})).toBeUndefined()
  })
})
