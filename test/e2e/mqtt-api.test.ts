// meshblu-endo §4: connecting with device credentials and the request topics of the meshblu-mqtt protocol.
import type { TestService } from '../support/test-service.js'
import { startBusService } from '../support/bus-service.js'
import mqtt from 'mqtt'
import { connackCode, connectDevice } from '../support/mqtt-device.js'
import { connect, deliveredDuring, registerDevice, v2, type Credentials } from '../support/device-fixture.js'

const BAD_USERNAME_OR_PASSWORD = 4

let service: TestService
beforeAll(async () => { service = await startBusService() })
afterAll(async () => { await service.stop() })

describe('meshblu-endo §4: connecting with device credentials', () => {
  let device: Credentials
  let other: Credentials
  beforeAll(async () => {
    device = await registerDevice(service)
    other = await registerDevice(service)
  })

  it('is accepted with the uuid as username and the root token as password', async () => {
    expect(await connackCode(service.mqttPort, device.uuid, device.token)).toBe(0)
  })

  it('is accepted with a session token', async () => {
    const session = await service.bus.createSessionToken({ uuid: device.uuid }, device.uuid, { tag: 'mqtt' })
    expect(await connackCode(service.mqttPort, device.uuid, session.token)).toBe(0)
  })

  it.each([
    ['a wrong password', () => [device.uuid, 'f'.repeat(40)]],
    ['the token of another device', () => [device.uuid, other.token]],
    ['an unknown uuid', () => ['00000000-0000-4000-8000-000000000000', device.token]],
    ['an empty username and password', () => ['', '']],
    ['no credentials at all', () => [undefined, undefined]],
    ['a username without a password', () => [device.uuid, undefined]],
  ])('is refused with the same CONNACK (bad username or password) for %s', async (_name, credentials) => {
    const [username, password] = credentials()
    expect(await connackCode(service.mqttPort, username, password)).toBe(BAD_USERNAME_OR_PASSWORD)
  })

  it('is accepted over WebSocket at /mqtt on the HTTP port, with the same topics', async () => {
    const client = await mqtt.connectAsync(`ws://127.0.0.1:${service.httpPort}/mqtt`, { username: device.uuid, password: device.token, reconnectPeriod: 0 })
    await client.subscribeAsync(device.uuid, { qos: 1 })
    const reply = new Promise<any>(resolve => client.on('message', (_topic, payload) => resolve(JSON.parse(payload.toString()))))
    await client.publishAsync('whoami', JSON.stringify({ callbackId: 'ws-1' }), { qos: 1 })
    expect(await reply).toMatchObject({ topic: 'whoami', data: { uuid: device.uuid }, _request: { callbackId: 'ws-1' } })
    await client.endAsync(true)
  })

  it('refused attempts leave connected devices working', async () => {
    const alice = await connect(service, device)
    await connackCode(service.mqttPort, device.uuid, 'nope')
    expect((await alice.request('whoami')).data.uuid).toBe(device.uuid)
    await alice.end()
  })
})

