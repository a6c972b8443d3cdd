// Issue 17, item 5: hostile YAML at the intercoop target API over real HTTP against a real service (alias
// bombs, 64 KB of tokens, deep nesting, tags, huge numbers, duplicate keys, bad encodings, the body limit),
// each a BadMessage (envelope) or BadFormat (payload) with its documented status in the protocol's YAML error
// shape, never a 500, with the process answering its bystanders meanwhile; and the other direction: a peer
// whose answers are hostile makes our client fail with a BackendError, within its size and time bounds.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPrivateKey } from 'node:crypto'
import { dumpYaml, envelopeOf, parseYaml, type YamlValue } from '../../../src/core/intercoop/index.js'
import { callPeer } from '../../../src/core/intercoop/peer-client.js'
import { PEER_YAML_BOUNDS } from '../../../src/core/intercoop/yaml-1-1.js'
import { DEFAULT_LIMITS } from '../../../src/core/limits.js'
import type { TestService } from '../../support/test-service.js'
import { describeBudget, expectWithinBudget, underBudget } from '../../support/event-loop-budget.js'
import { addPeer, startEntityService, targetDescriptor } from '../../e2e/intercoop.fixture.js'
import { descriptorOf, vectorFile } from '../../core/intercoop/intercoop.fixture.js'

const LIMIT = DEFAULT_LIMITS.intercoopMaxBodyBytes
const ALIASES = DEFAULT_LIMITS.intercoopMaxYamlAliases
const DEPTH = DEFAULT_LIMITS.maxJsonDepth
const TOKENS = DEFAULT_LIMITS.intercoopMaxYamlTokens
const sourceKey = createPrivateKey(vectorFile.key.privateKeyPemTestOnly)

let service: TestService

beforeAll(async () => {
  service = await startEntityService({ peerid: 'targetcoop', descriptor: targetDescriptor('targetcoop') })
  await addPeer(service, 'testsource', dumpYaml(descriptorOf('testsource', 'https://testsource.example/api', { publickey: vectorFile.key.publicKeyPemPkcs1 }) as YamlValue))
})
afterAll(async () => { await service?.stop() })

interface Answer { status: number, contentType: string | null, body: { error: string, message: string, arguments: unknown[] } & Record<string, unknown> }

