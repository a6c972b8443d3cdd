// meshblu-endo §4, §7: which topics an MQTT device may subscribe and publish to.
import type { TestService } from '../support/test-service.js'
import { startBusService } from '../support/bus-service.js'
import { SUBACK_FAILURE, type MqttDevice } from '../support/mqtt-device.js'
import { connect, deliveredDuring, registerDevice, sendOverMqtt, v2, type Credentials } from '../support/device-fixture.js'

let service: TestService
beforeAll(async () => { service = await startBusService() })
afterAll(async () => { await service.stop() })

describe('meshblu-endo §4: subscribing', () => {
  let me: Credentials
  let stranger: Credentials
  beforeAll(async () => {
    me = await registerDevice(service)
    stranger = await registerDevice(service)
  })

  it('to its own uuid topic is granted', async () => {
    const device = await connect(service, me)
    expect(await device.subscribeCode(me.uuid)).toBe(1)
    await device.end()
  })

  it('to another device\'s topic with configure rights on it is granted, and shows that device\'s replies', async () => {
    const managed = await registerDevice(service, v2({ 'configure.update': [me.uuid] }))
    const [device, other] = [await connect(service, me), await connect(service, managed)]
    expect(await device.subscribeCode(managed.uuid)).toBe(1)
    await other.request('whoami')
    const seen = await deliveredDuring(device, () => {})
    expect(seen.map(e => [e.topic, e.data.uuid])).toEqual([['whoami', managed.uuid]])
    await device.end(); await other.end()
  })

  it('to another device\'s topic with only broadcast.sent rights is narrowed to its broadcasts', async () => {
    const emitter = await registerDevice(service, v2({ 'broadcast.sent': [me.uuid] }))
    const [device, other] = [await connect(service, me), await connect(service, emitter)]
    expect(await device.subscribeCode(emitter.uuid)).toBe(1)
    await other.request('whoami')
    await sendOverMqtt(other, { devices: ['*'], hello: 'all' })
    const seen = await deliveredDuring(device, () => {})
    expect(seen.map(e => [e.topic, e.data])).toEqual([['message', { devices: ['*'], hello: 'all', fromUuid: emitter.uuid }]])
    await device.end(); await other.end()
  })

  it('narrowed to broadcasts ends with an UNSUBSCRIBE of the topic it asked for', async () => {
    const emitter = await registerDevice(service, v2({ 'broadcast.sent': [me.uuid] }))
    const [device, other] = [await connect(service, me), await connect(service, emitter)]
    expect(await device.subscribeCode(emitter.uuid)).toBe(1)
    await device.client.unsubscribeAsync(emitter.uuid)
    expect(await deliveredDuring(device, () => sendOverMqtt(other, { devices: ['*'] }))).toEqual([])
    await device.end(); await other.end()
  })

  it('stops delivering broadcasts as soon as broadcast.sent no longer admits the subscriber', async () => {
    const emitter = await registerDevice(service, v2({ 'broadcast.sent': [me.uuid] }))
    const [device, other] = [await connect(service, me), await connect(service, emitter)]
    expect(await device.subscribeCode(emitter.uuid)).toBe(1)
    await other.request('update', { meshblu: { version: '2.0.0', whitelists: {} } })
    const seen = await deliveredDuring(device, () => sendOverMqtt(other, { devices: ['*'] }))
    expect(seen).toEqual([])
    await device.end(); await other.end()
  })

  it.each([
    ['another device\'s topic without rights on it', () => stranger.uuid],
    ['another device\'s broadcasts without rights on it', () => `${stranger.uuid}/broadcast`],
    ['an unknown uuid', () => '00000000-0000-4000-8000-000000000000'],
    ['the multi-level wildcard #', () => '#'],
    ['a single-level wildcard under its own uuid', () => `${me.uuid}/+`],
    ['$SYS topics', () => '$SYS/#'],
    ['the topic where handled requests end', () => '$endo/handled'],
    ['an API topic such as message', () => 'message'],
    ['a sub-topic of its own uuid', () => `${me.uuid}/extra/levels`],
  ])('to %s fails with SUBACK 0x80', async (_name, topic) => {
    const device = await connect(service, me)
    expect(await device.subscribeCode(topic())).toBe(SUBACK_FAILURE)
    expect((await device.request('whoami')).data.uuid).toBe(me.uuid)
    await device.end()
  })
})

describe('meshblu-endo §7: publishing straight to a device topic', () => {
  it('to another device\'s topic is refused with an error reply and delivers nothing', async () => {
    const [a, b] = [await registerDevice(service), await registerDevice(service, v2({ 'message.from': ['*'] }))]
    const [alice, bob] = [await connect(service, a), await connect(service, b)]
    const forged = { topic: 'message', data: { devices: [b.uuid], fromUuid: 'someone-else' }, callbackId: 'forged-1' }
    const replies = await deliveredDuring(alice, () => alice.publishRaw(b.uuid, JSON.stringify(forged)))
    expect(replies).toEqual([{ topic: 'error', data: { message: `Topic '${b.uuid}' is not valid` }, _request: forged }])
    expect(await deliveredDuring(bob, () => {})).toEqual([])
    await alice.end(); await bob.end()
  })

  it('to its own topic is refused the same way', async () => {
    const a = await registerDevice(service)
    const alice = await connect(service, a)
    expect(await alice.request(a.uuid, { topic: 'message', data: {} })).toMatchObject({ topic: 'error', data: { message: `Topic '${a.uuid}' is not valid` } })
    await alice.end()
  })
})

describe('meshblu-endo §4: topics with more than 100 levels', () => {
  const deep = Array.from({ length: 150 }, (_, i) => `l${i}`).join('/')

  // The client never gets a PUBACK/SUBACK (mqtt.js keeps a QoS 1 publish for a reconnect), so nothing is awaited but the close.
  it.each([
    ['published to', (device: MqttDevice) => { void device.publishRaw(deep, '{}').catch(() => {}) }],
    ['subscribed to', (device: MqttDevice) => { void device.client.subscribeAsync(deep).catch(() => {}) }],
  ])('close only the offending connection when %s', async (_verb, offend) => {
    const [a, b] = [await registerDevice(service), await registerDevice(service)]
    const [offender, bystander] = [await connect(service, a), await connect(service, b)]
    offend(offender)
    await offender.closed
    expect((await bystander.request('whoami')).data.uuid).toBe(b.uuid)
    const again = await connect(service, a)
    expect((await again.request('whoami')).data.uuid).toBe(a.uuid)
    await again.end(); await bystander.end()
  })
})

describe('meshblu-endo §2, §3.3: messages across the two APIs', () => {
  it('sent over HTTP POST /messages reach a device connected over MQTT with the same route', async () => {
    const [a, b] = [await registerDevice(service), await registerDevice(service, v2({ 'message.from': ['*'] }))]
    const bob = await connect(service, b)
    const got = await deliveredDuring(bob, async () => {
      const response = await fetch(`${service.httpUrl}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${a.uuid}:${a.token}`).toString('base64')}` },
        body: JSON.stringify({ devices: [b.uuid], via: 'http' }),
      })
      expect(response.status).toBe(204)
    })
    expect(got).toEqual([{
      topic: 'message',
      data: { devices: [b.uuid], via: 'http', fromUuid: a.uuid },
      metadata: { route: [{ from: a.uuid, to: b.uuid, type: 'message.received' }, { from: b.uuid, to: b.uuid, type: 'message.received' }] },
    }])
    await bob.end()
  })
})
