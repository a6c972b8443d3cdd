// Intercoop between two endo-vault services over real sockets (issue 7 acceptance): a person on A
// sends jobs over MQTT to preview, consent to and activate a service of B; B keeps the data under a
// single-use token; receipts and withdrawal; and B's refusals reach the person as the job's reply
// with B's error class and message (reference intercoop-auroral §A2).
import type { TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'
import fs from 'node:fs'
import path from 'node:path'
import { createPrivateKey } from 'node:crypto'
import { parseYaml, producePackage } from '../../src/core/intercoop/index.js'
import { addPeer, dataOf, editedDescriptor, get, introduce, removePeer, servedDescriptor, startEntityService, targetDescriptor } from './intercoop.fixture.js'

const profile = {
  sub: 'nuria',
  name: 'Núria Ñandú',
  given_name: 'Núria',
  family_name: 'Ñandú',
  email: 'nuria@example.coop',
  phone_number: '+34 600 000 000',
  locale: 'es-ES',
  nif: '12345678Z',
  address: { street_address: 'Carrer Major 1', postal_code: '08012', locality: 'Barcelona', region: 'Barcelona', country: 'es' },
}

let a: TestService
let b: TestService
let person: Person
const accountId = 'nuria-account'

beforeAll(async () => {
  ;[a, b] = await Promise.all([
    startEntityService({ peerid: 'sourcecoop' }),
    startEntityService({ peerid: 'targetcoop', descriptor: targetDescriptor('targetcoop') }),
  ])
  await introduce(a, b)
  person = await onboardPerson(a, { accountId, username: 'nuria', profile })
})
afterAll(async () => {
  await person?.end()
  await a?.stop()
  await b?.stop()
})

async function preview (service = 'contract', extra: Record<string, unknown> = {}): Promise<any> {
  return await person.sendJob('PreviewIntercoopActivation', { peer: 'targetcoop', service, ...extra })
}

describe('the descriptor B serves', () => {
  it('is YAML with B\'s bound target URL and public key, under Content-Type application/yaml', async () => {
    const response = await get(`${b.httpUrl}/intercoop/peerDescriptor`)
    expect(response.contentType).toBe('application/yaml')
    const descriptor = parseYaml(response.text) as Record<string, any>
    expect(descriptor).toMatchObject({ peerid: 'targetcoop', targetUrl: `${b.httpUrl}/intercoop`, peerVersion: 3 })
    expect(descriptor.publickey).toMatch(/^-----BEGIN PUBLIC KEY-----/)
  })

  it('is what A lists after adding it to its peers directory', async () => {
    expect(a.intercoop.peers.list().map(peer => peer.peerid)).toEqual(['targetcoop'])
  })
})

describe('the target API is mounted before any body parser', () => {
  it('answers a JSON-typed body that is not a package with a YAML BadMessage, not the app\'s JSON error', async () => {
    const response = await fetch(`${b.httpUrl}/intercoop/activateService`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"not":"a package"}' })
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('application/yaml')
    expect(parseYaml(await response.text())).toMatchObject({ error: 'BadMessage' })
  })

  it('answers GET protocolVersion with 1.0 and the extensions it offers', async () => {
    const response = await get(`${b.httpUrl}/intercoop/protocolVersion`)
    expect(parseYaml(response.text)).toEqual({ protocolVersion: '1.0', extensions: ['replayProtection', 'serviceField', 'withdrawConsent'] })
  })
})

describe('a person of A activates B\'s contract service (reference §A0 sequence)', () => {
  let consentId: string
  let continuationUrl: string
  let receiptId: string

  it('finds B and its services in the catalogue, in the language of the profile\'s locale', async () => {
    const data = dataOf(await person.sendJob('ListIntercoopServices', {}))
    expect(data.lang).toBe('es')
    expect(data.peers).toHaveLength(1)
    expect(data.peers[0]).toMatchObject({ peerid: 'targetcoop', name: 'Target SCCL', description: 'Cooperativa de energía', privacyPolicyUrl: 'https://target.example.coop/es/privacidad' })
    expect(data.peers[0].services.map((s: any) => [s.id, s.name])).toEqual([['contract', 'Contrata la luz'], ['newsletter', 'Newsletter']])
    expect(data.peers[0].services[1].fields).toEqual([{ name: 'email', label: 'Correo electrónico' }, { name: 'lang', label: 'Idioma' }])
  })

  it('finds the catalogue in another language when the job asks for it', async () => {
    const data = dataOf(await person.sendJob('ListIntercoopServices', { lang: 'en' }))
    expect(data.peers[0].services[0]).toMatchObject({ name: 'Electricity contract', description: 'Sign a green electricity contract' })
  })

  it('previews each field with its label and the person\'s actual profile value, and B\'s privacy policy', async () => {
    const data = dataOf(await preview())
    consentId = data.consentId
    expect(data.peer).toEqual({ peerid: 'targetcoop', name: 'Target SCCL', logo: 'https://target.example.coop/logo.png', url: 'https://target.example.coop/es' })
    expect(data.service).toEqual({ id: 'contract', name: 'Contrata la luz', description: 'Contratar luz verde' })
    expect(data.privacyPolicyUrl).toBe('https://target.example.coop/es/privacidad')
    expect(data.fields).toEqual([
      { name: 'originpeer', label: 'Entidad de origen', value: 'sourcecoop', source: 'entity' },
      { name: 'nif', label: 'NIF', value: '12345678Z', source: 'profile' },
      { name: 'name', label: 'Nombre', value: 'Ñandú, Núria', source: 'profile' },
      { name: 'postalcode', label: 'Código postal', value: '08012', source: 'profile' },
      { name: 'city', label: 'Municipio', value: 'Barcelona', source: 'profile' },
      { name: 'country', label: 'País', value: 'ES', source: 'profile' },
      { name: 'email', label: 'Correo electrónico', value: 'nuria@example.coop', source: 'profile' },
    ])
  })

  it('consents and activates: the reply carries B\'s continuation URL and the receipt', async () => {
    const data = dataOf(await person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'contract', consentId }))
    continuationUrl = data.continuationUrl
    receiptId = data.receipt.id
    expect(continuationUrl).toMatch(new RegExp(`^${b.httpUrl}/intercoop/activateService/[0-9a-f-]{36}$`))
    expect(data.receipt).toMatchObject({
      consentId, peerid: 'targetcoop', service: 'contract', fields: ['originpeer', 'nif', 'name', 'postalcode', 'city', 'country', 'email'],
      privacyPolicyUrl: 'https://target.example.coop/es/privacidad', peerVersion: 3, withdrawnAt: null, peerNotifiedAt: null,
    })
    expect(data.receipt.valuesHash).toMatch(/^hmac-sha256:/)
    expect(data.receipt).not.toHaveProperty('person')
  })

  it('opens the continuation URL once: B hands out exactly the previewed values', async () => {
    const response = await get(continuationUrl)
    expect(response.status).toBe(200)
    expect(response.contentType).toBe('application/yaml')
    expect(parseYaml(response.text)).toMatchObject({
      originpeer: 'sourcecoop', nif: '12345678Z', name: 'Ñandú, Núria', postalcode: '08012', city: 'Barcelona', country: 'ES',
      email: 'nuria@example.coop', service: 'contract', targetpeer: 'targetcoop',
    })
  })

  it('answers the continuation URL a second time with NoSuchUuid 404', async () => {
    const token = continuationUrl.split('/').at(-1) as string
    const response = await get(continuationUrl)
    expect(response.status).toBe(404)
    expect(response.contentType).toBe('application/yaml')
    expect(parseYaml(response.text)).toEqual({ error: 'NoSuchUuid', message: `No personal data available for uuid '${token}'`, arguments: [token] })
  })

  it('writes the token into neither service\'s log', () => {
    const token = continuationUrl.split('/').at(-1) as string
    expect(a.logLines.join('\n')).not.toContain(token)
    expect(b.logLines.join('\n')).not.toContain(token)
  })

  it('refuses the same consent id a second time with ConsentAlreadyUsed 409', async () => {
    const reply = await person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'contract', consentId })
    expect(reply.metadata).toMatchObject({ code: 409, error: { name: 'ConsentAlreadyUsed', message: `The consent '${consentId}' was already used; preview the activation again` } })
  })

  it('lists the consent receipt', async () => {
    const { receipts } = dataOf(await person.sendJob('ListConsentReceipts', {}))
    expect(receipts).toHaveLength(1)
    expect(receipts[0]).toMatchObject({ id: receiptId, consentId, peerid: 'targetcoop', service: 'contract', withdrawnAt: null })
  })

  it('withdraws the consent, and B is told (its API offers withdrawConsent)', async () => {
    const data = dataOf(await person.sendJob('WithdrawConsent', { receiptId }))
    expect(data.peerNotified).toBe(true)
    expect(data.receipt.withdrawnAt).toEqual(expect.any(String))
    expect(data.receipt.peerNotifiedAt).toEqual(expect.any(String))
    const rows = await b.store.selectFrom('intercoop_withdrawals').select(['originpeer', 'service']).execute()
    expect(rows).toEqual([{ originpeer: 'sourcecoop', service: 'contract' }])
    const { receipts } = dataOf(await person.sendJob('ListConsentReceipts', {}))
    expect(receipts[0].withdrawnAt).toBe(data.receipt.withdrawnAt)
  })

  it('answers an unknown receipt with NoSuchReceipt 404', async () => {
    const reply = await person.sendJob('WithdrawConsent', { receiptId: 'no-such-receipt' })
    expect(reply.metadata).toMatchObject({ code: 404, error: { name: 'NoSuchReceipt', message: "No consent receipt 'no-such-receipt' for this person" } })
  })
})

