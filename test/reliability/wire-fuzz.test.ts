// Fuzzes every HTTP route the app mounts and every MQTT API topic with random and hostile input.
// Properties: no 5xx from input, the service keeps answering, and nothing another device stored changes.
// Longer run: FUZZ_RUNS=5000 npm run test:fuzz
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { startTestService, type TestService } from '../support/test-service.js'
import { connectDevice, type MqttDevice } from '../support/mqtt-device.js'
import { mountedRoutes, type MountedRoute } from '../support/express-routes.js'
import { HOSTILE_VALUES, pollutedJson } from '../support/schema-mutations.js'
import { lostRows, snapshotRows } from '../support/store-snapshot.js'

// Wire fuzzing needs no particular jobs: the fixture jobs keep it independent of src/jobs.
const fixtureJobs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/jobs')
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000)
const API_TOPICS = ['message', 'update', 'whoami', 'getPublicKey', 'resetToken', 'generateAndStoreToken']

const hostileText = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(...HOSTILE_VALUES.map(([, value]) => JSON.stringify(value) ?? 'null')),
  fc.constantFrom(...pollutedJson({ devices: ['*'] }), '{', '[]', '"', 'null', '{"devices":}', '\u0000\u0001')
)

describe('fuzzed wire input', () => {
  let service: TestService
  let fuzzer: { uuid: string, token: string }
  let bystander: { uuid: string, token: string }
  beforeAll(async () => {
    // The HTTP fuzzer sends 1000 requests with made-up credentials from one address: past the failure limit
    // every authenticated request would be a 429, and the MQTT part's good login refused.
    service = await startTestService({ limits: { maxPayloadBytes: 65536, authFailuresPerAddressPerMinute: 100_000 } }, { jobsDir: fixtureJobs })
    // v2 with closed lists: only the bystander itself may see or change it (v1 defaults would let anyone).
    const b = await service.bus.register({ name: 'bystander', secretish: 'kept', meshblu: { version: '2.0.0', whitelists: {} } })
    bystander = { uuid: b.device.uuid, token: b.token }
    await service.bus.createSessionToken({ uuid: bystander.uuid }, bystander.uuid, { tag: 'bystander' })
    const f = await service.bus.register({ name: 'fuzzer' })
    fuzzer = { uuid: f.device.uuid, token: f.token }
  })
  afterAll(async () => { await service.stop() })

  it(`over HTTP never answers 5xx and changes no other device (${RUNS} requests)`, async () => {
    const dbFile = path.join(service.dataDir, 'endo-vault.db')
    const before = snapshotRows(dbFile)
    const app = service.httpServer.listeners('request')[0]
    const routes = mountedRoutes(app)
    expect(routes.length).toBeGreaterThan(30)
    const param = fc.constantFrom(fuzzer.uuid, bystander.uuid, randomUUID(), '..%2F..%2Fetc', '%00', 'a'.repeat(300), '*', 'message.received')
    const auth = fc.constantFrom<Record<string, string>>(
      {},
      { authorization: 'Basic ' + Buffer.from(`${fuzzer.uuid}:${fuzzer.token}`).toString('base64') },
      { authorization: 'Bearer !!!notbase64' },
      { 'x-meshblu-uuid': fuzzer.uuid, 'x-meshblu-token': fuzzer.token, 'x-meshblu-as': bystander.uuid },
      { 'x-meshblu-uuid': bystander.uuid, 'x-meshblu-token': 'wrong' }
    )
    const failures: string[] = []
    await fc.assert(fc.asyncProperty(fc.constantFrom(...routes), param, auth, hostileText, fc.string({ maxLength: 40 }), async (route: MountedRoute, value, headers, body, query) => {
      const url = service.httpUrl + route.path.replace(/:[A-Za-z]+/g, () => encodeURIComponent(value)).replace(/\*.*$/, '') + '?' + encodeURIComponent(query) + '=' + encodeURIComponent(value)
      const hasBody = route.method !== 'GET' && route.method !== 'HEAD'
      const response = await fetch(url, { method: route.method, headers: { 'content-type': 'application/json', ...headers }, ...(hasBody ? { body } : {}) })
      await response.arrayBuffer()
      if (response.status >= 500) failures.push(`${route.method} ${route.path} → ${response.status}`)
      return true
    }), { numRuns: RUNS })
    console.log(`http fuzzing: ${RUNS} requests over ${routes.length} routes; ${failures.length} answered 5xx`)
    expect(failures).toEqual([])
    expect(lostRows(before, snapshotRows(dbFile), [fuzzer.uuid])).toEqual([])
    expect((await fetch(`${service.httpUrl}/status`)).status).toBe(200)
    expect(await service.bus.authenticate(bystander.uuid, bystander.token)).toBe(true)
  }, 300_000)

  it(`over MQTT answers every API request and changes no other device (${RUNS} publishes)`, async () => {
    const dbFile = path.join(service.dataDir, 'endo-vault.db')
    const before = snapshotRows(dbFile)
    const fresh = await service.bus.register({ name: 'mqtt fuzzer' })
    let device: MqttDevice = await connectDevice(service.mqttPort, fresh.device.uuid, fresh.token)
    const topics = fc.oneof(fc.constantFrom(...API_TOPICS, bystander.uuid, fresh.device.uuid, `${bystander.uuid}/broadcast`, '$SYS/x', 'a/b/c'), fc.stringMatching(/^[a-zA-Z0-9/_-]{1,40}$/))
    let published = 0
    await fc.assert(fc.asyncProperty(topics, hostileText, async (topic, payload) => {
      if (!device.client.connected) device = await connectDevice(service.mqttPort, fresh.device.uuid, (await service.bus.tokens.resetRootToken(fresh.device.uuid)))
      await device.client.publishAsync(topic, payload, { qos: 1 }).catch(() => {})
      published++
      return true
    }), { numRuns: RUNS })
    if (!device.client.connected) device = await connectDevice(service.mqttPort, fresh.device.uuid, (await service.bus.tokens.resetRootToken(fresh.device.uuid)))
    const whoami = await device.request('whoami')
    console.log(`mqtt fuzzing: ${published} publishes; broker still answering: ${String(whoami.topic === 'whoami')}`)
    expect(whoami.data.uuid).toBe(fresh.device.uuid)
    expect(lostRows(before, snapshotRows(dbFile), [fresh.device.uuid])).toEqual([])
    await device.end()
  }, 300_000)
})
