import { createPrivateKey } from 'node:crypto'
import { request } from 'node:http'
import { parseYaml, producePackage, type YamlValue } from '../../../src/core/intercoop/index.js'
import { descriptorOf, get, post, startEntity, vectorFile, type RunningEntity } from './intercoop.fixture.js'

const sourceKey = createPrivateKey(vectorFile.key.privateKeyPemTestOnly)
const [ascii] = vectorFile.vectors
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let b: RunningEntity
beforeAll(async () => {
  b = await startEntity({ peerid: 'somacme' })
  await b.addPeer('testsource', descriptorOf('testsource', 'https://testsource.example/api', { publickey: vectorFile.key.publicKeyPemPkcs1 }))
  await b.addPeer('nokey', descriptorOf('nokey', 'https://nokey.example/api'))
})
afterAll(async () => { await b.close() })

function hardened (extra: Record<string, YamlValue> = {}): Record<string, YamlValue> {
  const now = b.clock.now().getTime()
  return {
    originpeer: 'testsource', nif: '12345678Z', name: 'Bunny, Bugs', postalcode: '08012', peerroles: ['member'], country: 'NO',
    service: 'contract', targetpeer: 'somacme',
    issuedAt: new Date(now).toISOString(), expiresAt: new Date(now + 300_000).toISOString(),
    nonce: `n-${Math.random().toString(36).slice(2)}`,
    ...extra,
  }
}

function activate (body: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number, contentType: string | null, text: string }> {
  return post(`${b.targetUrl}/activateService`, body as string, headers)
}

describe('GET /protocolVersion (reference §A3)', () => {
  it('answers the protocol version and our extensions, as application/yaml exactly', async () => {
    const answer = await get(`${b.targetUrl}/protocolVersion`)
    expect(answer).toEqual({
      status: 200,
      contentType: 'application/yaml',
      text: "protocolVersion: '1.0'\nextensions:\n- replayProtection\n- serviceField\n- withdrawConsent\n",
    })
  })
})

describe('GET /peerDescriptor', () => {
  it('serves our own descriptor with our public key, for peers to add', async () => {
    const answer = await get(`${b.targetUrl}/peerDescriptor`)
    expect(answer.contentType).toBe('application/yaml')
    expect(parseYaml(answer.text)).toEqual(b.entity.descriptor)
    expect(answer.text).toContain('publickey: "-----BEGIN PUBLIC KEY-----\\n')
  })
})

describe('POST /activateService with the intercoop-vectors.json refusals (reference §A2)', () => {
  it.each(vectorFile.negative.map(v => [v.name, v] as const))('answers "%s" with the documented YAML error and status', async (_name, vector) => {
    const answer = await activate(vector.envelope)
    expect(answer.status).toBe(vector.expected.httpStatus)
    expect(answer.contentType).toBe('application/yaml')
    const body = parseYaml(answer.text) as { error: string, message: string, arguments: string[] }
    expect(Object.keys(body)).toEqual(['error', 'message', 'arguments'])
    expect(body.error).toBe(vector.expected.error)
    const firstLine = (text: string) => text.split('\n')[0]
    expect(firstLine(body.message)).toBe(firstLine(vector.expected.message))
    if (vector.messageMatch === 'exact') {
      expect(body.message).toBe(vector.expected.message)
      expect(body.arguments).toEqual(vector.expected.arguments)
    }
  })

  it('writes a refusal byte for byte as the reference API does', async () => {
    const answer = await activate(vectorFile.negative[0].envelope)
    expect(answer.text).toBe('error: BadSignature\nmessage: Signature verification failed, untrusted content\narguments: []\n')
  })

  it('answers an empty body with BadMessage 400, not a 500 page', async () => {
    const answer = await activate('')
    expect([answer.status, answer.contentType, answer.text]).toEqual([400,
      'application/yaml', 'error: BadMessage\nmessage: \'Malformed message: missing intercoopVersion\'\narguments:\n- missing intercoopVersion\n'])
  })

  it('answers a peer whose descriptor has no key with BadPeer 403', async () => {
    const answer = await activate(producePackage({ originpeer: 'nokey', nif: 'x' }, sourceKey))
    expect(answer.status).toBe(403)
    expect(parseYaml(answer.text)).toEqual({ error: 'BadPeer', message: "The entity 'nokey' is not a recognized one", arguments: ['nokey'] })
  })

  it('answers a body over the size limit with BadMessage 413', async () => {
    const answer = await activate('x'.repeat(70_000))
    expect(answer.status).toBe(413)
    expect(answer.contentType).toBe('application/yaml')
    expect((parseYaml(answer.text) as { error: string }).error).toBe('BadMessage')
  })
})

