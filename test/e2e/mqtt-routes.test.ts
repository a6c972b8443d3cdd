// meshblu-endo §2.2–§2.3: what MQTT devices see pushed on their `<uuid>` topic, with the route of each delivery.
import type { TestService } from '../support/test-service.js'
import { startBusService } from '../support/bus-service.js'
import { connect, deliveredDuring, registerDevice, sendOverMqtt, subscribe, v2, type Credentials } from '../support/device-fixture.js'

let service: TestService
beforeAll(async () => { service = await startBusService() })
afterAll(async () => { await service.stop() })

const hop = (from: Credentials, to: Credentials, type: string) => ({ from: from.uuid, to: to.uuid, type })
const open = v2({ 'message.from': ['*'] })

describe('meshblu-endo §2.3: a direct message from A to B', () => {
  it('reaches B once with the route [A→B, B→B] and fromUuid set', async () => {
    const a = await registerDevice(service)
    const b = await registerDevice(service, open)
    const [alice, bob] = [await connect(service, a), await connect(service, b)]
    const got = await deliveredDuring(bob, () => sendOverMqtt(alice, { devices: [b.uuid], payload: { n: 1 } }))
    expect(got).toEqual([{
      topic: 'message',
      data: { devices: [b.uuid], payload: { n: 1 }, fromUuid: a.uuid },
      metadata: { route: [hop(a, b, 'message.received'), hop(b, b, 'message.received')] },
    }])
    await alice.end(); await bob.end()
  })

  it('reaches B exactly once when B also subscribes to its own message.received (§7)', async () => {
    const a = await registerDevice(service)
    const b = await registerDevice(service, open)
    await subscribe(service, b.uuid, b.uuid, 'message.received')
    const [alice, bob] = [await connect(service, a), await connect(service, b)]
    const got = await deliveredDuring(bob, () => sendOverMqtt(alice, { devices: [b.uuid, b.uuid] }))
    expect(got).toHaveLength(1)
    await alice.end(); await bob.end()
  })
})

describe('meshblu-endo §2.3: a spy subscribed to the sender\'s message.sent', () => {
  // The original sent one copy per recipient (§6 quirk); one message is one copy here.
  it('gets one copy per message, with the route [A→S sent, A→S received, S→S received]', async () => {
    const s = await registerDevice(service)
    const a = await registerDevice(service, v2({ 'message.sent': [s.uuid] }))
    const [b, c] = [await registerDevice(service, open), await registerDevice(service, open)]
    await subscribe(service, s.uuid, a.uuid, 'message.sent')
    await subscribe(service, s.uuid, s.uuid, 'message.received')
    const [alice, spy] = [await connect(service, a), await connect(service, s)]
    const got = await deliveredDuring(spy, () => sendOverMqtt(alice, { devices: [b.uuid, c.uuid], secret: 'x' }))
    expect(got).toHaveLength(1)
    for (const envelope of got) {
      expect(envelope.data).toMatchObject({ secret: 'x', fromUuid: a.uuid })
      expect(envelope.metadata.route).toEqual([hop(a, s, 'message.sent'), hop(a, s, 'message.received'), hop(s, s, 'message.received')])
    }
    await alice.end(); await spy.end()
  })

  it('gets nothing without its own (S, S, message.received) subscription', async () => {
    const s = await registerDevice(service)
    const a = await registerDevice(service, v2({ 'message.sent': [s.uuid] }))
    const b = await registerDevice(service, open)
    await subscribe(service, s.uuid, a.uuid, 'message.sent')
    const [alice, spy] = [await connect(service, a), await connect(service, s)]
    expect(await deliveredDuring(spy, () => sendOverMqtt(alice, { devices: [b.uuid] }))).toEqual([])
    await alice.end(); await spy.end()
  })

  it('includes the sender itself when it subscribes to its own message.sent', async () => {
    const a = await registerDevice(service)
    const b = await registerDevice(service, open)
    await subscribe(service, a.uuid, a.uuid, 'message.sent')
    await subscribe(service, a.uuid, a.uuid, 'message.received')
    const alice = await connect(service, a)
    const got = await deliveredDuring(alice, () => sendOverMqtt(alice, { devices: [b.uuid] }))
    expect(got.map(e => e.metadata.route)).toEqual([[hop(a, a, 'message.sent'), hop(a, a, 'message.received')]])
    await alice.end()
  })
})

