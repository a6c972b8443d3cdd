// Issue 17: what any HTTP client can send before anything checks who it is. Deep JSON on every route family
// is refused on the raw bytes (422, "JSON is nested deeper than N levels") before JSON.parse and anything
// recursive; a body over limits.maxPayloadBytes is 413; open registration is limited per client address
// (429 with Retry-After); nested query strings stay bounded. The process keeps answering its bystanders.
import http from 'node:http'
import { DEFAULT_LIMITS } from '../../../src/core/limits.js'
import { startTestService, type TestService } from '../../support/test-service.js'
import { registerDevice, v2, type Credentials } from '../../support/device-fixture.js'
import { describeBudget, expectWithinBudget, underBudget } from '../../support/event-loop-budget.js'

const DEPTH = DEFAULT_LIMITS.maxJsonDepth
const MAX_BYTES = DEFAULT_LIMITS.maxPayloadBytes
const TOO_DEEP = `JSON is nested deeper than ${DEPTH} levels`

let service: TestService
let device: Credentials

beforeAll(async () => {
  service = await startTestService()
  device = await registerDevice(service, v2({ 'message.from': ['*'], 'discover.view': ['*'] }))
})
afterAll(async () => { await service?.stop() })

const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`
const nestedObject = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`

interface Route { family: string, method: string, path: () => string, auth: boolean }

// One route of each JSON-reading family, and the Meshblu ones that hand bodies to recursive code.
const ROUTES: Route[] = [
  { family: 'Meshblu register', method: 'POST', path: () => '/devices', auth: false },
  { family: 'Meshblu update', method: 'PUT', path: () => `/devices/${device.uuid}`, auth: true },
  { family: 'Meshblu update operators', method: 'PUT', path: () => `/v2/devices/${device.uuid}`, auth: true },
  { family: 'Meshblu message (HTTP jobs)', method: 'POST', path: () => '/messages', auth: true },
  { family: 'Meshblu search', method: 'POST', path: () => '/search/devices', auth: true },
  { family: 'external API auth', method: 'POST', path: () => '/api/external/v1/auth', auth: false },
  { family: 'external API introspect', method: 'POST', path: () => '/api/external/v1/introspect', auth: false },
  { family: 'credentials user devices', method: 'POST', path: () => `/credentials/${device.uuid}/user-devices`, auth: true },
]

async function send (route: Route, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number, headers: Headers, body: any }> {
  const response = await fetch(`${service.httpUrl}${route.path()}`, {
    method: route.method,
    body,
    headers: {
      'content-type': 'application/json',
      ...(route.auth ? { authorization: `Basic ${Buffer.from(`${device.uuid}:${device.token}`).toString('base64')}` } : {}),
      ...headers,
    },
  })
  const text = await response.text()
  let parsed: unknown = text
  try { parsed = JSON.parse(text) } catch {}
  return { status: response.status, headers: response.headers, body: parsed }
}

describe.each(ROUTES.map(route => [route.family, route] as const))('%s', (_family, route) => {
  it('refuses 100,000 levels of "[" (200 KB) with 422 and the depth in the message', async () => {
    const answer = await send(route, nested(100_000))
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 422, body: { error: TOO_DEEP } })
    if (route.family.startsWith('Meshblu')) expect(answer.headers.get('x-meshblu-code')).toBe('422')
  })

  it('refuses objects one level past the bound, and lets the bound itself through to the route', async () => {
    expect((await send(route, nestedObject(DEPTH + 1))).status).toBe(422)
    const atBound = await send(route, nestedObject(DEPTH))
    expect(atBound.status).toBeLessThan(500)
    expect(atBound.body).not.toEqual({ error: TOO_DEEP })
  })

  it('counts brackets inside strings as text, not nesting', async () => {
    const answer = await send(route, JSON.stringify({ text: '['.repeat(10_000), quoted: '\\"[[[[' }))
    expect(answer.status).toBeLessThan(500)
    expect(answer.body).not.toEqual({ error: TOO_DEEP })
  })

  it('counts a UTF-16 body on its characters (a quote byte inside a character hides nothing)', async () => {
    // U+2222 is the bytes 22 22 in UTF-16: counted on bytes, it would toggle the string state
    const text = `{"a":"\u2222\u2222","b":${nested(DEPTH + 1)}}`
    const answer = await send(route, Buffer.from(text, 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' })
    expect(answer.status).toBe(422)
  })

  it(`answers a body of maxPayloadBytes + 1 (${MAX_BYTES + 1} bytes) with 413`, async () => {
    const answer = await send(route, `{"a":"${'x'.repeat(MAX_BYTES - 7)}"}`)
    expect(answer.status).toBe(413)
    expect(JSON.stringify(answer.body)).toMatch(/too large/i)
  })
})

describe('the intercoop target API (YAML, its own bounds)', () => {
  it('answers 200 KB of "[" with 413 BadMessage and 64 KB of it with 400 BadMessage, never a 500', async () => {
    for (const [body, status] of [[nested(100_000), 413], ['['.repeat(DEFAULT_LIMITS.intercoopMaxBodyBytes), 400]] as const) {
      const response = await fetch(`${service.httpUrl}/intercoop/activateService`, { method: 'POST', body })
      expect(response.status).toBe(status)
      expect(response.headers.get('content-type')).toBe('application/yaml')
      expect(await response.text()).toMatch(/^error: BadMessage\n/)
    }
  })
})

