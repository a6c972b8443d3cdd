import {
  activateService, listConsentReceipts, previewActivation, withdrawConsent, type IntercoopSourceDeps, type YamlValue,
} from '../../../src/core/intercoop/index.js'
import { descriptorOf, introduce, startEntity, type RunningEntity } from './intercoop.fixture.js'

const person = 'person-1'
const values: Record<string, YamlValue> = { email: 'p@example.coop', lang: 'ca' }

let a: RunningEntity
let b: RunningEntity
beforeAll(async () => {
  a = await startEntity({ peerid: 'sourcecoop' })
  b = await startEntity({ peerid: 'targetcoop' })
  await introduce(a, b)
})
afterAll(async () => { await a.close(); await b.close() })
afterEach(() => { a.clock.offsetMs = 0 })

async function preview (deps: IntercoopSourceDeps = a.source(), service = 'newsletter'): Promise<string> {
  return (await previewActivation(deps, { person, peer: 'targetcoop', service, values, lang: 'ca' })).consentId
}

/** Deps whose HTTP client answers every call with the given response. */
function answering (status: number, contentType: string | null, body: string): IntercoopSourceDeps {
  return {
    ...a.source(),
    fetch: (async () => new Response(body, { status, headers: contentType === null ? {} : { 'content-type': contentType } })) as typeof fetch,
  }
}

describe('a preview', () => {
  it('is refused for an unknown peer with NoSuchPeer 404', async () => {
    await expect(previewActivation(a.source(), { person, peer: 'ghost', service: 'x', values, lang: 'es' }))
      .rejects.toMatchObject({ name: 'NoSuchPeer', code: 404, message: "No intercoop peer 'ghost'" })
  })

  it('is refused for a service the peer does not offer with UnknownService 404', async () => {
    await expect(preview(a.source(), 'gas')).rejects.toMatchObject({ name: 'UnknownService', code: 404, message: "The entity 'targetcoop' offers no service 'gas'" })
  })

  it('shows a value the person lacks as null', async () => {
    const shown = await previewActivation(a.source(), { person, peer: 'targetcoop', service: 'newsletter', values: { email: 'p@example.coop' }, lang: 'en' })
    expect(shown.fields).toEqual([
      { name: 'originpeer', label: 'Source entity', value: 'sourcecoop' },
      { name: 'email', label: 'Email', value: 'p@example.coop' },
      { name: 'lang', label: 'Language', value: null },
    ])
  })

  it('stores a hash of the values, never the values', async () => {
    await preview()
    expect(JSON.stringify(await a.store.selectFrom('intercoop_consents').selectAll().execute())).not.toContain('p@example.coop')
  })
})