describe('meshblu-endo §2.3: a watcher subscribed to B\'s message.received', () => {
  it('gets B\'s messages with the route [A→B, B→N, N→N]', async () => {
    const n = await registerDevice(service)
    const b = await registerDevice(service, v2({ 'message.from': ['*'], 'message.received': [n.uuid] }))
    const a = await registerDevice(service)
    await subscribe(service, n.uuid, b.uuid, 'message.received')
    await subscribe(service, n.uuid, n.uuid, 'message.received')
    const [alice, watcher] = [await connect(service, a), await connect(service, n)]
    const got = await deliveredDuring(watcher, () => sendOverMqtt(alice, { devices: [b.uuid], text: 'for b' }))
    expect(got).toEqual([{
      topic: 'message',
      data: { devices: [b.uuid], text: 'for b', fromUuid: a.uuid },
      metadata: { route: [hop(a, b, 'message.received'), hop(b, n, 'message.received'), hop(n, n, 'message.received')] },
    }])
    await alice.end(); await watcher.end()
  })

  it('gets nothing without its own (N, N, message.received) subscription, even while connected', async () => {
    const n = await registerDevice(service)
    const b = await registerDevice(service, v2({ 'message.from': ['*'], 'message.received': [n.uuid] }))
    const a = await registerDevice(service)
    await subscribe(service, n.uuid, b.uuid, 'message.received')
    const [alice, watcher] = [await connect(service, a), await connect(service, n)]
    expect(await deliveredDuring(watcher, () => sendOverMqtt(alice, { devices: [b.uuid] }))).toEqual([])
    await alice.end(); await watcher.end()
  })
})

describe('meshblu-endo §2.3: broadcasts through (S, E, broadcast.sent) + (S, S, broadcast.received)', () => {
  it('reach S with the route [E→S sent, E→S received, S→S received]', async () => {
    const s = await registerDevice(service)
    const e = await registerDevice(service, v2({ 'broadcast.sent': [s.uuid] }))
    await subscribe(service, s.uuid, e.uuid, 'broadcast.sent')
    await subscribe(service, s.uuid, s.uuid, 'broadcast.received')
    const [emitter, subscriber] = [await connect(service, e), await connect(service, s)]
    const got = await deliveredDuring(subscriber, () => sendOverMqtt(emitter, { devices: ['*'], reading: 21 }))
    expect(got).toEqual([{
      topic: 'message',
      data: { devices: ['*'], reading: 21, fromUuid: e.uuid },
      metadata: { route: [hop(e, s, 'broadcast.sent'), hop(e, s, 'broadcast.received'), hop(s, s, 'broadcast.received')] },
    }])
    await emitter.end(); await subscriber.end()
  })
})