describe('deep JSON on every family at once', () => {
  it('keeps the bystanders within the budget and the process answering', async () => {
    const body = nested(100_000)
    const report = await underBudget(service, async () => {
      for (let round = 0; round < 3; round++) {
        for (const route of ROUTES) expect((await send(route, body)).status).toBe(422)
      }
    })
    console.log(describeBudget(`http: ${3 * ROUTES.length} × 200 KB of "[" over ${ROUTES.length} routes`, report))
    expectWithinBudget(report)
    expect((await fetch(`${service.httpUrl}/status`)).status).toBe(200)
  })

  it('keeps them within the budget with 1 MB bodies just under the size limit, deep only at the end', async () => {
    const body = `[${'1,'.repeat((MAX_BYTES - 300) / 2)}${nested(DEPTH + 1)}]`
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BYTES)
    const report = await underBudget(service, async () => {
      for (const route of ROUTES) expect((await send(route, body)).status).toBe(422)
    })
    console.log(describeBudget(`http: ${ROUTES.length} × 1 MB bodies, too deep at their end`, report))
    expectWithinBudget(report)
  })
})

describe('query strings', () => {
  const get = async (query: string): Promise<{ status: number, body: any }> => {
    const response = await fetch(`${service.httpUrl}/v2/devices?${query}`, {
      headers: { authorization: `Basic ${Buffer.from(`${device.uuid}:${device.token}`).toString('base64')}` },
    })
    const text = await response.text()
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
  }

  it('a bracket-nested parameter is a 422 naming it (queries carry plain values only)', async () => {
    expect(await get(`a${'[b]'.repeat(2000)}=1`)).toEqual({ status: 422, body: { error: 'query parameter "a" must be a plain value' } })
  })

  it('1,500 parameters and 1,000 array indices are cut by the parser (1,000 parameters), not walked', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => `k${i}=1`).join('&')
    expect([200, 422]).toContain((await get(many)).status) // 1,000 fields may be past limits.queryMaxNodes
    const indices = Array.from({ length: 1000 }, (_, i) => `a[${i * 1000}]=1`).join('&')
    expect((await get(indices)).status).toBe(422)
  })

  it('a URL past Node\'s 16 KB header limit is refused (431) before any parsing', async () => {
    expect((await get(`a=${'x'.repeat(20_000)}`)).status).toBe(431)
  })

  it('__proto__ and constructor keys set nothing on objects', async () => {
    const answer = await get('__proto__[polluted]=1&constructor[prototype][polluted]=1')
    expect(answer.status).toBeLessThan(500)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('open registration per client address (limits.registrationsPerAddressPerMinute)', () => {
  const PER_MINUTE = 5
  let limited: TestService

  beforeAll(async () => { limited = await startTestService({ limits: { registrationsPerAddressPerMinute: PER_MINUTE } }) })
  afterAll(async () => { await limited?.stop() })

  /** POST /devices from a chosen loopback address (127.0.0.0/8 is all ours). */
  function register (localAddress: string, headers: Record<string, string> = {}): Promise<{ status: number, headers: http.IncomingHttpHeaders, body: any }> {
    return new Promise((resolve, reject) => {
      const request = http.request(`${limited.httpUrl}/devices`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } }, response => {
        const chunks: Buffer[] = []
        response.on('data', chunk => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }))
      })
      request.on('error', reject)
      request.end(JSON.stringify({ type: 'bystander' }))
    })
  }

  it('registers up to the rate, then answers 429 with Retry-After and a clear message, storing nothing more', async () => {
    const before = await limited.bus.registry.count()
    for (let i = 0; i < PER_MINUTE; i++) expect((await register('127.0.0.1')).status).toBe(201)
    const refused = await register('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }) // no trusted proxy: ignored
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60)
    expect(refused.headers['x-meshblu-code']).toBe('429')
    expect(refused.body).toEqual({ error: expect.stringMatching(new RegExp(`^Too many registrations from this address: at most ${PER_MINUTE} a minute; retry in \\d+ s$`)) })
    expect(await limited.bus.registry.count()).toBe(before + PER_MINUTE)
  })

  it('counts each address on its own', async () => {
    expect((await register('127.0.0.2')).status).toBe(201)
  })

  it('a flood of 200 registrations from one address costs the bystanders nothing', async () => {
    const report = await underBudget(limited, async () => {
      const answers: number[] = []
      for (let batch = 0; batch < 20; batch++) { // 10 at a time: the attacking client shares this process
        answers.push(...await Promise.all(Array.from({ length: 10 }, async () => (await register('127.0.0.3')).status)))
      }
      expect(answers.filter(status => status === 201)).toHaveLength(PER_MINUTE)
      expect(answers.filter(status => status === 429)).toHaveLength(200 - PER_MINUTE)
    })
    console.log(describeBudget('http: 200 registrations from one address', report))
    expectWithinBudget(report)
  })
})
