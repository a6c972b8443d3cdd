// The contract between src/core/broker/aedes-seams.ts and the aedes installed: each test here fails when an
// aedes upgrade breaks what a seam relies on, against the real broker with mqtt.js clients (each was seen to
// fail with its seam switched off). Seams whose effect other suites already prove, and fail without:
//   - guardPacketSize: test/e2e/mqtt-bad-input.test.ts ("announced by a CONNECT that never authenticated closes
//     the socket before the body arrives") and test/reliability/hardening/broker-memory.test.ts ("over WebSocket");
//   - replacePersistence: broker-memory.test.ts "an offline persistent session" (queues bounded) and "QoS 2
//     messages a client never releases".
// dropWill is a second line: live-sessions.test.ts checks that a session whose credentials end fires no Last
// Will, but aedes also passes the will through authorizePublish, which refuses an ended session, and close()
// clears `_will`; no test can fail without it alone.
import fs from 'node:fs'
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import mqtt from 'mqtt'
import mqttPacket, { type IPublishPacket, type Packet } from 'mqtt-packet'
import { Aedes, type AedesPublishPacket, type Client } from 'aedes'
import { AEDES_VERSION, aedesVersionOf, checkAedesSeams } from '../../../src/core/broker/aedes-seams.js'
import { SINK_TOPIC } from '../../../src/core/broker/mqtt-session.js'
import { holdSubscription } from '../../../src/core/broker/subscription-count.js'
import { startTestService, type TestService } from '../../support/test-service.js'
import { startBusService } from '../../support/bus-service.js'
import { onboardPerson, type Person } from '../../support/person.js'
import { connectDevice, type Envelope, type MqttDevice } from '../../support/mqtt-device.js'
import { connect, registerDevice, sendOverMqtt, v2, type Credentials } from '../../support/device-fixture.js'

let service: TestService
let person: Person
beforeAll(async () => {
  service = await startTestService()
  person = await onboardPerson(service, { username: 'seams' })
})
afterAll(async () => { await person.end(); await service.stop() })

async function sessionToken (uuid: string): Promise<string> {
  return (await service.bus.createSessionToken({ uuid }, uuid, {})).token
}

/** Publishes on the broker itself and resolves once aedes' publish pipeline has run for the packet. */
async function publishOnBroker (topic: string, qos: 0 | 1): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    service.broker.aedes.publish({ cmd: 'publish', topic, payload: 'control', qos, retain: false, dup: false }, error => error === undefined || error === null ? resolve() : reject(error))
  })
}

describe('the aedes version', () => {
  it('is the one the seams were written for, pinned exactly in package.json', () => {
    const manifest = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'))
    expect(manifest.dependencies.aedes).toBe(AEDES_VERSION)
    expect(aedesVersionOf(service.broker.aedes)).toBe(AEDES_VERSION)
  })

  it('passes the start check, which names the seam and the version when an internal is gone', async () => {
    const aedes = await Aedes.createBroker()
    try {
      expect(() => checkAedesSeams(aedes)).not.toThrow()
      Object.assign(aedes, { unregisterClient: undefined })
      expect(() => checkAedesSeams(aedes)).toThrow(`aedes seam unregisterClient: aedes.unregisterClient() is gone (written for aedes ${AEDES_VERSION}, running aedes ${AEDES_VERSION}`)
    } finally {
      await new Promise<void>(resolve => aedes.close(() => resolve()))
    }
  })
})