describe('meshblu-endo §2.3: configure events of T through (S, T, configure.sent) + (S, S, configure.received)', () => {
  it('carry the whole updated device as payload on topic config', async () => {
    const s = await registerDevice(service)
    const t = await registerDevice(service, v2({ 'configure.sent': [s.uuid] }, { name: 'thermostat' }))
    await subscribe(service, s.uuid, t.uuid, 'configure.sent')
    await subscribe(service, s.uuid, s.uuid, 'configure.received')
    const [thermostat, subscriber] = [await connect(service, t), await connect(service, s)]
    const got = await deliveredDuring(subscriber, () => thermostat.request('update', { setpoint: 19 }))
    expect(got).toHaveLength(1)
    expect(got[0].topic).toBe('config')
    expect(got[0].data).toEqual((await service.bus.registry.get(t.uuid)))
    expect(got[0].data).toMatchObject({ uuid: t.uuid, name: 'thermostat', setpoint: 19 })
    expect(got[0].data.token).toBeUndefined()
    expect(got[0].metadata.route).toEqual([hop(t, s, 'configure.sent'), hop(t, s, 'configure.received'), hop(s, s, 'configure.received')])
    await thermostat.end(); await subscriber.end()
  })

  it('also reach the updated device itself once, on its own topic (v1 config push, §2.7)', async () => {
    const t = await registerDevice(service)
    const thermostat = await connect(service, t)
    const got = await deliveredDuring(thermostat, () => thermostat.request('update', { setpoint: 20 }))
    expect(got.map(e => [e.topic, e.data.setpoint])).toEqual([['config', 20]])
    await subscribe(service, t.uuid, t.uuid, 'configure.sent')
    await subscribe(service, t.uuid, t.uuid, 'configure.received')
    const again = await deliveredDuring(thermostat, () => thermostat.request('update', { setpoint: 21 }))
    expect(again.map(e => [e.topic, e.data.setpoint])).toEqual([['config', 21]])
    await thermostat.end()
  })
})

describe('meshblu-endo §2.1: unregistering T', () => {
  it('sends an unregister event to S through (S, T, unregister.sent) + (S, S, unregister.received)', async () => {
    const s = await registerDevice(service)
    const t = await registerDevice(service, v2({ 'configure.sent': [s.uuid] }))
    await subscribe(service, s.uuid, t.uuid, 'unregister.sent')
    await subscribe(service, s.uuid, s.uuid, 'unregister.received')
    const subscriber = await connect(service, s)
    const got = await deliveredDuring(subscriber, () => service.bus.unregister({ uuid: t.uuid }, t.uuid))
    expect(got).toEqual([{
      topic: 'unregister',
      data: { uuid: t.uuid },
      metadata: { route: [hop(t, s, 'unregister.sent'), hop(t, s, 'unregister.received'), hop(s, s, 'unregister.received')] },
    }])
    expect(await service.bus.subscriptions.list(s.uuid)).toEqual([{ subscriberUuid: s.uuid, emitterUuid: s.uuid, type: 'unregister.received' }])
    await subscriber.end()
  })

  it('closes T\'s own MQTT connections, whose credentials are gone', async () => {
    const t = await registerDevice(service)
    const device = await connect(service, t)
    await service.bus.unregister({ uuid: t.uuid }, t.uuid)
    await device.closed
    expect(device.client.connected).toBe(false)
  })
})

describe('meshblu-endo §2.5: two devices watching each other\'s inbox', () => {
  it('see a message only until a hop would repeat: B twice (directly, then back through A), A once', async () => {
    const a = await registerDevice(service)
    const b = await registerDevice(service, v2({ 'message.from': ['*'], 'message.received': [a.uuid] }))
    await service.bus.update({ uuid: a.uuid }, a.uuid, { $set: { 'meshblu.whitelists.message.received': [{ uuid: b.uuid }] } })
    for (const [subscriber, emitter] of [[a, b], [b, a], [a, a], [b, b]]) await subscribe(service, subscriber.uuid, emitter.uuid, 'message.received')
    const c = await registerDevice(service)
    const [alice, bob, carol] = [await connect(service, a), await connect(service, b), await connect(service, c)]
    await sendOverMqtt(carol, { devices: [b.uuid] })
    const atBob = await deliveredDuring(bob, () => {})
    const atAlice = await deliveredDuring(alice, () => {})
    const received = 'message.received'
    expect(atBob.map(e => e.metadata.route)).toEqual([
      [hop(c, b, received), hop(b, b, received)],
      [hop(c, b, received), hop(b, a, received), hop(a, b, received), hop(b, b, received)],
    ])
    expect(atAlice.map(e => e.metadata.route)).toEqual([[hop(c, b, received), hop(b, a, received), hop(a, a, received)]])
    await alice.end(); await bob.end(); await carol.end()
  })
})