describe('an activation', () => {
  it('is refused when a value changed since the preview: ConsentValuesChanged 409, nothing sent', async () => {
    const consentId = await preview()
    let calls = 0
    const deps = { ...a.source(), fetch: (async () => { calls++; return new Response('') }) as typeof fetch }
    await expect(activateService(deps, { person, consentId, values: { ...values, email: 'other@example.coop' } }))
      .rejects.toMatchObject({ name: 'ConsentValuesChanged', code: 409 })
    expect(calls).toBe(0)
  })

  it('is refused for another person\'s consent with NoSuchConsent 404', async () => {
    const consentId = await preview()
    await expect(activateService(a.source(), { person: 'someone-else', consentId, values }))
      .rejects.toMatchObject({ name: 'NoSuchConsent', code: 404 })
  })

  it('is refused once the preview expired: ConsentExpired 410', async () => {
    const consentId = await preview()
    a.clock.offsetMs = 901_000
    await expect(activateService(a.source(), { person, consentId, values })).rejects.toMatchObject({ name: 'ConsentExpired', code: 410 })
  })

  it('uses a consent once: ConsentAlreadyUsed 409 the second time', async () => {
    const consentId = await preview()
    await activateService(a.source(), { person, consentId, values })
    await expect(activateService(a.source(), { person, consentId, values })).rejects.toMatchObject({ name: 'ConsentAlreadyUsed', code: 409 })
  })

  it('lets only one of two concurrent activations of a consent through', async () => {
    const consentId = await preview()
    const results = await Promise.allSettled([
      activateService(a.source(), { person, consentId, values }),
      activateService(a.source(), { person, consentId, values }),
    ])
    expect(results.map(r => r.status).sort()).toEqual(['fulfilled', 'rejected'])
  })

  it('rebuilds a YAML error of the peer as the same class, message and arguments, and the consent stays usable', async () => {
    const consentId = await preview()
    const refusal = answering(400, 'application/yaml', "error: MissingField\nmessage: Required field 'nif' missing on the payload\narguments:\n- nif\n")
    await expect(activateService(refusal, { person, consentId, values }))
      .rejects.toMatchObject({ name: 'MissingField', message: "Required field 'nif' missing on the payload", args: ['nif'], code: 400 })
    await expect(activateService(a.source(), { person, consentId, values })).resolves.toHaveProperty('continuationUrl')
  })

  it('keeps the name and message of an error class it does not know', async () => {
    const refusal = answering(403, 'application/yaml', 'error: ServiceClosed\nmessage: Not today\narguments: []\n')
    await expect(activateService(refusal, { person, consentId: await preview(), values }))
      .rejects.toMatchObject({ name: 'ServiceClosed', message: 'Not today', code: 403 })
  })

  it.each([
    ['an HTML 500 page (the upstream unknown-peer answer)', [500, 'text/html', '<html>500</html>'], 'Error comunicating with the other entity\nUnexpected response: HTTP 500, text/html'],
    ['a 200 without continuationUrl', [200, 'application/yaml', 'uuid: x\n'], 'Error comunicating with the other entity\nWrong content format'],
    ['a 200 that is not YAML', [200, 'application/yaml', '\tx'], 'Error comunicating with the other entity\nBad yaml response\nwhile scanning for the next token'],
    ['a 200 of another type', [200, 'text/plain', 'uuid: x\n'], 'Error comunicating with the other entity\nWrong mime type received: text/plain'],
  ] as const)('turns %s into BackendError 502', async (_what, [status, contentType, body], message) => {
    const activation = activateService(answering(status, contentType, body), { person, consentId: await preview(), values })
    await expect(activation).rejects.toMatchObject({ name: 'BackendError', code: 502 })
    await expect(activation).rejects.toThrow(message)
  })

  it('turns an unreachable peer into BackendError 502', async () => {
    await a.addPeer('deadcoop', descriptorOf('deadcoop', 'http://127.0.0.1:9/intercoop'))
    const consentId = (await previewActivation(a.source(), { person, peer: 'deadcoop', service: 'newsletter', values, lang: 'ca' })).consentId
    await expect(activateService(a.source(), { person, consentId, values })).rejects.toMatchObject({ name: 'BackendError', code: 502 })
  })
})

describe('a withdrawal', () => {
  it('is recorded even when the peer offers no withdrawal route, and says the peer was not told', async () => {
    const { receipt } = await activateService(a.source(), { person, consentId: await preview(), values })
    const result = await withdrawConsent(answering(200, 'application/yaml', "protocolVersion: '1.0'\n"), { person, receiptId: receipt.id })
    expect(result.peerNotified).toBe(false)
    expect(result.notifyError).toBeUndefined()
    expect(result.receipt.withdrawnAt).not.toBeNull()
    expect((await listConsentReceipts(a.source(), { person })).find(r => r.id === receipt.id)?.withdrawnAt).toBe(result.receipt.withdrawnAt)
  })

  it('is recorded when the peer cannot be reached, with the reason', async () => {
    const { receipt } = await activateService(a.source(), { person, consentId: await preview(), values })
    const result = await withdrawConsent(answering(500, 'text/html', '<html/>'), { person, receiptId: receipt.id })
    expect(result.peerNotified).toBe(false)
    expect(result.notifyError).toEqual({ error: 'BackendError', message: 'Error comunicating with the other entity\nUnexpected response: HTTP 500, text/html', arguments: ['Unexpected response: HTTP 500, text/html'] })
    expect(result.receipt.withdrawnAt).not.toBeNull()
  })

  it('is refused for another person\'s receipt with NoSuchReceipt 404', async () => {
    const { receipt } = await activateService(a.source(), { person, consentId: await preview(), values })
    await expect(withdrawConsent(a.source(), { person: 'someone-else', receiptId: receipt.id })).rejects.toMatchObject({ name: 'NoSuchReceipt', code: 404 })
  })
})