describe('a handled API request (skipPublishPipeline)', () => {
  const CONTROL_TOPIC = '$endo/control'
  const watcherId = `sink-watcher-${randomUUID().slice(0, 8)}`
  /** A persistent session, offline, subscribed to the sink (which no client may do) and to a control topic. */
  const watcher = { id: watcherId } as Client
  const watch = async (): Promise<unknown> => await service.broker.sessions.addSubscriptions(watcher, [{ topic: SINK_TOPIC, qos: 1 }, { topic: CONTROL_TOPIC, qos: 1 }])
  const matched: string[] = []
  const published: string[] = []
  const match = (packet: AedesPublishPacket, done: () => void): void => { matched.push(packet.topic); done() }
  const onPublish = (packet: AedesPublishPacket): void => { published.push(packet.topic) }
  let device: Credentials

  beforeAll(async () => {
    const aedes = service.broker.aedes
    // Every place aedes' pipeline would take the sink copy to: the topic matcher behind every subscription,
    // the offline queue of a persistent session subscribed to it, and the 'publish' event.
    await new Promise<void>(resolve => aedes.subscribe('$endo/#', match, resolve))
    for (const topic of [SINK_TOPIC, CONTROL_TOPIC]) holdSubscription(watcher, topic, 10)
    await watch()
    aedes.on('publish', onPublish)
    device = await registerDevice(service)
  })
  afterAll(async () => {
    service.broker.aedes.off('publish', onPublish)
    await new Promise<void>(resolve => service.broker.aedes.unsubscribe('$endo/#', match, resolve))
    await service.broker.sessions.removeSession(watcherId, service.broker.aedes.id)
  })

  it.each([0, 1, 2] as const)('at QoS %i is answered, and its sink copy reaches no subscriber, queue, retained store or publish event', async qos => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${service.mqttPort}`, { username: device.uuid, password: device.token, reconnectPeriod: 0, clientId: `sink-${qos}-${randomUUID().slice(0, 8)}` })
    try {
      await client.subscribeAsync(device.uuid, { qos: 1 })
      const replies: Envelope[] = []
      client.on('message', (_topic, payload) => replies.push(JSON.parse(payload.toString())))
      const answered = new Promise<void>(resolve => client.on('message', () => { if (replies.length === 2) resolve() }))
      await client.publishAsync('whoami', '{}', { qos, retain: true })
      await client.publishAsync('message', JSON.stringify({ devices: [device.uuid], text: 'to myself' }), { qos })
      await answered
      expect(replies.map(reply => reply.topic)).toEqual(['whoami', 'message'])

      // The same observers do see a publication the pipeline runs for (their own control).
      await publishOnBroker(CONTROL_TOPIC, 1)
      expect(matched).toEqual([CONTROL_TOPIC])
      expect(published).toContain(CONTROL_TOPIC)
      expect(service.broker.sessions.sizeOf(watcherId).queued).toBe(1)

      expect(published).not.toContain(SINK_TOPIC)
      const retained: unknown[] = await service.broker.sessions.createRetainedStream('$endo/#').toArray()
      expect(retained).toEqual([])
    } finally {
      matched.length = 0
      published.length = 0
      await service.broker.sessions.removeSession(watcherId, service.broker.aedes.id)
      await watch()
      await client.endAsync(true)
    }
  })
})

describe('a request answered at once (holdWritesForRequest)', () => {
  /** The packets of each write (one syscall) the broker makes on the next connection it accepts. */
  function recordWritesOfNextConnection (): Packet[][] {
    const writes: Packet[][] = []
    const record = (buffers: Buffer[]): void => {
      const packets: Packet[] = []
      const parser = mqttPacket.parser()
      parser.on('packet', packet => packets.push(packet))
      parser.parse(Buffer.concat(buffers))
      writes.push(packets)
    }
    // Counted at the broker's socket: a client on the same loop would read both packets in one chunk even when
    // they were written apart (the reply leaves in the check phase, the client reads in the next poll phase).
    service.broker.tcp.once('connection', (socket: Socket) => {
      const stream = socket as Socket & { _write: Function, _writev: Function }
      const write = stream._write
      const writev = stream._writev
      stream._write = function (chunk: Buffer | string, encoding: BufferEncoding, callback: () => void) {
        record([Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding)])
        return write.call(this, chunk, encoding, callback)
      }
      stream._writev = function (chunks: Array<{ chunk: Buffer | string, encoding: BufferEncoding }>, callback: () => void) {
        record(chunks.map(c => Buffer.isBuffer(c.chunk) ? c.chunk : Buffer.from(c.chunk, c.encoding)))
        return writev.call(this, chunks, callback)
      }
    })
    return writes
  }

  const ROUNDS = 30
  let flow: MqttDevice
  let writes: Packet[][]
  beforeAll(async () => {
    writes = recordWritesOfNextConnection()
    flow = await connectDevice(service.mqttPort, person.flow.uuid, await sessionToken(person.flow.uuid))
  })
  afterAll(async () => { await flow.end() })

  /** The writes that carry a PUBACK and the reply a predicate picks. */
  function pubackWithReply (picks: (reply: Envelope) => boolean): Packet[][] {
    return writes.filter(packets => packets.some(p => p.cmd === 'puback') &&
      packets.some(p => p.cmd === 'publish' && picks(JSON.parse((p as IPublishPacket).payload.toString()))))
  }

  it(`sends the PUBACK and the Echo job's reply in one write, ${ROUNDS} jobs in a row`, async () => {
    const marker = randomUUID()
    for (let round = 0; round < ROUNDS; round++) {
      const respondTo = `${marker}-${round}`
      await flow.client.publishAsync('message', JSON.stringify({ devices: [person.user.uuid], metadata: { jobType: 'Echo', respondTo }, data: { text: String(round) } }), { qos: 1 })
      await flow.next(e => e.data?.metadata?.to === respondTo)
    }
    const together = pubackWithReply(reply => String(reply.data?.metadata?.to).startsWith(marker))
    expect(together.length).toBeGreaterThanOrEqual(ROUNDS * 0.9)
    for (const packets of together) expect(packets.map(p => p.cmd)).toEqual(['puback', 'publish'])
  })

  it(`sends the PUBACK and a whoami reply (answered inside authorizePublish) in one write, ${ROUNDS} requests in a row`, async () => {
    const marker = randomUUID()
    for (let round = 0; round < ROUNDS; round++) {
      const reply = await flow.request('whoami', { marker })
      expect(reply.data.uuid).toBe(person.flow.uuid)
    }
    const together = pubackWithReply(reply => reply.topic === 'whoami' && reply._request?.marker === marker)
    expect(together.length).toBeGreaterThanOrEqual(ROUNDS * 0.9)
  })

  it('still acknowledges a request that gets no reply (the connection is uncorked all the same)', async () => {
    // a message to a device that refuses the sender: nothing comes back but the PUBACK
    const stranger = await registerDevice(service)
    await flow.client.publishAsync('message', JSON.stringify({ devices: [stranger.uuid], data: { text: 'unanswered' } }), { qos: 1 })
    expect((await flow.request('whoami')).data.uuid).toBe(person.flow.uuid)
  })

  it('acknowledges each of several requests that arrive together, each with its reply', async () => {
    const marker = randomUUID()
    const replies = [1, 2, 3].map(i => flow.next(e => e.data?.metadata?.to === `${marker}-${i}`))
    await Promise.all([1, 2, 3].map(async i => await flow.client.publishAsync('message', JSON.stringify({ devices: [person.user.uuid], metadata: { jobType: 'Echo', respondTo: `${marker}-${i}` }, data: { text: String(i) } }), { qos: 1 })))
    expect((await Promise.all(replies)).map(reply => [reply.data.metadata.code, reply.data.data.text])).toEqual([[200, '1'], [200, '2'], [200, '3']])
  })
})

