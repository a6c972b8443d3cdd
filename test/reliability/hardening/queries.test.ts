// Issue 17, queries as an attacker sends them: anyone can register a device, so any device can search
// devices and tokens, send a projection header and update its own document with operators. Only listed
// operators run, regular expressions run in a linear-time engine, every query is bounded in nodes, and
// answers, documents, token metadata, tokens and subscriptions are bounded by the limits table.
import { startTestService, type TestService } from '../../support/test-service.js'
import { connect, registerDevice, v2, type Credentials } from '../../support/device-fixture.js'
import type { MqttDevice } from '../../support/mqtt-device.js'
import { describeBudget, expectWithinBudget, underBudget } from '../../support/event-loop-budget.js'
import { meshbluHttp, refusal } from '../../e2e/meshblu-http.fixture.js'
import { DEFAULT_LIMITS } from '../../../src/core/limits.js'
import { documentFilter } from '../../../src/core/bus/document-query.js'

const FILLERS = 3000
const BLOB = 'abcdefghij'.repeat(500) // 5 KB a device: a full page of searchMaxResults would be ~5 MB, past searchMaxBytes
const L = DEFAULT_LIMITS

let service: TestService
let attacker: Credentials
let attackerMqtt: MqttDevice
let headers: Record<string, string>

const authHeaders = (device: Credentials): Record<string, string> => ({
  authorization: 'Basic ' + Buffer.from(`${device.uuid}:${device.token}`).toString('base64'),
  'content-type': 'application/json',
})

