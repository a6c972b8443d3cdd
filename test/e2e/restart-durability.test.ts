// Issue 3 acceptance "restart durability": what was registered before a stop works after a start on the
// same data directory: tokens, subscriptions, whitelists and the service's own identity.
import { allDevices } from '../support/all-devices.js'
import fs from 'node:fs'
import path from 'node:path'
import type { TestService } from '../support/test-service.js'
import { startBusService } from '../support/bus-service.js'
import { connackCode } from '../support/mqtt-device.js'
import { connect, deliveredDuring, registerDevice, sendOverMqtt, subscribe, v2, type Credentials } from '../support/device-fixture.js'

describe('a service stopped and started again on the same data directory', () => {
  let first: TestService
  let second: TestService
  let emitter: Credentials
  let subscriber: Credentials
  let sessionToken: string
  let revokedToken: string
  let meshbluJson: string
  const hop = (from: Credentials, to: Credentials, type: string) => ({ from: from.uuid, to: to.uuid, type })

  beforeAll(async () => {
    first = await startBusService()
    subscriber = await registerDevice(first)
    emitter = await registerDevice(first, v2({ 'broadcast.sent': [subscriber.uuid], 'message.from': ['*'] }, { name: 'emitter' }))
    await subscribe(first, subscriber.uuid, emitter.uuid, 'broadcast.sent')
    await subscribe(first, subscriber.uuid, subscriber.uuid, 'broadcast.received')
    sessionToken = (await first.bus.createSessionToken({ uuid: emitter.uuid }, emitter.uuid, { tag: 'kept' })).token
    revokedToken = (await first.bus.createSessionToken({ uuid: emitter.uuid }, emitter.uuid, { tag: 'revoked' })).token
    await first.bus.revokeToken({ uuid: emitter.uuid }, emitter.uuid, revokedToken)
    const device = await connect(first, emitter)
    await device.request('update', { firmware: '1.2.3' })
    await device.end()
    meshbluJson = fs.readFileSync(path.join(first.dataDir, 'meshblu.json'), 'utf8')
    await first.stop({ keepData: true })
    second = await startBusService({ dataDir: first.dataDir })
  })
  afterAll(async () => { await second.stop() })

  it('authenticates the same root and session tokens over MQTT', async () => {
    expect(await connackCode(second.mqttPort, emitter.uuid, emitter.token)).toBe(0)
    expect(await connackCode(second.mqttPort, subscriber.uuid, subscriber.token)).toBe(0)
    expect(await connackCode(second.mqttPort, emitter.uuid, sessionToken)).toBe(0)
  })

  it('still refuses a token revoked before the stop', async () => {
    expect(await connackCode(second.mqttPort, emitter.uuid, revokedToken)).toBe(4)
  })

  it('keeps the device documents with their updates', async () => {
    const device = await connect(second, emitter)
    expect((await device.request('whoami')).data).toMatchObject({ uuid: emitter.uuid, name: 'emitter', firmware: '1.2.3' })
    await device.end()
  })

  it('delivers through the subscriptions made before the stop, whitelists included', async () => {
    const [from, to] = [await connect(second, emitter), await connect(second, subscriber)]
    const got = await deliveredDuring(to, () => sendOverMqtt(from, { devices: ['*'], after: 'restart' }))
    expect(got.map(e => [e.data.after, e.metadata.route])).toEqual([[
      'restart', [hop(emitter, subscriber, 'broadcast.sent'), hop(emitter, subscriber, 'broadcast.received'), hop(subscriber, subscriber, 'broadcast.received')],
    ]])
    expect(await second.bus.subscriptions.list(subscriber.uuid)).toHaveLength(2)
    await from.end(); await to.end()
  })

  it('reuses the service device and leaves meshblu.json as it was', async () => {
    expect(fs.readFileSync(path.join(second.dataDir, 'meshblu.json'), 'utf8')).toBe(meshbluJson)
    const identity = JSON.parse(meshbluJson)
    expect(second.identity.uuid).toBe(identity.uuid)
    expect((await second.bus.registry.get(identity.uuid))).toBeDefined()
    expect(await connackCode(second.mqttPort, identity.uuid, identity.token)).toBe(0)
    expect((await allDevices(second.bus)).filter(d => d.type === 'device:endo-vault')).toHaveLength(1)
  })

  it('keeps the service key', () => {
    expect(second.identity.privateKeyPem).toBe(Buffer.from(JSON.parse(meshbluJson).privateKey, 'base64').toString('utf8'))
  })
})