describe('a session whose credentials end', () => {
  it('leaves no stored Last Will behind (deleteStoredWill)', async () => {
    const device = await registerDevice(service)
    const clientId = `will-${randomUUID().slice(0, 8)}`
    const will = { topic: 'message', payload: Buffer.from(JSON.stringify({ devices: [device.uuid], will: true })), qos: 1 as const, retain: false }
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${service.mqttPort}`, { username: device.uuid, password: device.token, reconnectPeriod: 0, clientId, will })
    client.on('error', () => {})
    const closed = new Promise<void>(resolve => client.once('close', () => resolve()))
    expect(await service.broker.sessions.getWill({ id: clientId })).toBeDefined()
    await service.bus.resetToken({ uuid: device.uuid }, device.uuid)
    await closed
    expect(await service.broker.sessions.getWill({ id: clientId })).toBeUndefined()
  })

  it('while aedes is still connecting is unregistered once aedes registers it, and its Last Will is never stored (unregisterClient)', async () => {
    const aedes = service.broker.aedes
    const device = await registerDevice(service)
    const clientId = `ending-${randomUUID().slice(0, 8)}`
    const connectedBefore = aedes.connectedClients
    // aedes' connect handler clears a clean session's stored subscriptions after authenticating and before
    // registering the client: the device's credentials end right there.
    const sessions = service.broker.sessions
    const cleanSubscriptions = sessions.cleanSubscriptions.bind(sessions)
    sessions.cleanSubscriptions = async client => {
      if (client.id === clientId) await service.bus.resetToken({ uuid: device.uuid }, device.uuid)
      return await cleanSubscriptions(client)
    }
    const unregistered = new Promise<void>(resolve => {
      const onDisconnect = (client: Client): void => { if (client.id === clientId) { aedes.off('clientDisconnect', onDisconnect); resolve() } }
      aedes.on('clientDisconnect', onDisconnect)
    })
    try {
      const will = { topic: 'message', payload: Buffer.from('{}'), qos: 1 as const, retain: false }
      const refused = await mqtt.connectAsync(`mqtt://127.0.0.1:${service.mqttPort}`, { username: device.uuid, password: device.token, reconnectPeriod: 0, clientId, will }, false)
        .then(client => { void client.endAsync(true); return false }, () => true)
      expect(refused).toBe(true)
      const timeout = new Promise<void>((_resolve, reject) => setTimeout(() => reject(new Error('aedes still holds the closed client as registered')), 3000).unref())
      await Promise.race([unregistered, timeout])
      expect(aedes.connectedClients).toBe(connectedBefore)
      expect(await sessions.getWill({ id: clientId })).toBeUndefined()
    } finally {
      sessions.cleanSubscriptions = cleanSubscriptions
    }
  })
})

