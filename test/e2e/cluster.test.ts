// Issue 20: three instances on one PostgreSQL database and one Redis (REDIS_URL), ports 0, sharing one data
// directory (the service identity), with clients spread over them: meshblu-http's routes on one instance,
// mqtt.js on the others. Runs when TEST_DATABASE_URL is set and redis-server is installed (.ci/run does both).
import fs from 'node:fs'
import net from 'node:net'
import { request } from 'node:http'
import { MqttClient } from 'mqtt'
import { startTestService, temporaryDataDir, type TestService } from '../support/test-service.js'
import { SUBACK_FAILURE, connectDevice, type Envelope, type MqttDevice } from '../support/mqtt-device.js'
import { deliveredDuring, v2, type Credentials } from '../support/device-fixture.js'
import { onboardPerson } from '../support/person.js'
import { freshDatabase, postgresAdminUrl } from '../support/postgres-database.js'
import { hasRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js'
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js'
import { Browser } from '../support/oidc-provider-browser.js'

const REGISTRATIONS_PER_MINUTE = 20
/** The provider sends people back to the load balancer's address in front of the instances (none here: the test picks one). */
const CALLBACK_URL = 'http://load-balancer.invalid/auth/api/callback'
const describeOnCluster = postgresAdminUrl === '' || !hasRedisServer() ? describe.skip : describe

const basic = (device: Credentials): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${device.uuid}:${device.token}`).toString('base64')}`, 'content-type': 'application/json' })

