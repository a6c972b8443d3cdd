// meshblu-endo §3.1–§3.2 on the wire (raw fetch): where credentials may be, what refusals look like,
// the x-meshblu-* headers, and bodies that are malformed or too large.
import { startTestService, type TestService } from '../support/test-service.js'
import { basic, raw, registerDevice, v2Device, type Credentials } from './meshblu-http.fixture.js'

const LIMIT = 4096
let service: TestService
let device: Credentials
beforeAll(async () => {
  service = await startTestService({ limits: { maxPayloadBytes: LIMIT } })
  device = await registerDevice(service, v2Device())
})
afterAll(async () => { await service.stop() })

describe('credentials in each place §3.1 allows', () => {
  const variants: Array<[string, (c: Credentials) => Record<string, string>]> = [
    ['Authorization: Basic', c => ({ authorization: basic(c) })],
    ['Authorization: Bearer', c => ({ authorization: basic(c, 'Bearer') })],
    ['meshblu_auth_uuid and meshblu_auth_token', c => ({ meshblu_auth_uuid: c.uuid, meshblu_auth_token: c.token })],
    ['skynet_auth_uuid and skynet_auth_token', c => ({ skynet_auth_uuid: c.uuid, skynet_auth_token: c.token })],
    ['X-Meshblu-UUID and X-Meshblu-Token', c => ({ 'X-Meshblu-UUID': c.uuid, 'X-Meshblu-Token': c.token })],
    ['padded with spaces', c => ({ 'X-Meshblu-UUID': `  ${c.uuid} `, 'X-Meshblu-Token': ` ${c.token}  ` })],
    ['a base64 pair with spaces around uuid and token', c => ({ authorization: `Basic ${Buffer.from(` ${c.uuid} : ${c.token} `).toString('base64')}` })],
    ['a malformed Authorization header before X-Meshblu-*', c => ({ authorization: 'Basic !!!', 'X-Meshblu-UUID': c.uuid, 'X-Meshblu-Token': c.token })],
  ]
  it.each(variants)('authenticate with %s answers 204', async (_name, headersOf) => {
    const response = await raw(service, 'POST', '/authenticate', { headers: headersOf(device) })
    expect(response.status).toBe(204)
    expect(response.text).toBe('')
  })
})

describe('a request whose credentials fail', () => {
  const unknown = { uuid: '00000000-0000-4000-8000-000000000000', token: 'x' }
  const shapes = async (path: string, method = 'GET'): Promise<unknown[]> => await Promise.all([
    raw(service, method, path, { credentials: { uuid: device.uuid, token: 'wrong' } }),
    raw(service, method, path, { credentials: unknown }),
    raw(service, method, path),
  ].map(async r => { const x = await r; return { status: x.status, text: x.text, error: x.headers.get('x-meshblu-error') } }))

  it('is answered 403 with an empty body, whether the uuid exists or not', async () => {
    const [wrongToken, unknownDevice, none] = await shapes('/v2/whoami')
    expect(wrongToken).toEqual({ status: 403, text: '', error: '{"message":"Forbidden"}' })
    expect(unknownDevice).toEqual(wrongToken)
    expect(none).toEqual(wrongToken)
  })

  it('on a device GET is answered 404 Devices not found, on v1, v2 and v3 alike', async () => {
    for (const path of [`/v2/devices/${device.uuid}`, `/devices/${device.uuid}`, `/v3/devices/${device.uuid}`]) {
      const [wrongToken, unknownDevice] = await shapes(path)
      expect(wrongToken).toEqual({ status: 404, text: JSON.stringify({ code: 404, message: 'Devices not found' }), error: '{"message":"Devices not found"}' })
      expect(unknownDevice).toEqual(wrongToken)
    }
  })

  it('never reads the body: a malformed one still gets the plain 403', async () => {
    const response = await raw(service, 'POST', '/messages', { credentials: unknown, body: '{"devices":' })
    expect(response.status).toBe(403)
    expect(response.text).toBe('')
  })
})

describe('response metadata headers', () => {
  it('carry the code and status and echo the response id', async () => {
    const response = await raw(service, 'POST', '/authenticate', { credentials: device, headers: { 'x-meshblu-response-id': 'r-42' } })
    expect(response.headers.get('x-meshblu-code')).toBe('204')
    expect(response.headers.get('x-meshblu-status')).toBe('No Content')
    expect(response.headers.get('x-meshblu-response-id')).toBe('r-42')
    expect(response.headers.get('x-meshblu-error')).toBeNull()
  })

  it('carry the error message as JSON next to the {error} body', async () => {
    const response = await raw(service, 'POST', '/messages', { credentials: device, body: { payload: 1 } })
    expect(response.status).toBe(422)
    expect(response.json).toEqual({ error: 'Missing devices' })
    expect(JSON.parse(response.headers.get('x-meshblu-error') as string)).toEqual({ message: 'Missing devices' })
    expect(response.headers.get('x-meshblu-code')).toBe('422')
  })

  it('keep a non-ASCII message intact in the header', async () => {
    const response = await raw(service, 'PUT', `/v2/devices/${device.uuid}`, { credentials: device, body: { $set: { 'naïve.$bad': '✓' } } })
    expect(response.status).toBe(422)
    expect(JSON.parse(response.headers.get('x-meshblu-error') as string).message).toBe(response.json.error)
    expect(response.json.error).toContain('naïve.$bad')
  })
})

describe('a body that is not acceptable JSON', () => {
  it('answers malformed JSON with 400 and a clear message', async () => {
    const response = await raw(service, 'POST', '/messages', { credentials: device, body: '{"devices": [' })
    expect(response.status).toBe(400)
    expect(response.json.error).toMatch(/^Malformed JSON body: /)
    expect(JSON.parse(response.headers.get('x-meshblu-error') as string).message).toBe(response.json.error)
  })

  it('answers a JSON primitive with 400', async () => {
    const response = await raw(service, 'POST', '/search/devices', { credentials: device, body: '"text"' })
    expect(response.status).toBe(400)
  })

  it('answers a body over the limit with 413 naming the limit', async () => {
    const response = await raw(service, 'POST', '/messages', { credentials: device, body: { devices: [device.uuid], payload: 'x'.repeat(LIMIT) } })
    expect(response.status).toBe(413)
    expect(response.json).toEqual({ error: `Payload too large: the body exceeds the limit of ${LIMIT} bytes` })
  })

  it('answers a register body that is an array with 422', async () => {
    const response = await raw(service, 'POST', '/devices', { body: [1, 2] })
    expect(response.status).toBe(422)
    expect(response.json).toEqual({ error: 'device properties must be a JSON object' })
  })

  it('leaves the service running', async () => {
    await raw(service, 'POST', '/devices', { body: '\u0000\u0001{' })
    const patched = await raw(service, 'PATCH', `/v2/devices/${device.uuid}`, { credentials: device, body: '{"__proto__": {"polluted": 1}}' })
    expect(patched.status).toBeLessThan(500)
    expect(({} as any).polluted).toBeUndefined()
    const status = await raw(service, 'GET', '/status')
    expect(status).toMatchObject({ status: 200, json: { meshblu: 'online' } })
  })
})
