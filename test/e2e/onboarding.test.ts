// Onboarding through a real OpenID Connect provider (oidc-provider, in process on 127.0.0.1) with
// passport-oauth2: the journey from /auth/api to a job answered by the new user device, the state
// checks, the owner check and the /credentials routes (meshblu-endo §5.2–§5.3).
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js'
import { Browser } from '../support/oidc-provider-browser.js'
import { basicAuth, onboardThroughProvider, registerDevice, sendJobFrom, type Device, type OnboardedPerson } from '../support/oidc-provider-person.js'
import { startTestService, type TestService } from '../support/test-service.js'
import { recordReceived, watchSecret } from '../support/leak-scan.js'
import { connectDevice, type MqttDevice } from '../support/mqtt-device.js'

let oidc: TestOidcProvider
let service: TestService
/** Every HTTP answer body and MQTT reply this suite saw. */
const seen: string[] = []
/** Every provider token the service held at some point, and the client secret. */
const providerSecrets = new Set<string>()

async function rememberTokens (credentialsUuid: string): Promise<void> {
  const credentials = (await service.endo.credentials.open(credentialsUuid)).secrets.credentials ?? {}
  for (const token of [credentials.accessToken, credentials.refreshToken]) {
    if (typeof token === 'string') { providerSecrets.add(token); watchSecret(token) }
  }
}