describe('meshblu-endo §4: a connected device calling the request topics', () => {
  let alice: Credentials
  beforeAll(async () => { alice = await registerDevice(service, v2({}, { name: 'alice', publicKey: 'PEM-OF-ALICE' })) })

  it('gets its own device from whoami, without any token, echoing the request', async () => {
    const mqtt = await connect(service, alice)
    const reply = await mqtt.request('whoami')
    expect(reply.topic).toBe('whoami')
    expect(reply.data).toMatchObject({ uuid: alice.uuid, name: 'alice', meshblu: { version: '2.0.0' } })
    expect(reply.data.token).toBeUndefined()
    expect(JSON.stringify(reply)).not.toContain(alice.token)
    expect(reply._request).toEqual({ callbackId: expect.any(String) })
    await mqtt.end()
  })

  it('sets properties on itself with update and is answered with an empty object', async () => {
    const mqtt = await connect(service, alice)
    const reply = await mqtt.request('update', { color: 'blue', nested: { level: 2 } })
    expect(reply).toMatchObject({ topic: 'update', data: {}, _request: { color: 'blue' } })
    expect((await mqtt.request('whoami')).data).toMatchObject({ color: 'blue', nested: { level: 2 }, meshblu: { updatedBy: alice.uuid } })
    await mqtt.end()
  })

  it('cannot change its token through update', async () => {
    const mqtt = await connect(service, alice)
    expect((await mqtt.request('update', { token: 'chosen', shade: 'dark' })).topic).toBe('update')
    expect(await connackCode(service.mqttPort, alice.uuid, 'chosen')).toBe(BAD_USERNAME_OR_PASSWORD)
    expect(await connackCode(service.mqttPort, alice.uuid, alice.token)).toBe(0)
    await mqtt.end()
  })

  it('updates another device only with configure rights on it', async () => {
    const mqtt = await connect(service, alice)
    const managed = await registerDevice(service, v2({ 'configure.update': [alice.uuid] }))
    const foreign = await registerDevice(service, v2())
    expect(await mqtt.request('update', { uuid: managed.uuid, label: 'mine' })).toMatchObject({ topic: 'update', data: {} })
    expect((await service.bus.registry.get(managed.uuid))?.label).toBe('mine')
    expect(await mqtt.request('update', { uuid: foreign.uuid, label: 'mine' })).toMatchObject({ topic: 'error', data: { message: 'Forbidden' } })
    expect((await service.bus.registry.get(foreign.uuid))?.label).toBeUndefined()
    await mqtt.end()
  })

  it('sends a message without any reply when it succeeds', async () => {
    const mqtt = await connect(service, alice)
    const bob = await registerDevice(service, v2({ 'message.from': ['*'] }))
    const echoes = await deliveredDuring(mqtt, () => mqtt.publishRaw('message', JSON.stringify({ devices: [bob.uuid], callbackId: 'm-1' })))
    expect(echoes).toEqual([])
    await mqtt.end()
  })

  it('gets its public key from getPublicKey', async () => {
    const mqtt = await connect(service, alice)
    expect(await mqtt.request('getPublicKey')).toMatchObject({ topic: 'getPublicKey', data: { publicKey: 'PEM-OF-ALICE' } })
    await mqtt.end()
  })

  it('gets a new root token from resetToken; the old one stops working, the new one connects', async () => {
    const device = await registerDevice(service)
    const mqtt = await connect(service, device)
    const reply = await mqtt.request('resetToken')
    expect(reply).toMatchObject({ topic: 'resetToken', data: { uuid: device.uuid, token: expect.stringMatching(/^[0-9a-f]{40}$/) } })
    expect(await connackCode(service.mqttPort, device.uuid, device.token)).toBe(BAD_USERNAME_OR_PASSWORD)
    expect(await connackCode(service.mqttPort, device.uuid, reply.data.token)).toBe(0)
    await mqtt.end()
  })

  it('gets a session token carrying the request as metadata from generateAndStoreToken (the original replied with an error)', async () => {
    const device = await registerDevice(service)
    const mqtt = await connect(service, device)
    const reply = await mqtt.request('generateAndStoreToken', { tag: 'sensor' })
    expect(reply).toMatchObject({ topic: 'generateAndStoreToken', data: { uuid: device.uuid, tag: 'sensor', token: expect.stringMatching(/^[0-9a-f]{40}$/) } })
    expect(reply.data.callbackId).toBeUndefined()
    expect(await connackCode(service.mqttPort, device.uuid, reply.data.token)).toBe(0)
    expect(await connackCode(service.mqttPort, device.uuid, device.token)).toBe(0)
    await mqtt.end()
  })

  it('keeps the connection after an error reply', async () => {
    const mqtt = await connectDevice(service.mqttPort, alice.uuid, alice.token)
    expect((await mqtt.request('message', {})).topic).toBe('error')
    expect((await mqtt.request('whoami')).topic).toBe('whoami')
    await mqtt.end()
  })
})