async function http (service: TestService, method: string, path: string, device: Credentials | undefined, body?: unknown): Promise<{ status: number, body: any }> {
  const response = await fetch(service.httpUrl + path, { method, headers: device === undefined ? { 'content-type': 'application/json' } : basic(device), body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
}

async function register (service: TestService, properties: Record<string, unknown>): Promise<Credentials> {
  const { status, body } = await http(service, 'POST', '/devices', undefined, properties)
  expect(status).toBe(201)
  return { uuid: body.uuid, token: body.token }
}

/** An HTTP call from another loopback address than the rest of the suite's (its own rate windows): status, Retry-After. */
async function fromAddress (localAddress: string, service: TestService, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number, retryAfter?: string }> {
  return await new Promise((resolve, reject) => {
    const call = request(`${service.httpUrl}${path}`, { method, localAddress, headers: { 'content-type': 'application/json', ...headers } }, response => {
      response.resume()
      response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }))
    })
    call.on('error', reject)
    call.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

/** The CONNACK return code an MQTT CONNECT from `localAddress` gets (0: accepted). */
async function connackFrom (localAddress: string, service: TestService, device: Credentials): Promise<number> {
  const client = new MqttClient(() => net.connect({ port: service.mqttPort, host: '127.0.0.1', localAddress }), { username: device.uuid, password: device.token, reconnectPeriod: 0, connectTimeout: 5000 })
  try {
    return await new Promise((resolve, reject) => {
      client.once('connect', () => resolve(0))
      client.once('error', (error: Error & { code?: unknown }) => { typeof error.code === 'number' ? resolve(error.code) : reject(error) })
    })
  } finally {
    await client.endAsync(true)
  }
}

/** Polls until `check` holds; resolves with the ms it took (fails after `withinMs`). */
async function within (withinMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now()
  for (;;) {
    if (await check()) return performance.now() - started
    if (performance.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

describeOnCluster('three instances on PostgreSQL and Redis', () => {
  let redis: RedisServer
  let oidc: TestOidcProvider
  let dropDatabase: () => Promise<void>
  let dataDir: string
  let a: TestService, b: TestService, c: TestService
  const clients: MqttDevice[] = []
  const connect = async (service: TestService, device: Credentials): Promise<MqttDevice> => {
    const client = await connectDevice(service.mqttPort, device.uuid, device.token)
    clients.push(client)
    return client
  }

  beforeAll(async () => {
    redis = await startRedisServer()
    oidc = await startOidcProvider()
    oidc.registerClient(CALLBACK_URL)
    const database = await freshDatabase()
    dropDatabase = database.drop
    dataDir = temporaryDataDir()
    // registrations per address are limited across the instances (shared in Redis): the suite registers 8
    // devices over HTTP from 127.0.0.1, and the limit's own case 20 from another address
    const config = { dataDir, databaseUrl: database.url, redisUrl: redis.url, vault: { connectionKeyBits: 2048 }, oauth: { ...oidc.oauthConfig, callbackUrl: CALLBACK_URL }, limits: { registrationsPerAddressPerMinute: REGISTRATIONS_PER_MINUTE } }
    // the first start provisions the shared identity; the others read it
    a = await startTestService(config)
    ;[b, c] = await Promise.all([startTestService(config), startTestService(config)])
  }, 60_000)

  afterAll(async () => {
    await Promise.all(clients.map(async client => await client.end()))
    for (const service of [a, b, c]) await service?.stop({ keepData: true })
    fs.rmSync(dataDir, { recursive: true, force: true })
    await dropDatabase?.()
    await redis?.stop()
    await oidc?.close()
  }, 30_000)

  it('share one service identity, and each is ready with its store, broker and Redis', async () => {
    expect(new Set([a, b, c].map(service => service.identity.uuid)).size).toBe(1)
    for (const service of [a, b, c]) expect((await http(service, 'GET', '/readyz', undefined)).body).toMatchObject({ checks: { store: 'ok', broker: 'ok', redis: 'ok' } })
  })

  it('see a device registered on one instance on the others, over HTTP and MQTT', async () => {
    const device = await register(a, v2({ 'discover.view': ['*'] }, { type: 'cluster-probe' }))
    expect((await http(b, 'GET', `/v2/devices/${device.uuid}`, device)).body).toMatchObject({ uuid: device.uuid, type: 'cluster-probe' })
    const mqtt = await connect(c, device)
    expect((await mqtt.request('whoami')).data).toMatchObject({ uuid: device.uuid, type: 'cluster-probe' })
  })

  it('apply an update made on one instance on the others within 100 ms, also to a connected device', async () => {
    const device = await register(a, v2())
    await connect(b, device) // held (pinned) on b
    expect((await http(a, 'PUT', `/v2/devices/${device.uuid}`, device, { $set: { color: 'green' } })).status).toBe(204)
    const ms = await within(1000, async () => (await http(b, 'GET', `/v2/devices/${device.uuid}`, device)).body?.color === 'green')
    expect(ms).toBeLessThan(100)
  })

  it('deliver messages to a device on another instance exactly once, as its whitelist says at that moment', async () => {
    const receiver = await register(a, v2())
    const sender = await register(a, v2())
    const inbox = await connect(b, receiver)
    const refused = await deliveredDuring(inbox, async () => await http(c, 'POST', '/messages', sender, { devices: [receiver.uuid], n: 1 }))
    expect(refused).toEqual([])
    await http(a, 'PUT', `/v2/devices/${receiver.uuid}`, receiver, { $addToSet: { 'meshblu.whitelists.message.from': { uuid: sender.uuid } } })
    await within(1000, async () => (await http(c, 'GET', `/v2/devices/${receiver.uuid}`, receiver)).body?.meshblu?.whitelists?.message?.from?.length === 1)
    const delivered = await deliveredDuring(inbox, async () => await http(c, 'POST', '/messages', sender, { devices: [receiver.uuid], n: 2 }))
    expect(delivered.filter((e: Envelope) => e.topic === 'message').map((e: Envelope) => e.data.n)).toEqual([2])
  })

  it('deliver a broadcast to a subscriber on another instance exactly once', async () => {
    const watcher = await register(a, v2())
    const emitter = await register(a, v2({ 'broadcast.sent': [watcher.uuid] }))
    const watching = await connect(c, watcher)
    expect(await watching.subscribeCode(`${emitter.uuid}/broadcast`)).not.toBe(SUBACK_FAILURE)
    const speaker = await connect(b, emitter)
    const heard = await deliveredDuring(watching, async () => await speaker.client.publishAsync('message', JSON.stringify({ devices: ['*'], said: 'hello' }), { qos: 1 }))
    expect(heard.filter((e: Envelope) => e.data?.said === 'hello')).toHaveLength(1)
  })

  it('run a job once, on one instance, and bring its reply to the flow on another', async () => {
    const person = await onboardPerson(a) // its flow connected to a
    const flowOnC = await connect(c, { uuid: person.flow.uuid, token: (await a.bus.createSessionToken({ uuid: person.flow.uuid }, person.flow.uuid, {})).token })
    const respondTo = `cluster-${Math.random()}`
    const succeededBefore = [a, b, c].map(service => service.logLines.filter(line => line.includes('job.succeeded')).length)
    await http(b, 'POST', '/messages', { uuid: person.flow.uuid, token: (await a.bus.createSessionToken({ uuid: person.flow.uuid }, person.flow.uuid, {})).token }, { devices: [person.user.uuid], metadata: { jobType: 'Echo', respondTo }, data: { text: 'across' } })
    const reply = await flowOnC.next(e => e.data?.metadata?.to === respondTo, 10_000)
    expect(reply.data).toMatchObject({ metadata: { code: 200 }, data: { text: 'across' } })
    expect(await flowOnC.nothingWithin(200, e => e.data?.metadata?.to === respondTo)).toBe(true)
    const succeeded = [a, b, c].map((service, i) => service.logLines.filter(line => line.includes('job.succeeded')).length - (succeededBefore[i] as number))
    expect(succeeded).toEqual([0, 1, 0])
    await person.end()
  })

  it('end the sessions of revoked credentials on every instance', async () => {
    const device = await register(a, v2())
    const session = await http(a, 'POST', `/devices/${device.uuid}/tokens`, device, { tag: 'cluster' })
    const connected = await connect(c, { uuid: device.uuid, token: session.body.token })
    const revoked = performance.now()
    expect((await http(b, 'DELETE', `/devices/${device.uuid}/tokens/${session.body.token}`, device)).status).toBe(204)
    await connected.closed
    expect(performance.now() - revoked).toBeLessThan(1000)
  })

  it('limit registrations from one address spread over the instances together, not once per instance', async () => {
    const from = '127.0.0.21'
    const answers: Array<{ status: number, retryAfter?: string }> = []
    for (let i = 0; i < REGISTRATIONS_PER_MINUTE + 6; i++) answers.push(await fromAddress(from, [a, b, c][i % 3] as TestService, 'POST', '/devices', {}, v2()))
    expect(answers.slice(0, REGISTRATIONS_PER_MINUTE).map(answer => answer.status)).toEqual(Array(REGISTRATIONS_PER_MINUTE).fill(201))
    // the next ones are refused on every instance, each of which has registered only a third of them
    for (const refused of answers.slice(REGISTRATIONS_PER_MINUTE)) {
      expect(refused.status).toBe(429)
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1)
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60)
    }
    // another address is not affected
    expect((await fromAddress('127.0.0.22', b, 'POST', '/devices', {}, v2())).status).toBe(201)
  })

  it('count failed logins from one address on every instance together: past the limit all refuse it, over HTTP and MQTT', async () => {
    const device = await register(a, v2())
    const from = '127.0.0.23'
    const bad = basic({ uuid: device.uuid, token: 'f'.repeat(40) })
    // limits.authFailuresPerAddressPerMinute is 60 (the default): 20 failures on each instance
    for (let i = 0; i < 60; i++) expect((await fromAddress(from, [a, b, c][i % 3] as TestService, 'GET', '/v2/whoami', bad)).status).toBe(403)
    expect((await fromAddress(from, a, 'GET', '/v2/whoami', basic(device))).status).toBe(429)
    expect((await fromAddress(from, b, 'GET', '/v2/whoami', basic(device))).status).toBe(429)
    expect(await connackFrom(from, c, device)).toBe(4)
    expect(await connackFrom('127.0.0.24', c, device)).toBe(0)
  })

  it('complete an authorization started on one instance when the provider sends the person back to another, once', async () => {
    const browser = new Browser()
    oidc.nextAccount = 'cluster-person'
    const callback = new URL(await browser.followUntil(`${a.httpUrl}/auth/api`, CALLBACK_URL))
    const onB = await browser.request(`${b.httpUrl}${callback.pathname}${callback.search}`, { headers: { accept: 'application/json' } })
    expect(onB.status).toBe(201)
    expect(onB.json()).toMatchObject({ uuid: expect.any(String), credentialsUuid: expect.any(String) })
    const again = await browser.request(`${c.httpUrl}${callback.pathname}${callback.search}`, { headers: { accept: 'application/json' } })
    expect(again.status).toBe(403)
    expect(again.json().error).toMatch(/^Unable to verify the authorization request state: it is unknown, expired or already used/)
  })
})