async function activate (body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${service.httpUrl}/intercoop/activateService`, { method: 'POST', body, headers })
  const text = await response.text()
  return { status: response.status, contentType: response.headers.get('content-type'), body: parseYaml(text) as Answer['body'] }
}

/** A refusal in the protocol's shape: YAML {error, message, arguments}, as application/yaml, with the class's status. */
function expectRefused (answer: Answer, status: number, error: string, detail: RegExp): void {
  expect(answer.contentType).toBe('application/yaml')
  expect(Object.keys(answer.body)).toEqual(['error', 'message', 'arguments'])
  expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error })
  expect(answer.body.message).toMatch(detail)
  expect(answer.body.message.length).toBeLessThan(1000) // the body is never echoed whole
}

/** The envelope is the YAML: BadMessage "Bad message YAML format\n…". */
const badEnvelope = (answer: Answer, detail: RegExp): void => expectRefused(answer, 400, 'BadMessage', detail)
/** A correctly signed envelope whose payload is the YAML: BadFormat. */
const badPayload = (answer: Answer, detail: RegExp): void => expectRefused(answer, 400, 'BadFormat', detail)
const signed = (payloadYaml: string): string => envelopeOf(payloadYaml, sourceKey)

function payloadOf (extra: Record<string, YamlValue> = {}): Record<string, YamlValue> {
  const now = Date.now()
  return {
    originpeer: 'testsource', nif: '12345678Z', name: 'Núria', postalcode: '08012', city: 'Barcelona', country: 'ES',
    email: 'nuria@example.coop', service: 'contract', targetpeer: 'targetcoop',
    issuedAt: new Date(now).toISOString(), expiresAt: new Date(now + 300_000).toISOString(),
    nonce: `n-${Math.random().toString(36).slice(2)}`,
    ...extra,
  }
}

/** `count` bytes made of `unit` repeated (cut to the exact size). */
const fill = (unit: string, count: number): string => unit.repeat(Math.ceil(count / unit.length)).slice(0, count)

/** Billion laughs: each level a list of `width` aliases to the level before; `levels` × `width` aliases in all. */
function listBomb (levels: number, width: number): string {
  let text = `l0: &l0 [${new Array(width).fill('"lol"').join(', ')}]\n`
  for (let i = 1; i <= levels; i++) text += `l${i}: &l${i} [${new Array(width).fill(`*l${i - 1}`).join(', ')}]\n`
  return text
}

/** The same through merge keys: each level merges the one before `width` times, in a flow mapping. */
function mergeBomb (levels: number, width: number): string {
  let text = 'm0: &m0 {a: lol, b: lol}\n'
  for (let i = 1; i <= levels; i++) text += `m${i}: &m${i} {<<: [${new Array(width).fill(`*m${i - 1}`).join(', ')}], k${i}: [*m${i - 1}, *m${i - 1}]}\n`
  return text
}

describe('alias bombs are refused before anything expands them', () => {
  it.each([
    ['nested lists of aliases (9 × 9 levels, the classic)', listBomb(9, 9)],
    ['merge keys over aliases', mergeBomb(8, 4)],
    ['aliases inside flow collections', `{a: &a [x, x, x], b: &b [*a, *a, *a, *a], c: [${new Array(40).fill('*b').join(', ')}]}\n`],
    ['block sequences of aliases', `a: &a\n- lol\n- lol\nb:\n${'- *a\n'.repeat(ALIASES + 1)}`],
  ])('%s in the envelope: BadMessage 400', async (_shape, bomb) => {
    badEnvelope(await activate(bomb), /^Malformed message: Bad message YAML format\n.*alias/is)
  })

  it('in a signed payload: BadFormat 400, the payload never reaching the store', async () => {
    badPayload(await activate(signed(`originpeer: testsource\n${listBomb(9, 9)}`)), /^Error while parsing message as YAML:\n.*alias/is)
    badPayload(await activate(signed(`originpeer: testsource\n${mergeBomb(8, 4)}`)), /alias/i)
  })

  it('within the alias count, an expansion still past the bound is refused too (the yaml package\'s maxAliasCount)', async () => {
    // 15 aliases (allowed), but the last level references a list that holds 4 aliases 3 times over
    const bomb = 'a: &a [x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: &d [*c, *c, *c, *c]\ne: [*d, *d, *d]\n'
    badEnvelope(await activate(bomb), /alias/i)
  })

  it('a few aliases, as a real sender may use them, are accepted', async () => {
    const payloadYaml = dumpYaml(payloadOf()) + 'roles: &roles [member]\nsameRoles: *roles\n'
    const answer = await activate(signed(payloadYaml))
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ uuid: expect.any(String) })
  })
})

describe('64 KB of one token: refused in time linear in the body', () => {
  it.each([
    ['tabs', fill('\t', LIMIT), /found character '\\t' that cannot start any token/],
    ['spaces (an empty document)', fill(' ', LIMIT), /missing intercoopVersion/],
    ['newlines', fill('\n', LIMIT), new RegExp(`more than ${TOKENS} tokens`)],
    ['CRLF line breaks', fill('\r\n', LIMIT), new RegExp(`more than ${TOKENS} tokens`)],
    ['"- " (32,768 nested sequences)', fill('- ', LIMIT), new RegExp(`more than ${TOKENS} tokens`)],
    ['"[" (65,536 nested flow sequences)', fill('[', LIMIT), new RegExp(`more than ${TOKENS} tokens`)],
    ['"{" (65,536 nested flow mappings)', fill('{', LIMIT), new RegExp(`more than ${TOKENS} tokens`)],
    ['"a," in one flow sequence', `[${fill('a,', LIMIT - 2)}]`, new RegExp(`more than ${TOKENS} tokens`)],
    ['"k: v" lines (duplicate keys)', fill('k: v\n', LIMIT), new RegExp(`more than ${TOKENS} tokens`)],
    ['comment lines', fill('#\n', LIMIT), new RegExp(`more than ${TOKENS} tokens`)],
    ['one long line (a plain scalar)', fill('x', LIMIT), /missing intercoopVersion/],
    ['one long key (past the 1024 characters YAML allows an implicit key)', `${fill('k', LIMIT - 3)}: v`, /at most 1024 chars/],
    ['a long line of tabs after a comment start', `a: b #${fill('\t', LIMIT - 6)}`, /missing intercoopVersion/],
    ['a long line of tabs inside a quoted string', `a: "${fill('\t', LIMIT - 5)}"`, /missing intercoopVersion/],
  ])('%s: BadMessage 400', async (_what, body, detail) => {
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(LIMIT)
    badEnvelope(await activate(body), detail)
  })

  it('the same shapes as a signed payload (up to 48 KB after base64): BadFormat 400', async () => {
    const room = Math.floor((LIMIT - 600) * 3 / 4) // the envelope around it: keys and the signature
    for (const unit of ['\n', '- ', '[', '{', '*a ']) {
      badPayload(await activate(signed(fill(unit, room))), new RegExp(`more than ${TOKENS} tokens`))
    }
  })

  it('a mix of them, 64 KB each, one after the other, holds the bystanders within the budget', async () => {
    const bodies = ['\t', '\n', '- ', '[', '{', 'a,', '*a ', 'k: v\n', '#\n', '&a '].map(unit => fill(unit, LIMIT))
    for (const body of bodies) await activate(body) // compiled once, as in a running service: the budget is for the rest
    const report = await underBudget(service, async () => {
      for (let round = 0; round < 3; round++) {
        for (const body of bodies) expect((await activate(body)).status).toBe(400)
      }
    })
    console.log(describeBudget('intercoop: 30 × 64 KB of one YAML token', report))
    expectWithinBudget(report)
  })

  it('the worst text just under the token bound is parsed and refused within the budget', async () => {
    // as many tokens as allowed, of the costliest kinds: newlines, block items, aliases and anchors in errors
    const bodies = ['\n', '- a\n', '*a ', '&a ', 'k: v\n', '"k": "v"\n'].map(unit => fill(unit, TOKENS - 8))
    for (const body of bodies) await activate(body)
    const report = await underBudget(service, async () => {
      for (let round = 0; round < 3; round++) {
        for (const body of bodies) expect((await activate(body)).status).toBe(400)
      }
    })
    console.log(describeBudget('intercoop: 18 texts just under the token bound', report))
    expectWithinBudget(report)
  })
})