describe('values that change after the preview', () => {
  afterAll(async () => {
    await a.endo.onboarding.upsertCredentialsDevice({ provider: 'test', accountId, username: 'nuria', profile, tokens: {} })
  })

  it('need a new preview: the activation is refused with ConsentValuesChanged 409 and nothing is sent', async () => {
    const { consentId } = dataOf(await preview())
    await a.endo.onboarding.upsertCredentialsDevice({ provider: 'test', accountId, username: 'nuria', profile: { ...profile, email: 'nuria@new.example.coop' }, tokens: {} })
    const before = await b.store.selectFrom('intercoop_received_data').select('token_hash').execute()
    const reply = await person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'contract', consentId })
    expect(reply.metadata).toMatchObject({ code: 409, error: { name: 'ConsentValuesChanged', message: `The values changed since consent '${consentId}' was given; preview the activation again` } })
    expect(await b.store.selectFrom('intercoop_received_data').select('token_hash').execute()).toEqual(before)
  })

  it('activate after a new preview, which shows the new value', async () => {
    const data = dataOf(await preview())
    expect(data.fields.find((f: any) => f.name === 'email').value).toBe('nuria@new.example.coop')
    const activated = dataOf(await person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'contract', consentId: data.consentId }))
    expect(parseYaml((await get(activated.continuationUrl)).text)).toMatchObject({ email: 'nuria@new.example.coop' })
  })
})

