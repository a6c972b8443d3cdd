import { createPrivateKey } from 'node:crypto'
import {
  activateService, catalogue, listConsentReceipts, parseYaml, previewActivation, producePackage, withdrawConsent,
  IntercoopError, type YamlValue,
} from '../../../src/core/intercoop/index.js'
import { get, introduce, post, startEntity, vectorFile, type RunningEntity } from './intercoop.fixture.js'

// Two endo-vault entities on 127.0.0.1, each with its own store file and peers directory, each
// having added the descriptor the other serves. A person of A activates B's "contract" service.
const person = 'person-of-a'
const values: Record<string, YamlValue> = {
  nif: '12345678Z', name: 'Ñandú, Núria', postalcode: '08012', peerroles: ['member', 'worker'], country: 'NO', email: 'nuria@example.coop',
}

let a: RunningEntity
let b: RunningEntity
const sent: string[] = []
const tokensSeen: string[] = []

beforeAll(async () => {
  a = await startEntity({ peerid: 'sourcecoop' })
  b = await startEntity({ peerid: 'targetcoop' })
  await introduce(a, b)
})
afterAll(async () => { await a.close(); await b.close() })

/** A's source deps, recording every body A sends (to replay and tamper with it). */
function sourceOfA () {
  return {
    ...a.source(),
    fetch: (async (url: string | URL | Request, init?: RequestInit) => {
      if (typeof init?.body === 'string') sent.push(init.body)
      return await fetch(url, init)
    }) as typeof fetch,
  }
}

describe('a person of A activates a service of B (reference §A0 sequence)', () => {
  let continuationUrl: string
  let consentId: string

  it('finds B and its services in A\'s catalogue, in the person\'s language', () => {
    const [peer] = catalogue(a.peers, 'es', a.peerid)
    expect(peer.peerid).toBe('targetcoop')
    expect(peer.services.map(s => [s.id, s.name])).toEqual([['contract', 'Contrata la luz'], ['newsletter', 'Newsletter']])
  })

  it('previews the fields, their labels, the person\'s actual values and B\'s privacy policy', async () => {
    const preview = await previewActivation(sourceOfA(), { person, peer: 'targetcoop', service: 'contract', values, lang: 'es' })
    consentId = preview.consentId
    expect(preview.privacyPolicyUrl).toBe('https://targetcoop.example.coop/es/privacidad')
    expect(preview.service).toEqual({ id: 'contract', name: 'Contrata la luz', description: 'Contratar luz' })
    expect(preview.fields).toEqual([
      { name: 'originpeer', label: 'Entidad de origen', value: 'sourcecoop' },
      { name: 'nif', label: 'NIF', value: '12345678Z' },
      { name: 'name', label: 'Nombre', value: 'Ñandú, Núria' },
      { name: 'postalcode', label: 'Código postal', value: '08012' },
      { name: 'peerroles', label: 'Relación con la entidad', value: ['member', 'worker'] },
      { name: 'country', label: 'País', value: 'NO' },
    ])
  })

  it('consents and activates: B answers a continuation URL on B', async () => {
    const result = await activateService(sourceOfA(), { person, consentId, values })
    continuationUrl = result.continuationUrl
    tokensSeen.push(continuationUrl.split('/').at(-1)!)
    expect(continuationUrl).toMatch(new RegExp(`^${b.targetUrl}/activateService/[0-9a-f-]{36}$`))
    expect(result.receipt).toMatchObject({ person, peerid: 'targetcoop', service: 'contract', withdrawnAt: null })
  })

  it('sent a signed package with the replay-hardening keys, in YAML 1.1-safe form', () => {
    const envelope = sent.at(-1)!
    expect(envelope).toMatch(/^intercoopVersion: '1\.0'\npayload: [A-Za-z0-9_-]+=*\nsignature: [A-Za-z0-9_-]+=*\n$/)
    const payloadYaml = Buffer.from(/payload: (.*)\n/.exec(envelope)![1], 'base64').toString('utf8')
    expect(payloadYaml).toMatch(/^originpeer: sourcecoop\nnif: 12345678Z\nname: Ñandú, Núria\npostalcode: '08012'\npeerroles:\n- member\n- worker\ncountry: 'NO'\nservice: contract\ntargetpeer: targetcoop\nissuedAt: '[^']+'\nexpiresAt: '[^']+'\nnonce: [0-9a-f]{32}\n$/)
  })

  it('B stored the data, sealed, for the contract service', async () => {
    const rows = await b.store.selectFrom('intercoop_received_data').select(['originpeer', 'service']).execute()
    expect(rows).toEqual([{ originpeer: 'sourcecoop', service: 'contract' }])
  })

  it('the continuation token gives B\'s page the data once: the fields of the service, nothing more', async () => {
    const answer = await get(continuationUrl)
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('application/yaml')
    const { email: _notForThisService, ...contractValues } = values
    const data = parseYaml(answer.text)
    expect(data).toMatchObject({ originpeer: 'sourcecoop', ...contractValues, targetpeer: 'targetcoop', service: 'contract' })
    expect(data).not.toHaveProperty('email')
  })

  it('then answers NoSuchUuid', async () => {
    const answer = await get(continuationUrl)
    const uuid = continuationUrl.split('/').at(-1)
    expect([answer.status, parseYaml(answer.text)]).toEqual([404,
      { error: 'NoSuchUuid', message: `No personal data available for uuid '${uuid}'`, arguments: [uuid] }])
  })

  it('A keeps a consent receipt: person, peer, service, field names, a hash of the values, the policy, the time', async () => {
    const [receipt] = await listConsentReceipts(a.source(), { person })
    expect(receipt).toEqual({
      id: expect.any(String),
      consentId,
      person,
      peerid: 'targetcoop',
      service: 'contract',
      fields: ['originpeer', 'nif', 'name', 'postalcode', 'peerroles', 'country'],
      valuesHash: expect.stringMatching(/^hmac-sha256:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/),
      privacyPolicyUrl: 'https://targetcoop.example.coop/es/privacidad',
      peerVersion: 1,
      activatedAt: expect.any(String),
      withdrawnAt: null,
      peerNotifiedAt: null,
    })
    expect(JSON.stringify(await a.store.selectFrom('intercoop_receipts').selectAll().execute())).not.toContain('12345678Z')
  })
})