describe('the body limit (limits.intercoopMaxBodyBytes)', () => {
  /** A valid signed package, padded with a trailing comment to `size` bytes. */
  function paddedPackage (size: number): string {
    const envelope = signed(dumpYaml(payloadOf()))
    return `${envelope}#${'x'.repeat(size - envelope.length - 1)}`
  }

  it('a package of exactly the limit is accepted', async () => {
    const body = paddedPackage(LIMIT)
    expect(Buffer.byteLength(body)).toBe(LIMIT)
    const answer = await activate(body)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ uuid: expect.any(String), continuationUrl: expect.any(String) })
  })

  it('one byte over is BadMessage with code 413, announced or chunked', async () => {
    expectRefused(await activate(paddedPackage(LIMIT + 1)), 413, 'BadMessage', /too large/)
    const chunked = new ReadableStream({ start (controller) { controller.enqueue(Buffer.from(paddedPackage(LIMIT + 1))); controller.close() } })
    const response = await fetch(`${service.httpUrl}/intercoop/activateService`, { method: 'POST', body: chunked, duplex: 'half' } as RequestInit)
    expect(response.status).toBe(413)
    expect(parseYaml(await response.text())).toMatchObject({ error: 'BadMessage' })
  })
})

describe('deep nesting (limits.maxJsonDepth)', () => {
  it.each([
    ['flow sequences', `a: ${'['.repeat(DEPTH + 1)}${']'.repeat(DEPTH + 1)}\n`],
    ['flow mappings', `a: ${'{a: '.repeat(DEPTH + 1)}b${'}'.repeat(DEPTH + 1)}\n`],
    ['block sequences on one line', `a:\n${'- '.repeat(DEPTH + 1)}b\n`],
    ['indented block mappings', Array.from({ length: DEPTH + 1 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' b\n'],
  ])('%s one level past the bound: BadMessage in the envelope, BadFormat in the payload', async (_what, text) => {
    badEnvelope(await activate(text), new RegExp(`nested deeper than ${DEPTH} levels`))
    badPayload(await activate(signed(`originpeer: testsource\n${text}`)), new RegExp(`nested deeper than ${DEPTH} levels`))
  })

  it('nesting at the bound is accepted', async () => {
    const deep = `deep: ${'['.repeat(DEPTH - 1)}${']'.repeat(DEPTH - 1)}\n`
    expect((await activate(signed(dumpYaml(payloadOf()) + deep))).status).toBe(200)
  })
})

describe('encodings', () => {
  it('a body that is not UTF-8 (Latin-1, UTF-16 with its BOM) is BadMessage', async () => {
    badEnvelope(await activate(Buffer.from("intercoopVersion: '1.0'\nname: N\xfaria\n", 'latin1')), /not UTF-8/)
    badEnvelope(await activate(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(signed(dumpYaml(payloadOf())), 'utf16le')])), /not UTF-8/)
  })

  it('a payload that is not UTF-8 is BadMessage "Payload is not base64 coded UTF8" (reference §A1.4)', async () => {
    const payload = Buffer.from('originpeer: testsource\nname: N\xfaria\n', 'latin1').toString('base64')
    const answer = await activate(`intercoopVersion: '1.0'\npayload: ${payload}\nsignature: AAAA\n`)
    expectRefused(answer, 400, 'BadMessage', /Payload is not base64 coded UTF8/)
  })

  it('a UTF-8 BOM before the envelope is read as PyYAML reads it; one inside a key makes it another key', async () => {
    expect((await activate(`\uFEFF${signed(dumpYaml(payloadOf()))}`)).status).toBe(200)
    badEnvelope(await activate('\uFEFFintercoopVersion: \'1.0\'\n\uFEFFpayload: x\nsignature: y\n'), /missing payload/)
  })
})