describe('values from the person\'s vault', () => {
  it('fill the fields their slots are named after, over the profile\'s', async () => {
    dataOf(await person.sendJob('CreateTemplate', { label: 'Personal details', slots: [{ name: 'nif' }, { name: 'postal_code' }] }), 201)
    dataOf(await person.sendJob('CreateItem', { template_name: 'personal_details', label: 'Me', slots: [{ name: 'nif', value: '87654321X' }, { name: 'postal_code', value: '08001' }] }), 201)
    const { fields } = dataOf(await preview())
    expect(fields.filter((f: any) => ['nif', 'postalcode', 'email'].includes(f.name))).toEqual([
      { name: 'nif', label: 'NIF', value: '87654321X', source: 'vault' },
      { name: 'postalcode', label: 'Código postal', value: '08001', source: 'vault' },
      { name: 'email', label: 'Correo electrónico', value: 'nuria@example.coop', source: 'profile' },
    ])
  })
})

describe('refusals from B reach the person as the job\'s reply, with B\'s class and message (§A2)', () => {
  it('activating a service B does not offer (A\'s copy of B\'s descriptor is stale) is UnknownService 404', async () => {
    const stale = editedDescriptor(await servedDescriptor(b), descriptor => {
      descriptor.services.solar = { name: 'Placas solares', description: 'Autoconsumo', fields: ['nif', 'email'] }
    })
    await addPeer(a, 'targetcoop', stale)
    try {
      const { consentId } = dataOf(await preview('solar'))
      const reply = await person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'solar', consentId })
      expect(reply.metadata).toMatchObject({ code: 404, status: 'Not Found', error: { name: 'UnknownService', message: "The entity 'targetcoop' offers no service 'solar'" } })
    } finally {
      await addPeer(a, 'targetcoop', await servedDescriptor(b))
    }
  })

  it('activating once B no longer knows A is BadPeer 403', async () => {
    const { consentId } = dataOf(await preview('newsletter'))
    await removePeer(b, 'sourcecoop')
    try {
      const reply = await person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'newsletter', consentId })
      expect(reply.metadata).toMatchObject({ code: 403, error: { name: 'BadPeer', message: "The entity 'sourcecoop' is not a recognized one" } })
    } finally {
      await addPeer(b, 'sourcecoop', await servedDescriptor(a))
    }
    // the refused consent is still good once B knows A again
    const data = dataOf(await person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'newsletter', consentId }))
    expect(parseYaml((await get(data.continuationUrl)).text)).toMatchObject({ originpeer: 'sourcecoop', email: 'nuria@example.coop', lang: 'es' })
  })

  it('a peer that does not answer is BackendError 502', async () => {
    const unreachable = editedDescriptor(await servedDescriptor(b), descriptor => {
      descriptor.peerid = 'deadcoop'
      descriptor.targetUrl = 'http://127.0.0.1:1/intercoop'
    })
    await addPeer(a, 'deadcoop', unreachable)
    try {
      const { consentId } = dataOf(await person.sendJob('PreviewIntercoopActivation', { peer: 'deadcoop', service: 'newsletter' }))
      const reply = await person.sendJob('ActivateIntercoopService', { peer: 'deadcoop', service: 'newsletter', consentId })
      expect(reply.metadata).toMatchObject({ code: 502, status: 'Bad Gateway', error: { name: 'BackendError' } })
      expect(reply.metadata.error.message).toMatch(/^Error comunicating with the other entity\nhttp:\/\/127\.0\.0\.1:1\/intercoop\/activateService: /)
    } finally {
      await removePeer(a, 'deadcoop')
    }
  })
})