describe('B refuses, over HTTP, with the documented errors', () => {
  it('a replayed package: ReplayedPackage 403', async () => {
    const answer = await post(`${b.targetUrl}/activateService`, sent.at(-1)!)
    expect(answer.status).toBe(403)
    expect((parseYaml(answer.text) as { error: string }).error).toBe('ReplayedPackage')
  })

  it('a tampered package: BadSignature 403', async () => {
    const envelope = sent.at(-1)!
    const payload = /payload: (.*)\n/.exec(envelope)![1]
    const tampered = Buffer.from(payload, 'base64').toString('utf8').replace('Ñandú, Núria', 'Someone Else')
    const answer = await post(`${b.targetUrl}/activateService`, envelope.replace(payload, Buffer.from(tampered).toString('base64url') + '='.repeat((4 - Buffer.from(tampered).toString('base64url').length % 4) % 4)))
    expect([answer.status, answer.contentType, answer.text]).toEqual([403, 'application/yaml',
      'error: BadSignature\nmessage: Signature verification failed, untrusted content\narguments: []\n'])
  })

  it('a wrong protocol version: WrongVersion 400', async () => {
    const answer = await post(`${b.targetUrl}/activateService`, sent.at(-1)!.replace("intercoopVersion: '1.0'", "intercoopVersion: '2.0'"))
    expect([answer.status, parseYaml(answer.text)]).toEqual([400,
      { error: 'WrongVersion', message: 'Wrong protocol version, expected 1.0, received 2.0', arguments: ['1.0', '2.0'] }])
  })

  it('an unknown peer: BadPeer 403', async () => {
    const stranger = producePackage({ originpeer: 'stranger', nif: '1' }, createPrivateKey(vectorFile.key.privateKeyPemTestOnly))
    const answer = await post(`${b.targetUrl}/activateService`, stranger)
    expect([answer.status, parseYaml(answer.text)]).toEqual([403,
      { error: 'BadPeer', message: "The entity 'stranger' is not a recognized one", arguments: ['stranger'] }])
  })
})