describe('tags: nothing is constructed but plain data', () => {
  it.each([
    ['!!python/object/apply:os.system', 'x: !!python/object/apply:os.system ["touch /tmp/endo-vault-pwned"]\n'],
    ['!!python/object:', 'x: !!python/object:__main__.Exploit {cmd: id}\n'],
    ['!!python/name:', 'x: !!python/name:os.system\n'],
    ['a local tag', 'x: !Ref other\n'],
    ['!!binary', 'x: !!binary aGVsbG8=\n'],
    ['!!timestamp', 'x: !!timestamp 2024-01-01\n'],
    ['!!set', 'x: !!set {a, b}\n'],
    ['!!omap', 'x: !!omap [a: 1]\n'],
  ])('%s is refused: BadMessage in the envelope, BadFormat in the payload', async (_what, text) => {
    badEnvelope(await activate(text), /tag .* is not allowed/)
    badPayload(await activate(signed(`originpeer: testsource\n${text}`)), /tag .* is not allowed/)
  })

  it('the plain tags are accepted (!!str keeps a number a string)', async () => {
    expect((await activate(signed(dumpYaml(payloadOf()) + 'code: !!str 08012\nn: !!int 3\n'))).status).toBe(200)
  })
})

describe('values that cannot be held as sent', () => {
  it.each([
    ['an integer of 400 digits', `n: ${'9'.repeat(400)}\n`, /number 9+…? is out of range/],
    ['an integer past 2^53', 'n: 9007199254740993\n', /out of range/],
    ['a float past the double range', 'n: 1.0e+999\n', /out of range/],
    ['.inf', 'n: .inf\n', /out of range/],
    ['a mapping key that is a collection', '? [a, b]\n: c\n', /mapping key must be a scalar/],
    ['duplicate keys', 'k: 1\nk: 2\n', /Map keys must be unique/],
    ['a second document', 'k: 1\n---\nk: 2\n', /multiple documents/],
    ['an alias before its anchor', 'k: *nowhere\n', /alias/i],
    ['a merge of a scalar', 'k: {<<: 3}\n', /Merge sources must be maps/],
  ])('%s: BadMessage in the envelope, BadFormat in the payload', async (_what, text, detail) => {
    badEnvelope(await activate(`intercoopVersion: '1.0'\n${text}`), detail)
    badPayload(await activate(signed(`originpeer: testsource\n${text}`)), detail)
  })

  it('a 60 KB version string is answered WrongVersion with the string cut', async () => {
    const answer = await activate(`intercoopVersion: '${'9'.repeat(60_000)}'\n`)
    expectRefused(answer, 400, 'WrongVersion', /received 9+…$/)
  })

  it('an originpeer that is a list is BadPeer (403), not a walk over it', async () => {
    expectRefused(await activate(signed('originpeer: [a, [b, [c]]]\n')), 403, 'BadPeer', /'an array'/)
  })
})