async function call (method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<{ status: number, body: any, headers: Headers, bytes: number }> {
  const response = await fetch(service.httpUrl + path, { method, headers: { ...headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers, bytes: Buffer.byteLength(text) }
}

/** Like call, without parsing the answer (bytes and headers only). */
async function unparsed (method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<{ status: number, headers: Headers, bytes: number }> {
  const response = await fetch(service.httpUrl + path, { method, headers: { ...headers, ...extra }, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: response.status, headers: response.headers, bytes: (await response.arrayBuffer()).byteLength }
}

beforeAll(async () => {
  service = await startTestService()
  attacker = await registerDevice(service, v2({ 'discover.view': ['*'] }, { name: 'attacker', list: [1, 2, 3] }))
  headers = authHeaders(attacker)
  attackerMqtt = await connect(service, attacker)
  for (let i = 0; i < FILLERS; i++) {
    await service.bus.register(v2({ 'discover.view': [attacker.uuid] }, { type: 'filler', name: `filler-${i}`, blob: BLOB }))
  }
}, 60_000)
afterAll(async () => { await attackerMqtt.end(); await service.stop() })

describe('a search with an operator outside the allow-list', () => {
  const refused: Array<[string, unknown, string]> = [
    ['a regular expression computed with $concat inside $expr', { $expr: { $regexMatch: { input: '$name', regex: { $concat: ['(a+', ')+$'] } } } }, 'operator "$expr" is not allowed'],
    ['a $regex that is an expression object', { name: { $regex: { $concat: ['(a+', ')+$'] } } }, '$regex must be a literal string'],
    ['$where', { $where: 'while(true){}' }, 'operator "$where" is not allowed'],
    ['$function at a field', { name: { $function: { body: 'function(){while(true){}}', args: [], lang: 'js' } } }, 'operator "$function" is not allowed'],
    ['$accumulator inside $expr', { $expr: { $accumulator: { init: 'function(){}' } } }, 'operator "$expr" is not allowed'],
    ['$range allocating a client number of elements', { $expr: { $gt: [{ $size: { $range: [0, 1e9] } }, 0] } }, 'operator "$expr" is not allowed'],
    ['$range inside $elemMatch', { list: { $elemMatch: { $range: [0, 1e9] } } }, 'operator "$range" is not allowed'],
    ['$reduce over $range', { $expr: { $reduce: { input: { $range: [0, 1e8] }, initialValue: '', in: { $concat: ['$$value', 'x'] } } } }, 'operator "$expr" is not allowed'],
    ['$jsonSchema', { $jsonSchema: { properties: { name: { pattern: '(a+)+$' } } } }, 'operator "$jsonSchema" is not allowed'],
    ['$mod', { count: { $mod: [2, 0] } }, 'operator "$mod" is not allowed'],
    ['an operator hidden inside an $in value', { name: { $in: [{ $where: 'x' }] } }, 'operator "$where" is not allowed'],
    ['an operator as a path segment', { 'name.$where': 1 }, 'operator "$where" is not allowed'],
    ['an unsafe literal regex', { name: { $regex: '^(a+)+$' } }, 'nested repetition'],
    ['a regex with the g flag', { name: { $regex: 'a', $options: 'g' } }, '$options may hold only the flags i, m, s'],
    ['a regex longer than queryMaxRegexLength', { name: { $regex: 'a'.repeat(L.queryMaxRegexLength + 1) } }, `limited to ${L.queryMaxRegexLength} characters`],
    ['a regex whose program exceeds the node budget', { name: { $regex: '[a-z]{1000}' } }, '$regex compiles to'],
    ['an $in of more than queryMaxNodes values', { name: { $in: Array.from({ length: L.queryMaxNodes + 1 }, (_, i) => `n${i}`) } }, `more than ${L.queryMaxNodes} nodes`],
    ['an $or of more than queryMaxNodes nodes', { $or: Array.from({ length: L.queryMaxNodes / 2 }, (_, i) => ({ name: `n${i}` })) }, `more than ${L.queryMaxNodes} nodes`],
    ['a field path longer than queryMaxFieldPathChars', { ['a'.repeat(L.queryMaxFieldPathChars + 1)]: 1 }, `longer than ${L.queryMaxFieldPathChars} characters`],
  ]

  it.each(refused)('POST /search/devices: %s is answered 422 naming it', async (_what, query, reason) => {
    const { status, body } = await call('POST', '/search/devices', query)
    expect(status).toBe(422)
    expect(body.error).toMatch(/^invalid search query: /)
    expect(body.error).toContain(reason)
  })

  it.each(refused)('POST /search/tokens: %s is answered 422 naming it', async (_what, query, reason) => {
    const { status, body } = await call('POST', '/search/tokens', query)
    expect(status).toBe(422)
    expect(body.error).toMatch(/^invalid token query: /)
    expect(body.error).toContain(reason)
  })

  it('meshblu-http search reports the refusal with its message', async () => {
    const error = await refusal(meshbluHttp(service, attacker).search({ $expr: { $eq: ['$name', 'x'] } }))
    expect(error.message).toBe('invalid search query: operator "$expr" is not allowed')
  })

  it('a query nested past the depth limit is refused before anything walks it', async () => {
    let query: unknown = { name: 'x' }
    for (let i = 0; i < L.maxJsonDepth; i++) query = { $and: [query] }
    const { status, body } = await call('POST', '/search/devices', query)
    expect(status).toBe(422)
    expect(body.error).toMatch(/nested deeper than/)
  })

  it('a repeated query-string parameter past queryMaxNodes is refused', async () => {
    const params = Array.from({ length: L.queryMaxNodes + 1 }, (_, i) => `name=n${i}`).join('&')
    const { status, body } = await call('GET', `/v2/devices?${params}`)
    expect(status).toBe(422)
    expect(body.error).toMatch(/query parameter "name"|keys and array elements/)
  })
})

describe('a projection header', () => {
  const refusedProjections: Array<[string, unknown, string]> = [
    ['an expression', { name: { $concat: ['$name', '$name'] } }, 'must be 0, 1, true or false'],
    ['$slice of a client size', { list: { $slice: [0, 1e9] } }, 'must be 0, 1, true or false'],
    ['$elemMatch', { list: { $elemMatch: { $gt: 1 } } }, 'must be 0, 1, true or false'],
    ['an operator as a field', { $where: 1 }, 'operator "$where" is not allowed'],
    ['mixed inclusion and exclusion', { name: 1, blob: 0 }, 'cannot mix inclusion and exclusion'],
  ]

  it.each(refusedProjections)('with %s is answered 422', async (_what, projection, reason) => {
    const { status, body } = await call('POST', '/search/devices', { name: 'attacker' }, { 'x-meshblu-projection': JSON.stringify(projection) })
    expect(status).toBe(422)
    expect(body.error).toMatch(/^invalid projection: /)
    expect(body.error).toContain(reason)
  })

  it('of field paths keeps only those fields (meshblu-http metadata)', async () => {
    const found = await meshbluHttp(service, attacker).search({ name: 'filler-7' }, { projection: { name: 1, type: true } })
    expect(found).toEqual([{ name: 'filler-7', type: 'filler' }])
  })
})

describe('an update whose $pull condition is a query', () => {
  const refusedPulls: Array<[string, unknown, string]> = [
    ['$where', { $pull: { list: { $where: 'while(true){}' } } }, 'operator "$where" is not allowed'],
    ['$expr', { $pull: { list: { $expr: { $gt: [{ $size: { $range: [0, 1e9] } }, 0] } } } }, 'operator "$expr" is not allowed'],
    ['an unsafe regex', { $pull: { list: { $regex: '(x+x+)+y' } } }, 'nested repetition'],
    ['a query over subdocuments with $function', { $pull: { list: { uuid: { $function: {} } } } }, 'operator "$function" is not allowed'],
    ['a $pullAll of more than queryMaxNodes values', { $pullAll: { list: Array.from({ length: L.queryMaxNodes + 1 }, (_, i) => i) } }, 'keys and array elements'],
    ['a $push modifier outside the list', { $push: { list: { $each: [4], $expr: 1 } } }, 'unsupported modifier "$expr"'],
  ]

  it.each(refusedPulls)('PUT /v2/devices/:uuid with %s is answered 422 and the document is unchanged', async (_what, operators, reason) => {
    const before = (await service.bus.registry.get(attacker.uuid))
    const { status, body } = await call('PUT', `/v2/devices/${attacker.uuid}`, operators)
    expect(status).toBe(422)
    expect(body.error).toContain(reason)
    expect((await service.bus.registry.get(attacker.uuid))).toBe(before)
  })

  it('find-and-update with $where in $pull is answered 422 too', async () => {
    const { status, body } = await call('PUT', `/v2/devices/${attacker.uuid}/find-and-update`, { $pull: { list: { $where: 'x' } } })
    expect(status).toBe(422)
    expect(body.error).toContain('operator "$where" is not allowed')
  })

  it('an allowed $pull condition still works', async () => {
    const target = await registerDevice(service, v2({ 'configure.update': [attacker.uuid] }, { list: [1, 5, 9] }))
    const { status } = await call('PUT', `/v2/devices/${target.uuid}`, { $pull: { list: { $gte: 5 } } })
    expect(status).toBe(204)
    expect((await service.bus.registry.get(target.uuid))?.list).toEqual([1])
  })
})

describe('the worst allowed query over a registry of thousands of devices', () => {
  // Regular expressions that V8 would backtrack on quadratically (`.*.*.*q` over 1.5 KB strings), as many
  // as the node budget allows, on every field; RE2 runs each in linear time and the walk yields every slice.
  // as many as queryMaxNodes admits: the regexes first (the costliest per document), then $nin values
  const regexes = (n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ blob: { $regex: `.*.*.*q${i}`, $options: 'is' } }))
  const nin = (n: number): unknown => ({ name: { $nin: Array.from({ length: n }, (_, i) => `nobody-${i}`) } })
  const admitted = (query: unknown): boolean => { try { documentFilter(query, 'search'); return true } catch { return false } }
  let regexCount = 1
  while (admitted({ $or: regexes(regexCount + 1) })) regexCount++
  let ninCount = 0
  while (admitted({ $or: [...regexes(regexCount), nin(ninCount + 1)] })) ninCount++
  const worst = { $or: ninCount === 0 ? regexes(regexCount) : [...regexes(regexCount), nin(ninCount)] }

  it('keeps other devices within the budget and answers a bounded page', async () => {
    let answers: Array<{ status: number, bytes: number }> = []
    const report = await underBudget(service, async () => {
      answers = await Promise.all(Array.from({ length: 3 }, async () => await unparsed('POST', '/search/devices', worst)))
    })
    console.log(describeBudget(`worst allowed query (${regexCount} RE2 regexes over 5 KB strings + $nin of ${ninCount}) × 3 concurrent over ${FILLERS} devices`, report))
    for (const answer of answers) {
      expect(answer.status).toBe(200)
      expect(answer.bytes).toBeLessThanOrEqual(L.searchMaxBytes)
    }
    expectWithinBudget(report)
  }, 60_000)
})

describe('the worst allowed query over devices of maxDeviceBytes built to be slow to compare', () => {
  it('keeps other devices within the budget', async () => {
    // 20 devices near 64 KB holding 12 000-element arrays: each field operator walks all of them
    const big = Array.from({ length: 12_000 }, (_, i) => i % 10)
    for (let i = 0; i < 20; i++) await service.bus.register(v2({ 'discover.view': [attacker.uuid] }, { type: 'heavy', numbers: big }))
    const equalities = (n: number): unknown => ({ type: 'heavy', $or: Array.from({ length: n }, (_, i) => ({ numbers: [i, i, i, i, i] })) })
    let count = 1
    while ((() => { try { documentFilter(equalities(count + 1), 'search'); return true } catch { return false } })()) count++
    let status = 0
    const report = await underBudget(service, async () => {
      const answers = await Promise.all(Array.from({ length: 3 }, async () => await unparsed('POST', '/search/devices', equalities(count))))
      status = answers[0].status
    })
    console.log(describeBudget(`${count} array equalities × 3 concurrent over 20 devices of 12 000-element arrays`, report))
    expect(status).toBe(200)
    expectWithinBudget(report)
  }, 60_000)
})

describe('a search whose answer would be megabytes', () => {
  const pageThrough = async (fetchPage: (cursor?: string) => Promise<{ status: number, bytes: number, next: string | null, uuids?: string[] }>): Promise<{ pages: number, uuids: string[] }> => {
    const uuids: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await fetchPage(cursor)
      expect(page.status).toBe(200)
      expect(page.bytes).toBeLessThanOrEqual(L.searchMaxBytes)
      uuids.push(...page.uuids ?? [])
      cursor = page.next ?? undefined
      pages++
    } while (cursor !== undefined)
    return { pages, uuids }
  }

  it('is cut at searchMaxBytes and paged through within the budget', async () => {
    let pages = 0
    // the answers are not parsed here: the test client shares the service's event loop
    const report = await underBudget(service, async () => {
      ({ pages } = await pageThrough(async cursor => {
        const { status, bytes, headers: replyHeaders } = await unparsed('POST', '/search/devices', { type: 'filler' }, cursor === undefined ? {} : { 'x-meshblu-page': cursor })
        return { status, bytes, next: replyHeaders.get('x-meshblu-next-page') }
      }))
    })
    console.log(describeBudget(`paging ${FILLERS} devices of 5 KB (${pages} pages of at most ${L.searchMaxBytes} bytes)`, report))
    expect(pages).toBeGreaterThan(3)
    expectWithinBudget(report)
  }, 60_000)

  it('the pages together give every device once, newest first', async () => {
    const { pages, uuids } = await pageThrough(async cursor => {
      const { status, bytes, body, headers: replyHeaders } = await call('POST', '/search/devices', { type: 'filler' }, cursor === undefined ? {} : { 'x-meshblu-page': cursor })
      return { status, bytes, next: replyHeaders.get('x-meshblu-next-page'), uuids: body.map((d: { uuid: string }) => d.uuid) }
    })
    expect(pages).toBeGreaterThan(3)
    expect(new Set(uuids).size).toBe(FILLERS)
    expect(uuids).toHaveLength(FILLERS)
    const createdAt: string[] = []
    for (const uuid of uuids) createdAt.push(String((await service.bus.registry.get(uuid))?.meshblu?.createdAt))
    expect(createdAt).toEqual([...createdAt].sort().reverse())
  }, 30_000)

  it('a cut page is filled up to the byte bound', async () => {
    const { body, headers: replyHeaders, bytes } = await call('POST', '/search/devices', { type: 'filler' })
    expect(replyHeaders.get('x-meshblu-next-page')).toEqual(expect.any(String))
    expect(body.length).toBeLessThan(L.searchMaxResults)
    expect(bytes).toBeGreaterThan(L.searchMaxBytes - 2 * Buffer.byteLength(JSON.stringify(body[0])))
  })

  it('x-meshblu-page-size gives smaller pages that continue one another (v1 GET /devices too)', async () => {
    const thirty = (await call('GET', '/v2/devices?type=filler', undefined, { 'x-meshblu-page-size': '30' })).body.map((d: { uuid: string }) => d.uuid)
    const paged: string[] = []
    let cursor: string | undefined
    for (let i = 0; i < 3; i++) {
      const page = await call('GET', '/devices?type=filler', undefined, { 'x-meshblu-page-size': '10', ...(cursor === undefined ? {} : { 'x-meshblu-page': cursor }) })
      paged.push(...page.body.devices.map((d: { uuid: string }) => d.uuid))
      cursor = page.headers.get('x-meshblu-next-page') as string
    }
    expect(paged).toEqual(thirty)
  })

  it('a forged cursor or page size is answered 422', async () => {
    expect((await call('POST', '/search/devices', {}, { 'x-meshblu-page': 'not a cursor!' })).status).toBe(422)
    expect((await call('POST', '/search/devices', {}, { 'x-meshblu-page-size': '0' })).status).toBe(422)
  })
})

describe('device documents past maxDeviceBytes', () => {
  it('a 70 KB registration is answered 413 and nothing is stored', async () => {
    const before = await service.bus.registry.count()
    const response = await fetch(`${service.httpUrl}/devices`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'too-big', blob: 'x'.repeat(70 * 1024) }),
    })
    expect(response.status).toBe(413)
    expect((await response.json() as { error: string }).error).toMatch(`more than the limit of ${L.maxDeviceBytes}`)
    expect(await service.bus.registry.count()).toBe(before)
    expect((await call('POST', '/search/devices', { name: 'too-big' })).body).toEqual([])
  })

  it('an HTTP update growing the document past the limit is answered 413 and the document is unchanged', async () => {
    const before = (await service.bus.registry.get(attacker.uuid))
    const { status, body } = await call('PATCH', `/v2/devices/${attacker.uuid}`, { blob: 'y'.repeat(L.maxDeviceBytes) })
    expect(status).toBe(413)
    expect(body.error).toMatch(/device document too large/)
    expect((await service.bus.registry.get(attacker.uuid))).toBe(before)
  })

  it('an MQTT update growing the document past the limit gets an error reply and the document is unchanged', async () => {
    const before = (await service.bus.registry.get(attacker.uuid))
    const reply = await attackerMqtt.request('update', { blob: 'y'.repeat(L.maxDeviceBytes) })
    expect(reply.topic).toBe('error')
    expect(reply.data.message).toMatch(/device document too large/)
    expect((await service.bus.registry.get(attacker.uuid))).toBe(before)
  })

  it('$set of a huge array index is answered 413 before any array is built', async () => {
    const before = (await service.bus.registry.get(attacker.uuid))
    const { status, body } = await call('PUT', `/v2/devices/${attacker.uuid}`, { $set: { 'list.50000000': 1 } })
    expect(status).toBe(413)
    expect(body.error).toMatch(/larger than the limit/)
    expect((await service.bus.registry.get(attacker.uuid))).toBe(before)
  })

  it('a $push of many small updates stops at the limit', async () => {
    const pusher = await registerDevice(service, v2({ 'configure.update': ['*'] }))
    const pusherHeaders = authHeaders(pusher)
    const chunk = 'z'.repeat(8 * 1024)
    const codes: number[] = []
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${service.httpUrl}/v2/devices/${pusher.uuid}`, { method: 'PUT', headers: pusherHeaders, body: JSON.stringify({ $push: { chunks: chunk } }) })
      codes.push(response.status)
    }
    expect(codes.filter(code => code === 204).length).toBeLessThan(10)
    expect(codes.slice(codes.indexOf(413))).toEqual(codes.slice(codes.indexOf(413)).map(() => 413))
    expect(service.bus.registry.bytesOf((await service.bus.registry.get(pusher.uuid))!)).toBeLessThanOrEqual(L.maxDeviceBytes)
  })
})

describe('session tokens', () => {
  it('metadata past maxTokenMetadataBytes is answered 413 over HTTP and MQTT, and no token is made', async () => {
    const big = { tag: 'm'.repeat(L.maxTokenMetadataBytes) }
    const { status, body } = await call('POST', `/devices/${attacker.uuid}/tokens`, big)
    expect(status).toBe(413)
    expect(body.error).toMatch(/token metadata too large/)
    const reply = await attackerMqtt.request('generateAndStoreToken', big)
    expect(reply.topic).toBe('error')
    expect(reply.data.message).toMatch(/token metadata too large/)
    expect(await service.bus.searchTokens({ uuid: attacker.uuid }, { tag: big.tag })).toEqual([])
  })
})

describe('counts per device, with small limits', () => {
  let small: TestService
  let device: Credentials
  beforeAll(async () => {
    small = await startTestService({ limits: { maxTokensPerDevice: 5, maxSubscriptionsPerDevice: 3 } })
    device = await registerDevice(small, v2())
  })
  afterAll(async () => { await small.stop() })

  it('the token past maxTokensPerDevice is answered 429 until one is revoked', async () => {
    const http = meshbluHttp(small, device)
    const tokens = await Promise.all(Array.from({ length: 5 }, async (_, i) => await http.generateAndStoreTokenWithOptions(device.uuid, { tag: `t${i}` }) as { token: string }))
    const error = await refusal(http.generateAndStoreToken(device.uuid))
    expect(error.code).toBe(429)
    expect(error.message).toMatch(/at most 5/)
    const mqtt = await connect(small, device)
    const reply = await mqtt.request('generateAndStoreToken', {})
    expect(reply.topic).toBe('error')
    expect(reply.data.message).toMatch(/too many session tokens/)
    await mqtt.end()
    await http.revokeToken(device.uuid, tokens[0].token)
    await expect(http.generateAndStoreToken(device.uuid)).resolves.toEqual(expect.objectContaining({ uuid: device.uuid }))
  })

  it('concurrent creations cannot pass maxTokensPerDevice together', async () => {
    const other = await registerDevice(small, v2())
    const http = meshbluHttp(small, other)
    const results = await Promise.allSettled(Array.from({ length: 12 }, async () => await http.generateAndStoreToken(other.uuid)))
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(5)
  })

  it('the subscription past maxSubscriptionsPerDevice is answered 429; listing shows only its own', async () => {
    const http = meshbluHttp(small, device)
    const emitters = await Promise.all(Array.from({ length: 4 }, async () => await registerDevice(small, v2())))
    for (const emitter of emitters.slice(0, 3)) await http.createSubscription({ subscriberUuid: device.uuid, emitterUuid: emitter.uuid, type: 'broadcast.sent' })
    // the same subscription again is no new one
    await http.createSubscription({ subscriberUuid: device.uuid, emitterUuid: emitters[0].uuid, type: 'broadcast.sent' })
    const error = await refusal(http.createSubscription({ subscriberUuid: device.uuid, emitterUuid: emitters[3].uuid, type: 'broadcast.sent' }))
    expect(error.code).toBe(429)
    expect(error.message).toMatch(/at most 3/)
    expect(await http.subscriptions(device.uuid)).toHaveLength(3)
    await http.deleteSubscription({ subscriberUuid: device.uuid, emitterUuid: emitters[0].uuid, type: 'broadcast.sent' })
    await http.createSubscription({ subscriberUuid: device.uuid, emitterUuid: emitters[3].uuid, type: 'broadcast.sent' })
    expect((await http.subscriptions(device.uuid) as Array<{ emitterUuid: string }>).map(s => s.emitterUuid).sort())
      .toEqual(emitters.slice(1).map(e => e.uuid).sort())
  })
})