describe('a client that stops reading, below maxPendingOutputBytes (allowOutputBacklog)', () => {
  const MAX_PENDING = 2 * 1024 * 1024
  let slowService: TestService
  beforeAll(async () => { slowService = await startBusService({ limits: { maxPendingOutputBytes: MAX_PENDING, drainTimeout: 60_000 } }) })
  afterAll(async () => { await slowService.stop() })

  /** Rejects when `promise` has not settled within `ms`. */
  async function within<T> (ms: number, what: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms) })
    try { return await Promise.race([promise, late]) } finally { clearTimeout(timer) }
  }

  it('holds up no delivery: 150 messages wait in its buffer while another device keeps its round trips', async () => {
    const service = slowService
    const slow = await registerDevice(service, v2({ 'message.from': ['*'] }))
    const serverSide = new Promise<Socket>(resolve => service.broker.tcp.once('connection', resolve))
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${service.mqttPort}`, { username: slow.uuid, password: slow.token, reconnectPeriod: 0, clientId: `stalled-${randomUUID().slice(0, 8)}` })
    client.on('error', () => {})
    await client.subscribeAsync(slow.uuid, { qos: 1 })
    const socket = await serverSide
    const stream = client.stream as unknown as Socket
    stream.unpipe()
    stream.pause()
    const flooder = await connect(service, await registerDevice(service))
    const other = await connect(service, await registerDevice(service))
    try {
      // Fill the loopback buffers of both ends until output waits in the broker's socket.
      const big = 'b'.repeat(64 * 1024)
      for (let i = 0; socket.writableLength === 0; i++) {
        if (i === 400) throw new Error('the kernel took 25 MiB without the broker having to buffer any')
        await sendOverMqtt(flooder, { devices: [slow.uuid], big })
        await new Promise(resolve => setImmediate(resolve))
      }
      // aedes delivers 100 messages at a time and holds a delivery's slot while a write waits for 'drain': at
      // the default 16 KiB high-water mark these would hold every slot until drainTimeout.
      const small = 's'.repeat(1024)
      await within(5000, 'flooding the stalled client', (async () => {
        for (let i = 0; i < 150; i += 10) await Promise.all(Array.from({ length: 10 }, () => sendOverMqtt(flooder, { devices: [slow.uuid], small })))
      })())
      expect((await within(2000, 'a round trip of another device', other.request('whoami'))).data.uuid).toBe(other.uuid)
      expect(socket.writableLength).toBeGreaterThan(100 * 1024)
      expect(socket.writableLength).toBeLessThan(MAX_PENDING)
      expect(socket.destroyed).toBe(false)
    } finally {
      await flooder.end()
      await other.end()
      socket.destroy()
    }
  })
})