describe('requests A refuses itself', () => {
  it('a preview for a peer A does not know is NoSuchPeer 404', async () => {
    const reply = await person.sendJob('PreviewIntercoopActivation', { peer: 'nobody', service: 'contract' })
    expect(reply.metadata).toMatchObject({ code: 404, error: { name: 'NoSuchPeer', message: "No intercoop peer 'nobody'" } })
  })

  it('an activation naming another service than the preview\'s is NoSuchConsent 404', async () => {
    const { consentId } = dataOf(await preview())
    const reply = await person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'newsletter', consentId })
    expect(reply.metadata).toMatchObject({ code: 404, error: { name: 'NoSuchConsent', message: `No consent '${consentId}' for this person` } })
  })

  it('another person cannot use someone\'s consent id', async () => {
    const { consentId } = dataOf(await preview())
    const other = await onboardPerson(a, { profile })
    try {
      const reply = await other.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'contract', consentId })
      expect(reply.metadata).toMatchObject({ code: 404, error: { name: 'NoSuchConsent' } })
    } finally {
      await other.end()
    }
  })
})

describe('packages B refuses at its target API (issue 7 acceptance)', () => {
  /** A package signed with A's own key, as A would send it to B's newsletter service. */
  function packageOfA (extra: Record<string, string> = {}): string {
    const key = createPrivateKey(fs.readFileSync(path.join(a.dataDir, 'intercoop', 'private-key.pem'), 'utf8'))
    const now = Date.now()
    return producePackage({
      originpeer: 'sourcecoop', email: 'nuria@example.coop', lang: 'es', service: 'newsletter', targetpeer: 'targetcoop',
      issuedAt: new Date(now).toISOString(), expiresAt: new Date(now + 60_000).toISOString(), nonce: `nonce${now}`, ...extra,
    }, key)
  }

  async function send (body: string): Promise<{ status: number, contentType: string | null, answer: any }> {
    const response = await fetch(`${b.httpUrl}/intercoop/activateService`, { method: 'POST', body })
    return { status: response.status, contentType: response.headers.get('content-type'), answer: parseYaml(await response.text()) }
  }

  it('a replayed package is ReplayedPackage 403', async () => {
    const envelope = packageOfA()
    expect((await send(envelope)).status).toBe(200)
    const replayed = await send(envelope)
    expect(replayed).toMatchObject({ status: 403, contentType: 'application/yaml', answer: { error: 'ReplayedPackage' } })
  })

  it('a tampered package is BadSignature 403', async () => {
    const envelope = packageOfA()
    const payload = /payload: (.*)\n/.exec(envelope)![1]
    const tampered = Buffer.from(Buffer.from(payload, 'base64').toString('utf8').replace('nuria@example.coop', 'mallory@example.coop')).toString('base64url')
    const padded = tampered + '='.repeat((4 - tampered.length % 4) % 4)
    expect(await send(envelope.replace(payload, padded))).toMatchObject({
      status: 403, answer: { error: 'BadSignature', message: 'Signature verification failed, untrusted content', arguments: [] },
    })
  })

  it('a package from a peer B does not know is BadPeer 403', async () => {
    expect(await send(packageOfA({ originpeer: 'strangercoop' }))).toMatchObject({
      status: 403, answer: { error: 'BadPeer', message: "The entity 'strangercoop' is not a recognized one", arguments: ['strangercoop'] },
    })
  })

  it('a package of another protocol version is WrongVersion 400', async () => {
    expect(await send(packageOfA().replace("intercoopVersion: '1.0'", "intercoopVersion: '2.0'"))).toMatchObject({
      status: 400, answer: { error: 'WrongVersion', message: 'Wrong protocol version, expected 1.0, received 2.0', arguments: ['1.0', '2.0'] },
    })
  })

  it('a package addressed to another entity is WrongTargetPeer 403', async () => {
    expect(await send(packageOfA({ targetpeer: 'othercoop' }))).toMatchObject({ status: 403, answer: { error: 'WrongTargetPeer' } })
  })
})