describe('POST /activateService with a package from an upstream peer (no hardening keys)', () => {
  it.each([
    ['no Content-Type, as the Python client sends it', undefined],
    ['a form Content-Type', 'application/x-www-form-urlencoded'],
    ['a JSON Content-Type', 'application/json'],
  ])('accepts the raw body with %s', async (_what, contentType) => {
    const answer = await rawPost(`${b.targetUrl}/activateService`, ascii.envelope, contentType)
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('application/yaml')
    const body = parseYaml(answer.text) as { uuid: string, continuationUrl: string }
    expect(Object.keys(body)).toEqual(['uuid', 'continuationUrl'])
    expect(body.uuid).toMatch(UUID)
    expect(body.continuationUrl).toBe(`${b.targetUrl}/activateService/${body.uuid}`)
  })

  it('accepts the same package again (old peers have no nonce), under a new token each time', async () => {
    const first = parseYaml((await activate(ascii.envelope)).text) as { uuid: string }
    const second = parseYaml((await activate(ascii.envelope)).text) as { uuid: string }
    expect(second.uuid).not.toBe(first.uuid)
  })
})

describe('GET /activateService/:uuid: the token is single-use and short-lived', () => {
  it('hands out the payload exactly as signed, once, then answers NoSuchUuid 404', async () => {
    const { uuid } = parseYaml((await activate(ascii.envelope)).text) as { uuid: string }
    const first = await get(`${b.targetUrl}/activateService/${uuid}`)
    expect(first).toEqual({ status: 200, contentType: 'application/yaml', text: ascii.payloadYaml })
    const again = await get(`${b.targetUrl}/activateService/${uuid}`)
    expect([again.status, again.contentType, again.text]).toEqual([404, 'application/yaml',
      `error: NoSuchUuid\nmessage: No personal data available for uuid '${uuid}'\narguments:\n- ${uuid}\n`])
  })

  it('answers NoSuchUuid once the token expired unused', async () => {
    const { uuid } = parseYaml((await activate(ascii.envelope)).text) as { uuid: string }
    b.clock.offsetMs = 601_000
    try {
      expect((await get(`${b.targetUrl}/activateService/${uuid}`)).status).toBe(404)
    } finally {
      b.clock.offsetMs = 0
    }
  })

  it('answers a token that is not a lower-case uuid with NoSuchUuid 404, not a 500', async () => {
    const answer = await get(`${b.targetUrl}/activateService/NOT-A-UUID`)
    expect(answer.status).toBe(404)
    expect(parseYaml(answer.text)).toEqual({ error: 'NoSuchUuid', message: "No personal data available for uuid 'NOT-A-UUID'", arguments: ['NOT-A-UUID'] })
  })

  it('keeps the data sealed in the store: neither the token nor the values are readable there', async () => {
    const { uuid } = parseYaml((await activate(ascii.envelope)).text) as { uuid: string }
    const rows = await b.store.selectFrom('intercoop_received_data').selectAll().execute()
    const dump = JSON.stringify(rows)
    expect(dump).not.toContain(uuid)
    expect(dump).not.toContain('12345678Z')
    expect(dump).not.toContain(Buffer.from('12345678Z').toString('base64'))
  })
})