async function http (path: string, init: { method?: string, headers?: Record<string, string>, body?: unknown } = {}): Promise<{ status: number, body: any, text: string }> {
  const response = await fetch(`${service.httpUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...init.headers, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await response.text()
  seen.push(text)
  recordReceived(text)
  let body: any
  try { body = JSON.parse(text) } catch { body = undefined }
  return { status: response.status, body, text }
}

async function onboard (account: string, options: { owner?: Device, browser?: Browser } = {}): Promise<OnboardedPerson> {
  const person = await onboardThroughProvider(service, oidc, account, options)
  seen.push(person.answer.text)
  await rememberTokens(person.credentialsUuid)
  return person
}

beforeAll(async () => {
  oidc = await startOidcProvider()
  providerSecrets.add(oidc.clientSecret)
  watchSecret(oidc.clientSecret)
  service = await startTestService({ oauth: oidc.oauthConfig })
  oidc.registerClient(`${service.httpUrl}/auth/api/callback`)
})
afterAll(async () => { await service?.stop(); await oidc?.close() })

describe('meshblu-endo §5.2: a person who authorizes at the provider', () => {
  let alice: OnboardedPerson
  beforeAll(async () => { alice = await onboard('alice') })
  afterAll(async () => { await alice.end() })

  it('is answered 201 with the new user device (uuid, token) and the credentials device', () => {
    expect(alice.answer.status).toBe(201)
    expect(alice.answer.headers.get('content-type')).toMatch(/^application\/json/)
    expect(alice.answer.headers.get('cache-control')).toBe('no-store')
    expect(Object.keys(alice.answer.json()).sort()).toEqual(['credentialsUuid', 'token', 'uuid'])
    expect(alice.user.uuid).not.toBe(alice.credentialsUuid)
  })

  it('gets a user device whose token connects over MQTT, and a flow device it whitelisted gets Echo answered by it', async () => {
    // onboardThroughProvider connected U with its token and had U add F to its own message.from
    expect(alice.userClient.client.connected).toBe(true)
    const reply = await alice.sendJob('Echo', { text: 'hello from a flow' })
    seen.push(JSON.stringify(reply))
    expect(reply.fromUuid).toBe(alice.user.uuid)
    expect(reply.metadata).toMatchObject({ code: 200, status: 'OK' })
    expect(reply.data).toEqual({ text: 'hello from a flow', username: 'alice' })
  })

  it('has the provider tokens and the userinfo profile stored in the credentials device\'s encrypted blob only', async () => {
    const blob = (await service.endo.credentials.open(alice.credentialsUuid))
    const stored = blob.secrets.credentials ?? {}
    expect(typeof stored.accessToken).toBe('string')
    expect(typeof stored.refreshToken).toBe('string') // notes 3: prompt=consent + offline_access
    expect(stored.expiresAt).toBeGreaterThan(Date.now())
    expect(stored.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access']))
    expect(blob.profile).toMatchObject({ sub: 'alice', email: 'alice@example.org', preferred_username: 'alice' })
    const document = JSON.stringify((await service.bus.registry.get(alice.credentialsUuid)))
    expect(document).not.toContain(stored.accessToken)
    expect(document).not.toContain(stored.refreshToken)
  })

  it('leaves no state behind: the used callback URL is refused', async () => {
    const again = await alice.browser.request(alice.answer.url, { headers: { accept: 'application/json' } })
    seen.push(again.text)
    expect(again.status).toBe(403)
  })
})

describe('meshblu-endo §5.3: authorizing the same provider account again', () => {
  let first: OnboardedPerson
  let second: OnboardedPerson
  beforeAll(async () => {
    first = await onboard('bob')
    second = await onboard('bob', { owner: first.owner })
  })
  afterAll(async () => { await first.end(); await second.end() })

  it('reuses its credentials device and answers with another user device', () => {
    expect(second.credentialsUuid).toBe(first.credentialsUuid)
    expect(second.user.uuid).not.toBe(first.user.uuid)
  })

  it('stores the new tokens, and both user devices run jobs with them', async () => {
    expect((await service.endo.credentials.open(first.credentialsUuid)).secrets.credentials?.accessToken).not.toBe(undefined)
    const [a, b] = await Promise.all([first.sendJob('Echo', { text: 'one' }), second.sendJob('Echo', { text: 'two' })])
    seen.push(JSON.stringify(a), JSON.stringify(b))
    expect(a).toMatchObject({ fromUuid: first.user.uuid, data: { text: 'one', username: 'bob' } })
    expect(b).toMatchObject({ fromUuid: second.user.uuid, data: { text: 'two', username: 'bob' } })
  })

  it('makes a different account a different credentials device', async () => {
    const carol = await onboard('carol')
    expect(carol.credentialsUuid).not.toBe(first.credentialsUuid)
    await carol.end()
  })
})

describe('a browser (Accept: text/html)', () => {
  it('gets a small HTML page naming its new device, not cached', async () => {
    const browser = new Browser()
    oidc.nextAccount = 'dora'
    const callback = await browser.authorize(service.httpUrl)
    const page = await browser.request(callback, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
    seen.push(page.text)
    expect(page.status).toBe(201)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.text).toMatch(/<code>[0-9a-f-]{36}<\/code>/)
  })
})

describe('a callback whose state is wrong', () => {
  let browser: Browser
  let callback: string
  beforeAll(async () => {
    browser = new Browser()
    oidc.nextAccount = 'eve'
    callback = await browser.authorize(service.httpUrl)
  })

  it('is refused with 403 and a message naming the state', async () => {
    const url = new URL(callback)
    url.searchParams.set('state', 'not-the-state-we-sent')
    const answer = await browser.request(url.href, { headers: { accept: 'application/json' } })
    seen.push(answer.text)
    expect(answer.status).toBe(403)
    expect(answer.json().error).toMatch(/^Unable to verify the authorization request state/)
  })

  it('is refused with 403 when the state comes back to a browser that did not start it (no state cookie)', async () => {
    oidc.nextAccount = 'eve'
    const other = new Browser()
    const started = await other.authorize(service.httpUrl)
    const stranger = new Browser()
    const answer = await stranger.request(started, { headers: { accept: 'application/json' } })
    seen.push(answer.text)
    expect(answer.status).toBe(403)
    expect(answer.json().error).toMatch(/started by another browser/)
  })

  it('spends nothing: the right state from the right browser still completes afterwards', async () => {
    const answer = await browser.request(callback, { headers: { accept: 'application/json' } })
    seen.push(answer.text)
    expect(answer.status).toBe(201)
    await rememberTokens(answer.json().credentialsUuid)
  })

  it('without code and state is answered 400', async () => {
    const answer = await http('/auth/api/callback', { headers: { accept: 'application/json' } })
    expect(answer.status).toBe(400)
  })
})

describe('GET /auth/api?owner=<uuid>', () => {
  it('redirects to the provider with state, PKCE S256, prompt=consent and the openid scope', async () => {
    const owner = await registerDevice(service, 'person')
    const answer = await new Browser().request(`${service.httpUrl}/auth/api?owner=${owner.uuid}`, { headers: basicAuth(owner) })
    expect(answer.status).toBe(302)
    const location = new URL(answer.headers.get('location') as string)
    expect(location.origin + location.pathname).toBe(oidc.oauthConfig.authorizationUrl)
    expect(location.searchParams.get('code_challenge_method')).toBe('S256')
    expect(location.searchParams.get('prompt')).toBe('consent')
    expect(location.searchParams.get('state')).toMatch(/^[\w-]{32}$/)
    expect(location.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access']))
    expect(answer.headers.getSetCookie().join()).toMatch(/HttpOnly/i)
  })

  it('is refused with 403 unless the request authenticates as that device', async () => {
    const owner = await registerDevice(service, 'person')
    const someoneElse = await registerDevice(service, 'person')
    for (const headers of [{}, basicAuth(someoneElse), basicAuth({ uuid: owner.uuid, token: 'wrong' })]) {
      const answer = await http(`/auth/api?owner=${owner.uuid}`, { headers })
      expect(answer.status).toBe(403)
      expect(answer.body.error).toMatch(/owner must authenticate as itself/)
    }
  })
})

describe('meshblu-endo §5.2: /credentials/:uuid', () => {
  let frank: OnboardedPerson
  let stranger: Device
  let auth: Record<string, string>
  beforeAll(async () => {
    frank = await onboard('frank')
    stranger = await registerDevice(service, 'person')
    auth = basicAuth(frank.owner)
  })
  afterAll(async () => { await frank.end() })

  it('answers the owner with the credentials device and its account name', async () => {
    const answer = await http(`/credentials/${frank.credentialsUuid}`, { headers: auth })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ uuid: frank.credentialsUuid, username: 'frank' })
  })

  it('lists the user devices', async () => {
    const answer = await http(`/credentials/${frank.credentialsUuid}/user-devices`, { headers: auth })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual([{ uuid: frank.user.uuid }])
  })

  describe('a user device created for a flow', () => {
    let created: Device
    let flowClient: MqttDevice
    beforeAll(async () => {
      const flow = await registerDevice(service, 'flow')
      flowClient = await connectDevice(service.mqttPort, flow.uuid, flow.token)
      const answer = await http(`/credentials/${frank.credentialsUuid}/user-devices`, { method: 'POST', headers: auth, body: { name: 'frank\'s phone', flows: [flow.uuid] } })
      expect(answer.status).toBe(201)
      created = answer.body
    })
    afterAll(async () => { await flowClient.end() })

    it('is answered 201 with its uuid and token, and listed', async () => {
      expect(Object.keys(created).sort()).toEqual(['token', 'uuid'])
      const list = await http(`/credentials/${frank.credentialsUuid}/user-devices`, { headers: auth })
      expect(list.body).toEqual(expect.arrayContaining([{ uuid: frank.user.uuid }, { uuid: created.uuid }]))
    })

    it('answers the flow\'s jobs', async () => {
      const reply = await sendJobFrom(flowClient, created.uuid, 'Echo', { text: 'via the new device' })
      seen.push(JSON.stringify(reply))
      expect(reply).toMatchObject({ fromUuid: created.uuid, metadata: { code: 200 }, data: { username: 'frank' } })
    })

    it('once revoked (204), is no longer listed and its jobs go unanswered', async () => {
      const revoked = await http(`/credentials/${frank.credentialsUuid}/user-devices/${created.uuid}`, { method: 'DELETE', headers: auth })
      expect(revoked.status).toBe(204)
      const list = await http(`/credentials/${frank.credentialsUuid}/user-devices`, { headers: auth })
      expect(list.body).toEqual([{ uuid: frank.user.uuid }])
      await expect(sendJobFrom(flowClient, created.uuid, 'Echo', { text: 'anyone?' }, 700)).rejects.toThrow(/nothing arrived/)
    })
  })

  it('refuses to revoke the credentials device itself with 403', async () => {
    const answer = await http(`/credentials/${frank.credentialsUuid}/user-devices/${frank.credentialsUuid}`, { method: 'DELETE', headers: auth })
    expect(answer.status).toBe(403)
  })

  it('refuses a bad body with 422', async () => {
    const answer = await http(`/credentials/${frank.credentialsUuid}/user-devices`, { method: 'POST', headers: auth, body: { flows: 'everyone' } })
    expect(answer.status).toBe(422)
  })

  it('answers anyone not authorized — another device, no credentials, a wrong token — 404 "credentials device not found"', async () => {
    const callers = [basicAuth(stranger), {}, basicAuth({ uuid: frank.owner.uuid, token: 'wrong' }), basicAuth(frank.user)]
    for (const headers of callers) {
      for (const [method, path] of [['GET', ''], ['GET', '/user-devices'], ['POST', '/user-devices'], ['DELETE', `/user-devices/${frank.user.uuid}`]]) {
        const answer = await http(`/credentials/${frank.credentialsUuid}${path}`, { method, headers, body: method === 'POST' ? {} : undefined })
        expect([method, path, answer.status, answer.body]).toEqual([method, path, 404, { error: 'credentials device not found' }])
      }
    }
    expect(await service.endo.onboarding.userDevicesOf(frank.credentialsUuid)).toEqual([{ uuid: frank.user.uuid }])
  })

  it('answers the owner 404 for a device that is not a credentials device', async () => {
    for (const uuid of [frank.user.uuid, '00000000-0000-4000-8000-000000000000']) {
      const answer = await http(`/credentials/${uuid}/user-devices`, { headers: auth })
      expect(answer.status).toBe(404)
      expect(answer.body).toEqual({ error: 'credentials device not found' })
    }
  })
})

describe('a service without config.oauth.authorizationUrl', () => {
  it('has no /auth/api routes', async () => {
    const plain = await startTestService()
    try {
      for (const path of ['/auth/api', '/auth/api/callback?code=x&state=y']) {
        const response = await fetch(`${plain.httpUrl}${path}`, { redirect: 'manual' })
        await response.text()
        expect(response.status).toBe(404)
      }
    } finally {
      await plain.stop()
    }
  })
})

describe('secrets (DESIGN "Secrets never leave the service")', () => {
  it('no reply and no log line holds a provider access token, refresh token or the client secret', () => {
    expect(providerSecrets.size).toBeGreaterThan(8)
    const places = [...seen, ...service.logLines]
    const leaks = [...providerSecrets].filter(secret => places.some(text => text.includes(secret)))
    expect(leaks.map(s => s.slice(0, 6))).toEqual([])
  })
})
