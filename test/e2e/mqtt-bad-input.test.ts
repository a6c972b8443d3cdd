// meshblu-endo §4 (issue 3 "Bad input"): each bad request gets an `error` reply on the device's own
// topic, and the connection (and the broker) keep working.
import net from 'node:net'
import type { TestService } from '../support/test-service.js'
import { startBusService } from '../support/bus-service.js'
import { connect, deliveredDuring, registerDevice, v2, type Credentials } from '../support/device-fixture.js'
import type { MqttDevice } from '../support/mqtt-device.js'

const PAYLOAD_LIMIT = 4096

let service: TestService
let me: Credentials
let device: MqttDevice
beforeAll(async () => {
  service = await startBusService({ limits: { maxPayloadBytes: PAYLOAD_LIMIT, maxPacketBytes: 4 * PAYLOAD_LIMIT + 65536 } })
  me = await registerDevice(service)
  device = await connect(service, me)
})
afterAll(async () => { await device.end(); await service.stop() })
afterEach(async () => {
  expect(device.client.connected).toBe(true)
  expect((await device.request('whoami')).data.uuid).toBe(me.uuid)
})

describe('a payload that is not a JSON object', () => {
  it.each([
    ['malformed JSON', '{"devices": ['],
    ['a JSON array', '[1, 2]'],
    ['a JSON number', '42'],
    ['a JSON string', '"hello"'],
    ['JSON null', 'null'],
    ['bytes that are not UTF-8 JSON', Buffer.from([0xff, 0xfe, 0x00, 0x7b])],
  ])('(%s) is answered with an error naming the expected shape', async (_name, payload) => {
    const replies = await deliveredDuring(device, () => device.publishRaw('message', payload))
    expect(replies).toEqual([{ topic: 'error', data: { message: 'Invalid JSON: the payload must be a JSON object' } }])
  })
})

describe('an unknown topic', () => {
  it.each(['nope', 'messages', 'Message', 'update/extra', 'a/b/c'])('(%s) is answered "Topic \'<t>\' is not valid" with the request echoed', async topic => {
    const reply = await device.request(topic, { x: 1 })
    expect(reply).toEqual({ topic: 'error', data: { message: `Topic '${topic}' is not valid` }, _request: { x: 1, callbackId: expect.any(String) } })
  })
})

describe('a message without usable devices', () => {
  it.each([
    ['no devices field', {}],
    ['an empty array', { devices: [] }],
    ['a number', { devices: 5 }],
    ['an empty string', { devices: '' }],
    ['an array holding a non-string', { devices: ['00000000-0000-4000-8000-000000000000', 7] }],
  ])('(%s) is answered "Missing devices"', async (_name, message) => {
    expect(await device.request('message', message)).toMatchObject({ topic: 'error', data: { message: 'Missing devices' } })
  })

  it('to a device that does not exist is accepted silently and delivers nothing (§7)', async () => {
    const replies = await deliveredDuring(device, () => device.publishRaw('message', JSON.stringify({ devices: ['00000000-0000-4000-8000-000000000000'], callbackId: 'c' })))
    expect(replies).toEqual([])
  })
})

describe('an update that breaks the rules', () => {
  it('setting a property to null is refused with 422 text', async () => {
    expect(await device.request('update', { color: null })).toMatchObject({ topic: 'error', data: { message: 'value of "color" may not be null' } })
  })

  it('with a __proto__ key is refused and pollutes nothing', async () => {
    const reply = await device.request('update', JSON.parse('{"__proto__": {"polluted": true}}'))
    expect(reply).toMatchObject({ topic: 'error' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((await service.bus.registry.get(me.uuid))?.polluted).toBeUndefined()
  })

  it('naming its target with a uuid that is not a string is refused, and the caller is left alone', async () => {
    expect(await device.request('update', { uuid: 42, mark: 'x' })).toMatchObject({ topic: 'error', data: { message: 'uuid must be a string' } })
    expect((await service.bus.registry.get(me.uuid))?.mark).toBeUndefined()
  })

  it('for a device that does not exist is refused as Forbidden', async () => {
    expect(await device.request('update', { uuid: '00000000-0000-4000-8000-000000000000', a: 1 })).toMatchObject({ topic: 'error', data: { message: 'Forbidden' } })
  })
})

describe(`a payload over the configured limit (${PAYLOAD_LIMIT} bytes)`, () => {
  it('is answered "Payload too large" with the callbackId only, and is not delivered', async () => {
    const bob = await registerDevice(service, v2({ 'message.from': ['*'] }))
    const bobDevice = await connect(service, bob)
    const reply = await device.request('message', { devices: [bob.uuid], blob: 'x'.repeat(PAYLOAD_LIMIT) })
    expect(reply).toEqual({ topic: 'error', data: { message: `Payload too large: the limit is ${PAYLOAD_LIMIT} bytes` }, _request: { callbackId: expect.any(String) } })
    expect(await deliveredDuring(bobDevice, () => {})).toEqual([])
    await bobDevice.end()
  })

  it('far over the limit is still answered (without correlation)', async () => {
    const replies = await deliveredDuring(device, () => device.publishRaw('message', 'y'.repeat(PAYLOAD_LIMIT * 10)))
    expect(replies).toEqual([{ topic: 'error', data: { message: `Payload too large: the limit is ${PAYLOAD_LIMIT} bytes` } }])
  })

  it('so far over the limit that it is cut off at its header closes that connection only', async () => {
    const other = await connect(service, await registerDevice(service))
    void other.publishRaw('message', 'z'.repeat(PAYLOAD_LIMIT * 25)).catch(() => {})
    await other.closed
  })

  it('announced by a CONNECT that never authenticated closes the socket before the body arrives', async () => {
    const socket = net.connect(service.mqttPort, '127.0.0.1')
    await new Promise(resolve => socket.once('connect', resolve))
    const closed = new Promise(resolve => socket.once('close', resolve))
    socket.on('error', () => {})
    socket.write(Buffer.from([0x10, 0x80, 0x80, 0x80, 0x18])) // CONNECT, remaining length 50 MiB
    await closed
  })
})