describe('the process after all of it', () => {
  it('still activates a real package and leaves no 500 in its log', async () => {
    expect((await activate(signed(dumpYaml(payloadOf())))).status).toBe(200)
    expect(service.logLines.filter(line => line.includes('intercoop.request.failed'))).toEqual([])
  })
})

describe('a hostile peer answering our client (the source side)', () => {
  let peer: http.Server
  let peerUrl: string
  const answers: Record<string, (res: http.ServerResponse) => void> = {
    '/bomb': res => { res.writeHead(200, { 'content-type': 'application/yaml' }); res.end(listBomb(9, 9)) },
    '/deep': res => { res.writeHead(200, { 'content-type': 'application/yaml' }); res.end(fill('[', 60_000)) },
    '/python': res => { res.writeHead(400, { 'content-type': 'application/yaml' }); res.end('error: !!python/object/apply:os.system [id]\n') },
    '/huge': res => {
      const body = `uuid: ${'x'.repeat(10 * 1024 * 1024)}\n`
      res.writeHead(200, { 'content-type': 'application/yaml', 'content-length': String(body.length) })
      res.end(body)
    },
    '/streamed': res => {
      res.writeHead(200, { 'content-type': 'application/yaml' })
      const chunk = `# ${'x'.repeat(8190)}\n`
      let sent = 0
      const more = (): void => { if (sent++ < 1000 && res.write(chunk)) setImmediate(more); else if (sent <= 1000) res.once('drain', more); else res.end() }
      more()
    },
    '/trickle': res => { res.writeHead(200, { 'content-type': 'application/yaml' }); res.write('uuid: ') }, // never ends
    '/long-error': res => {
      res.writeHead(418, { 'content-type': 'application/yaml' })
      res.end(dumpYaml({ error: `Weird${'X'.repeat(30_000)}`, message: 'y'.repeat(30_000), arguments: ['z'.repeat(5000)] }))
    },
  }

  beforeAll(async () => {
    peer = http.createServer((req, res) => { req.resume(); (answers[req.url ?? ''] ?? (r => { r.writeHead(404); r.end() }))(res) })
    await new Promise<void>(resolve => peer.listen(0, '127.0.0.1', resolve))
    peerUrl = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    peer.closeAllConnections()
    await new Promise(resolve => peer.close(resolve))
  })

  const client = { fetch, timeoutMs: 1000, maxResponseBytes: LIMIT, yamlBounds: PEER_YAML_BOUNDS }

  it.each([
    ['an alias bomb', '/bomb', /Bad yaml response\n.*alias/s],
    ['64 KB of "["', '/deep', /Bad yaml response\n.*tokens/s],
    ['a python tag in an error', '/python', /Bad yaml response\n.*tag/s],
    ['10 MB announced', '/huge', /has 10485767 bytes, more than 65536/],
    ['8 MB streamed without a length', '/streamed', /longer than 65536 bytes/],
    ['a body that never ends', '/trickle', /aborted|timeout/i],
  ])('%s is a BackendError (502), within the timeout', async (_what, path, detail) => {
    const started = performance.now()
    const error = await callPeer(client, `${peerUrl}${path}`).then(() => undefined, (e: unknown) => e as { name: string, code: number, message: string })
    expect({ name: error?.name, code: error?.code }).toEqual({ name: 'BackendError', code: 502 })
    expect(error?.message).toMatch(detail)
    expect(performance.now() - started).toBeLessThan(client.timeoutMs + 1000)
  })

  it('a peer error of an unknown class keeps its name and message, cut', async () => {
    const error = await callPeer(client, `${peerUrl}/long-error`).then(() => undefined, (e: unknown) => e as { name: string, code: number, message: string, args: unknown[] })
    expect(error?.code).toBe(418)
    expect(error?.name.length).toBeLessThanOrEqual(65)
    expect(error?.message.length).toBeLessThanOrEqual(1001)
    expect(String(error?.args[0]).length).toBeLessThanOrEqual(1001)
  })
})