describe('an entity B does not know activates a service of B', () => {
  let c: RunningEntity
  beforeAll(async () => {
    c = await startEntity({ peerid: 'strangercoop' })
    await c.addPeer('targetcoop', await (await fetch(`${b.targetUrl}/peerDescriptor`)).text())
  })
  afterAll(async () => { await c.close() })

  it('gets B\'s BadPeer back as the same class, message, arguments and code', async () => {
    const preview = await previewActivation(c.source(), { person, peer: 'targetcoop', service: 'newsletter', values: { email: 'x@example.coop', lang: 'ca' }, lang: 'ca' })
    const activation = activateService(c.source(), { person, consentId: preview.consentId, values: { email: 'x@example.coop', lang: 'ca' } })
    await expect(activation).rejects.toBeInstanceOf(IntercoopError)
    await expect(activation).rejects.toMatchObject({
      name: 'BadPeer', message: "The entity 'strangercoop' is not a recognized one", args: ['strangercoop'], code: 403,
      details: { error: 'BadPeer', arguments: ['strangercoop'] },
    })
    expect(await listConsentReceipts(c.source(), { person })).toEqual([])
  })
})

describe('the person withdraws consent', () => {
  let withdrawnId: string

  it('marks the receipt withdrawn and tells B, which drops the data not yet collected', async () => {
    const preview = await previewActivation(sourceOfA(), { person, peer: 'targetcoop', service: 'newsletter', values: { email: 'n@example.coop', lang: 'ca' }, lang: 'ca' })
    const { receipt } = await activateService(sourceOfA(), { person, consentId: preview.consentId, values: { email: 'n@example.coop', lang: 'ca' } })
    const nonce = (await a.store.selectFrom('intercoop_receipts').select('nonce').where('id', '=', receipt.id).executeTakeFirstOrThrow()).nonce
    expect(await b.store.selectFrom('intercoop_received_data').select('nonce').where('nonce', '=', nonce).execute()).toHaveLength(1)

    withdrawnId = receipt.id
    const result = await withdrawConsent(a.source(), { person, receiptId: receipt.id })
    expect(result.peerNotified).toBe(true)
    expect(result.receipt.withdrawnAt).not.toBeNull()
    expect(result.receipt.peerNotifiedAt).not.toBeNull()
    expect(await b.store.selectFrom('intercoop_received_data').select('nonce').where('nonce', '=', nonce).execute()).toEqual([])
    expect(await b.store.selectFrom('intercoop_withdrawals').select(['originpeer', 'withdrawn_nonce', 'service']).execute())
      .toEqual([{ originpeer: 'sourcecoop', withdrawn_nonce: nonce, service: 'newsletter' }])
    const listed = await listConsentReceipts(a.source(), { person })
    expect(listed.find(r => r.id === receipt.id)?.withdrawnAt).toBe(result.receipt.withdrawnAt)
  })

  it('withdrawing again changes nothing', async () => {
    const before = (await listConsentReceipts(a.source(), { person })).find(r => r.id === withdrawnId)
    const again = await withdrawConsent(a.source(), { person, receiptId: withdrawnId })
    expect(again).toEqual({ receipt: before, peerNotified: true })
    expect(await b.store.selectFrom('intercoop_withdrawals').selectAll().execute()).toHaveLength(1)
  })
})

describe('the logs of both entities', () => {
  it('hold neither the person\'s values nor a continuation token', () => {
    const logs = a.logLines.join('') + b.logLines.join('')
    expect(logs).toContain('intercoop.activation.sent')
    expect(logs).toContain('intercoop.request.refused')
    for (const secret of ['12345678Z', 'Núria', 'nuria@example.coop', '/activateService/', ...tokensSeen]) expect(logs).not.toContain(secret)
  })
})