describe('replay hardening on receipt (reference §A5), checked only when the keys are present', () => {
  async function refusalOf (values: Record<string, YamlValue>): Promise<[number, unknown]> {
    const answer = await activate(producePackage(values, sourceKey))
    return [answer.status, parseYaml(answer.text)]
  }

  it('accepts a hardened package, and stores which service it is for', async () => {
    const answer = await activate(producePackage(hardened(), sourceKey))
    expect(answer.status).toBe(200)
    const stored = await b.store.selectFrom('intercoop_received_data').select(['service', 'originpeer']).where('nonce', 'is not', null).execute()
    expect(stored).toContainEqual({ service: 'contract', originpeer: 'testsource' })
  })

  it('refuses a replayed package with ReplayedPackage 403', async () => {
    const envelope = producePackage(hardened({ nonce: 'once-only' }), sourceKey)
    expect((await activate(envelope)).status).toBe(200)
    const replay = await activate(envelope)
    expect([replay.status, parseYaml(replay.text)]).toEqual([403,
      { error: 'ReplayedPackage', message: "The package with nonce 'once-only' from 'testsource' was already received", arguments: ['once-only', 'testsource'] }])
  })

  it('refuses a package addressed to another entity with WrongTargetPeer 403', async () => {
    expect(await refusalOf(hardened({ targetpeer: 'mesopcions' }))).toEqual([403,
      { error: 'WrongTargetPeer', message: "The package is addressed to 'mesopcions', not to 'somacme'", arguments: ['mesopcions', 'somacme'] }])
  })

  it('refuses an expired package with PackageExpired 403, beyond the 5 minutes of clock skew', async () => {
    const now = b.clock.now().getTime()
    const expiresAt = new Date(now - 301_000).toISOString()
    const [status, body] = await refusalOf(hardened({ issuedAt: new Date(now - 600_000).toISOString(), expiresAt }))
    expect(status).toBe(403)
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
    expect(body).toEqual({
      error: 'PackageExpired',
      message: expect.stringMatching(new RegExp(`^The package expired at ${expiresAt.replace(/\./g, '\\.')}, the time here is \\d{4}-`)),
      arguments: [expiresAt, expect.stringMatching(iso)],
    })
  })

  it('accepts a package a little expired or a little early, within the clock skew', async () => {
    const now = b.clock.now().getTime()
    expect((await activate(producePackage(hardened({ issuedAt: new Date(now - 400_000).toISOString(), expiresAt: new Date(now - 100_000).toISOString() }), sourceKey))).status).toBe(200)
    expect((await activate(producePackage(hardened({ issuedAt: new Date(now + 200_000).toISOString(), expiresAt: new Date(now + 400_000).toISOString() }), sourceKey))).status).toBe(200)
  })

  it('refuses a package issued in the future with PackageNotYetValid 403', async () => {
    const issuedAt = new Date(b.clock.now().getTime() + 3_600_000).toISOString()
    const [status, body] = await refusalOf(hardened({ issuedAt, expiresAt: new Date(b.clock.now().getTime() + 3_700_000).toISOString() }))
    expect(status).toBe(403)
    expect((body as { error: string }).error).toBe('PackageNotYetValid')
  })

  it('refuses a package valid for more than an hour, and an issuedAt that is not a time, with BadField 400', async () => {
    const now = b.clock.now().getTime()
    expect(await refusalOf(hardened({ expiresAt: new Date(now + 7_200_000).toISOString() }))).toEqual([400,
      { error: 'BadField', message: "Field 'expiresAt' is not valid: more than 3600 seconds after issuedAt", arguments: ['expiresAt', 'more than 3600 seconds after issuedAt'] }])
    expect(await refusalOf(hardened({ issuedAt: 'yesterday' }))).toEqual([400,
      { error: 'BadField', message: "Field 'issuedAt' is not valid: not an ISO 8601 time", arguments: ['issuedAt', 'not an ISO 8601 time'] }])
  })

  it('refuses an unknown service with UnknownService 404, not a 500', async () => {
    expect(await refusalOf(hardened({ service: 'gas' }))).toEqual([404,
      { error: 'UnknownService', message: "The entity 'somacme' offers no service 'gas'", arguments: ['somacme', 'gas'] }])
  })

  it('refuses a package missing a field the service needs with MissingField 400', async () => {
    const values = hardened()
    delete values.postalcode
    expect(await refusalOf(values)).toEqual([400,
      { error: 'MissingField', message: "Required field 'postalcode' missing on the payload", arguments: ['postalcode'] }])
  })

  it('does not spend the nonce of a refused package', async () => {
    const values = hardened({ nonce: 'retry-me' })
    delete values.postalcode
    expect((await activate(producePackage(values, sourceKey))).status).toBe(400)
    expect((await activate(producePackage(hardened({ nonce: 'retry-me' }), sourceKey))).status).toBe(200)
  })
})

describe('the log', () => {
  it('never holds the personal data nor the continuation tokens', async () => {
    const { uuid } = parseYaml((await activate(producePackage(hardened(), sourceKey))).text) as { uuid: string }
    await get(`${b.targetUrl}/activateService/${uuid}`)
    const log = b.logLines.join('')
    expect(log).toContain('intercoop.activation.received')
    expect(log).not.toContain('12345678Z')
    expect(log).not.toContain(uuid)
  })
})

/** A POST with exactly the given Content-Type header, or none at all. */
function rawPost (url: string, body: string, contentType?: string): Promise<{ status: number, contentType: string | null, text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(body) }
    if (contentType !== undefined) headers['content-type'] = contentType
    const req = request(url, { method: 'POST', headers }, res => {
      const chunks: Buffer[] = []
      res.on('data', chunk => chunks.push(chunk as Buffer))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}
