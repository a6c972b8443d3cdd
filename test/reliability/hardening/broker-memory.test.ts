// Issue 17, what the MQTT broker can be made to hold, as an attacker tries it: any registered device can
// open persistent sessions and leave them offline, leave QoS 2 messages unreleased, stop reading its socket,
// subscribe to every topic it may, and anyone can open a WebSocket and send a huge frame or never finish
// its CONNECT. Each is bounded by a limit (src/core/limits.ts); the limits are small here so tests are fast.
import net from 'node:net'
import http from 'node:http'
import { randomBytes, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import mqtt, { type IConnackPacket, type MqttClient } from 'mqtt'
import mqttPacket, { type Packet } from 'mqtt-packet'
import WebSocket from 'ws'
import type { TestService } from '../../support/test-service.js'
import { startBusService } from '../../support/bus-service.js'
import { connect, registerDevice, sendOverMqtt, v2, type Credentials } from '../../support/device-fixture.js'
import { SUBACK_FAILURE } from '../../support/mqtt-device.js'
import { describeBudget, expectWithinBudget, underBudget } from '../../support/event-loop-budget.js'

const LIMITS = {
  sessionQueueMaxMessages: 20,
  sessionQueueMaxBytes: 64 * 1024,
  maxInflightQos2: 8,
  maxPendingOutputBytes: 1024 * 1024,
  maxPayloadBytes: 512 * 1024,
  maxSubscriptionsPerDevice: 16,
  connectTimeout: 1000,
  // long, so that a client cut off here was cut by maxPendingOutputBytes and not by aedes' drain timeout
  drainTimeout: 60_000,
}

let service: TestService
beforeAll(async () => { service = await startBusService({ limits: LIMITS }) })
afterAll(async () => { await service.stop() })

const open = (): Record<string, unknown> => v2({ 'message.from': ['*'], 'broadcast.sent': ['*'] })

// ---- clients

interface Session { client: MqttClient, sessionPresent: boolean, received: Array<{ i?: number, bytes: number }> }

/** An mqtt.js connection with clean=false under a chosen client id, recording what it receives from the start. */
async function persistentSession (port: number, device: Credentials, clientId: string): Promise<Session> {
  const received: Session['received'] = []
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId, clean: false, username: device.uuid, password: device.token, reconnectPeriod: 0 })
  client.on('message', (_topic, payload) => { received.push({ i: JSON.parse(payload.toString()).data?.i, bytes: payload.length }) })
  const connack = await new Promise<IConnackPacket>((resolve, reject) => {
    client.once('connect', resolve)
    client.once('error', reject)
  })
  return { client, sessionPresent: connack.sessionPresent, received }
}

/** Resolves when the broker has let go of the connection with this client id. */
function brokerDropped (clientId: string): Promise<void> {
  return new Promise(resolve => {
    const onDisconnect = (client: { id: string }): void => {
      if (client.id !== clientId) return
      service.broker.aedes.off('clientDisconnect', onDisconnect)
      resolve()
    }
    service.broker.aedes.on('clientDisconnect', onDisconnect)
  })
}

interface RawMqtt { send: (packet: Packet) => void, next: (cmd: Packet['cmd']) => Promise<Packet>, closed: Promise<void>, socket: net.Socket }

/** MQTT spoken by hand over TCP (mqtt-packet), for what mqtt.js would not send. */
async function rawMqtt (port: number): Promise<RawMqtt> {
  const socket = net.connect(port, '127.0.0.1')
  socket.setNoDelay(true)
  socket.on('error', () => {})
  const parser = mqttPacket.parser()
  const packets: Packet[] = []
  const waiters: Array<{ cmd: string, resolve: (packet: Packet) => void }> = []
  parser.on('packet', packet => {
    const index = waiters.findIndex(w => w.cmd === packet.cmd)
    if (index >= 0) waiters.splice(index, 1)[0].resolve(packet)
    else packets.push(packet)
  })
  socket.on('data', data => { parser.parse(data) })
  const closed = new Promise<void>(resolve => socket.once('close', () => resolve()))
  await once(socket, 'connect')
  return {
    socket,
    closed,
    send: packet => { if (!socket.destroyed) socket.write(mqttPacket.generate(packet)) },
    next: async cmd => {
      const index = packets.findIndex(p => p.cmd === cmd)
      if (index >= 0) return packets.splice(index, 1)[0]
      return await new Promise<Packet>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${cmd} within 5 s`)), 5000)
        waiters.push({ cmd, resolve: packet => { clearTimeout(timer); resolve(packet) } })
      })
    },
  }
}

function connectPacket (device: Credentials, clientId: string, clean: boolean): Packet {
  return { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean, clientId, keepalive: 0, username: device.uuid, password: Buffer.from(device.token) }
}

/** A WebSocket to the broker's /mqtt path, as the `ws` client opens it. */
async function webSocket (): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${service.httpPort}/mqtt`, 'mqtt')
  ws.on('error', () => {})
  await once(ws, 'open')
  return ws
}

/** Resolves with the ms from now until the connection closes (rejects after `withinMs`). */
function closesWithin (emitter: { once: (event: 'close', listener: () => void) => unknown }, withinMs: number): Promise<number> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${withinMs} ms`)), withinMs)
    emitter.once('close', () => { clearTimeout(timer); resolve(performance.now() - started) })
  })
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/**
 * Sends `count` messages in batches of `batch` (each batch awaited), as they would arrive over a network.
 * Not all at once: attacker and service share this process, and one synchronous burst of a few hundred
 * requests holds the loop ~50 ms here on its own (parsing and routing them), with or without these bounds.
 */
async function sendPaced (count: number, batch: number, send: (i: number) => Promise<void>, stop = (): boolean => false): Promise<number> {
  let sent = 0
  while (sent < count && !stop()) {
    const size = Math.min(batch, count - sent)
    await Promise.all(Array.from({ length: size }, (_, k) => send(sent + k)))
    sent += size
  }
  return sent
}

/** The SUBACK return codes of one SUBSCRIBE (mqtt.js rejects when any is a failure, and hides them). */
async function subackCodes (raw: RawMqtt, messageId: number, topics: string[]): Promise<number[]> {
  raw.send({ cmd: 'subscribe', messageId, subscriptions: topics.map(topic => ({ topic, qos: 1 })) })
  return ((await raw.next('suback')) as { granted: number[] }).granted
}

// ---- tests

describe('an offline persistent session', () => {
  /** A device with a persistent session left offline, and a clean connection of its own that keeps its deliveries flowing. */
  async function offlineSession (): Promise<{ device: Credentials, clientId: string, online: Awaited<ReturnType<typeof connect>>, sender: Awaited<ReturnType<typeof connect>> }> {
    const device = await registerDevice(service, open())
    const clientId = `persist-${randomUUID().slice(0, 8)}`
    const first = await persistentSession(service.mqttPort, device, clientId)
    await first.client.subscribeAsync(device.uuid, { qos: 1 })
    const dropped = brokerDropped(clientId)
    await first.client.endAsync()
    await dropped
    return { device, clientId, online: await connect(service, device), sender: await connect(service, await registerDevice(service)) }
  }

  it('flooded past sessionQueueMaxMessages keeps only the newest messages and delivers them on reconnect', async () => {
    const { device, clientId, online, sender } = await offlineSession()
    const FLOOD = 200
    const report = await underBudget(service, async () => {
      await sendPaced(FLOOD, 20, i => sendOverMqtt(sender, { devices: [device.uuid], i }))
      await online.next(e => e.data?.i === FLOOD - 1) // routed, so queued too
    })
    console.log(describeBudget(`offline session flooded with ${FLOOD} messages (queue limit ${LIMITS.sessionQueueMaxMessages})`, report))
    expectWithinBudget(report)

    const back = await persistentSession(service.mqttPort, device, clientId)
    expect(back.sessionPresent).toBe(true)
    while (back.received.length < LIMITS.sessionQueueMaxMessages) await sleep(10)
    await sleep(100)
    const newest = Array.from({ length: LIMITS.sessionQueueMaxMessages }, (_, k) => FLOOD - LIMITS.sessionQueueMaxMessages + k)
    expect(back.received.map(m => m.i)).toEqual(newest)
    for (const client of [back.client, online.client, sender.client]) await client.endAsync()
  })

  it('flooded past sessionQueueMaxBytes keeps only the newest messages that fit and delivers them on reconnect', async () => {
    const { device, clientId, online, sender } = await offlineSession()
    const FLOOD = 40
    const blob = 'x'.repeat(8 * 1024)
    const report = await underBudget(service, async () => {
      await sendPaced(FLOOD, 10, i => sendOverMqtt(sender, { devices: [device.uuid], i: 100 + i, blob }))
      await online.next(e => e.data?.i === 100 + FLOOD - 1)
    })
    console.log(describeBudget(`offline session flooded with ${FLOOD} × 8 KiB (queue limit ${LIMITS.sessionQueueMaxBytes} bytes)`, report))
    expectWithinBudget(report)

    const back = await persistentSession(service.mqttPort, device, clientId)
    expect(back.sessionPresent).toBe(true)
    while (!back.received.some(m => m.i === 100 + FLOOD - 1)) await sleep(10)
    await sleep(100)
    const kept = back.received.map(m => m.i)
    const bytes = back.received.reduce((sum, m) => sum + m.bytes, 0)
    // the newest, in order, as many as fit: one more would not have
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 100 + FLOOD - kept.length + k))
    expect(bytes).toBeLessThanOrEqual(LIMITS.sessionQueueMaxBytes)
    expect(bytes + back.received[0].bytes).toBeGreaterThan(LIMITS.sessionQueueMaxBytes)
    for (const client of [back.client, online.client, sender.client]) await client.endAsync()
  })

  it('left offline past sessionExpirySeconds is gone: a reconnect gets sessionPresent=false, and the expiry is announced', async () => {
    const short = await startBusService({ limits: { ...LIMITS, sessionExpirySeconds: 1 } })
    try {
      const device = await registerDevice(short)
      const clientId = `expiring-${randomUUID().slice(0, 8)}`
      const expired: string[] = []
      short.broker.sessionExpiry.onExpired(id => expired.push(id))

      const first = await persistentSession(short.mqttPort, device, clientId)
      await first.client.subscribeAsync(device.uuid, { qos: 1 })
      await first.client.endAsync()
      const soon = await persistentSession(short.mqttPort, device, clientId)
      expect(soon.sessionPresent).toBe(true) // back within the expiry: the session is there
      await soon.client.endAsync()

      await sleep(1600)
      expect(expired).toEqual([clientId])
      const late = await persistentSession(short.mqttPort, device, clientId)
      expect(late.sessionPresent).toBe(false)
      await late.client.endAsync()
    } finally {
      await short.stop()
    }
  })
})

describe('QoS 2 messages a client never releases (PUBREC without PUBREL)', () => {
  const publishQos2 = (raw: RawMqtt, device: Credentials, messageId: number, payload: string): void => {
    raw.send({ cmd: 'publish', topic: 'message', qos: 2, messageId, retain: false, dup: false, payload: JSON.stringify({ devices: [device.uuid], payload }) })
  }

  it('past maxInflightQos2 close the connection, and a persistent session cannot reset the count by reconnecting', async () => {
    const device = await registerDevice(service)
    const clientId = `qos2-${randomUUID().slice(0, 8)}`
    const big = 'q'.repeat(256 * 1024)
    const seen = { pubrecs: 0, closedPastLimit: false, closedOnReconnect: false }
    // underBudget ignores the attack's own failures: what it saw is asserted afterwards
    const report = await underBudget(service, async () => {
      const raw = await rawMqtt(service.mqttPort)
      raw.send(connectPacket(device, clientId, false))
      await raw.next('connack')
      for (let id = 1; id <= LIMITS.maxInflightQos2; id++) publishQos2(raw, device, id, big)
      for (let id = 1; id <= LIMITS.maxInflightQos2; id++) { await raw.next('pubrec'); seen.pubrecs++ }
      publishQos2(raw, device, LIMITS.maxInflightQos2 + 1, big)
      seen.closedPastLimit = await closesWithin(raw.socket, 3000).then(() => true, () => false)

      // the unreleased ones are still counted for this client id on its next connection
      const again = await rawMqtt(service.mqttPort)
      again.send(connectPacket(device, clientId, false))
      await again.next('connack')
      publishQos2(again, device, 1000, big)
      seen.closedOnReconnect = await closesWithin(again.socket, 3000).then(() => true, () => false)
      again.socket.destroy()
    })
    console.log(describeBudget(`QoS 2 left unreleased (${LIMITS.maxInflightQos2} + 1 × 256 KiB, twice)`, report))
    expect(seen).toEqual({ pubrecs: LIMITS.maxInflightQos2, closedPastLimit: true, closedOnReconnect: true })
    expectWithinBudget(report)

    // releasing them makes room again
    const release = await rawMqtt(service.mqttPort)
    release.send(connectPacket(device, clientId, false))
    await release.next('connack')
    for (let id = 1; id <= LIMITS.maxInflightQos2; id++) release.send({ cmd: 'pubrel', messageId: id })
    for (let id = 1; id <= LIMITS.maxInflightQos2; id++) await release.next('pubcomp')
    publishQos2(release, device, 2000, 'small')
    expect(await release.next('pubrec')).toMatchObject({ messageId: 2000 })
    release.socket.destroy()
  })
})

describe('a client that stops reading', () => {
  const BLOB = 'y'.repeat(128 * 1024)
  // more than the loopback socket buffers of both ends take, so that output waits in the broker
  const FLOOD = 160

  /** Floods the slow device until the broker drops it; resolves with the ms it took (rejects if it never did). */
  async function floodUntilDropped (slow: Credentials, clientId: string): Promise<number> {
    const flooder = await connect(service, await registerDevice(service))
    let droppedAfter: number | undefined
    const started = performance.now()
    void brokerDropped(clientId).then(() => { droppedAfter = performance.now() - started })
    const sent = await sendPaced(FLOOD, 8, i => sendOverMqtt(flooder, { devices: [slow.uuid], i, blob: BLOB }), () => droppedAfter !== undefined)
    await flooder.end()
    for (let i = 0; i < 100 && droppedAfter === undefined; i++) await sleep(20)
    if (droppedAfter === undefined) throw new Error(`still connected after ${sent} messages of ${BLOB.length} bytes`)
    return droppedAfter
  }

  /** Floods the non-reading client while a bystander measures; it must be cut well before drainTimeout. */
  async function expectCutOffInTime (transport: string, slow: Credentials, clientId: string): Promise<void> {
    let elapsed = -1
    const report = await underBudget(service, async () => { elapsed = await floodUntilDropped(slow, clientId) })
    console.log(describeBudget(`non-reading ${transport} client flooded with 128 KiB messages (cut after ${elapsed.toFixed(0)} ms)`, report))
    expect(elapsed).toBeGreaterThan(0)
    expect(elapsed).toBeLessThan(LIMITS.drainTimeout / 2)
    expectWithinBudget(report)
  }

  it('over TCP is disconnected past maxPendingOutputBytes, before drainTimeout, while others keep their round trips', async () => {
    const slow = await registerDevice(service, open())
    const clientId = `slow-${randomUUID().slice(0, 8)}`
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${service.mqttPort}`, { clientId, username: slow.uuid, password: slow.token, reconnectPeriod: 0 })
    await client.subscribeAsync(slow.uuid, { qos: 1 })
    const socket = client.stream as unknown as net.Socket
    socket.unpipe()
    socket.pause()
    await expectCutOffInTime('TCP', slow, clientId)
    socket.destroy()
  })

  it('over WebSocket is disconnected past maxPendingOutputBytes as well', async () => {
    const slow = await registerDevice(service, open())
    const clientId = `slow-ws-${randomUUID().slice(0, 8)}`
    const ws = await webSocket()
    const packets = mqttPacket.parser()
    const seen: string[] = []
    packets.on('packet', packet => seen.push(packet.cmd))
    ws.on('message', data => { packets.parse(data as Buffer) })
    ws.send(mqttPacket.generate(connectPacket(slow, clientId, true)))
    ws.send(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: slow.uuid, qos: 1 }] }))
    while (!seen.includes('suback')) await sleep(5)
    ws.pause()
    await expectCutOffInTime('WebSocket', slow, clientId)
    ws.terminate()
  })
})

describe('over WebSocket', () => {
  it('a device connects with mqtt.js and is answered', async () => {
    const device = await registerDevice(service)
    const client = await mqtt.connectAsync(`ws://127.0.0.1:${service.httpPort}/mqtt`, { username: device.uuid, password: device.token, reconnectPeriod: 0 })
    const granted = await client.subscribeAsync(device.uuid, { qos: 1 })
    expect(granted[0].qos).toBe(1)
    await client.endAsync()
  })

  it('a frame announcing more than maxPacketBytes is refused before its body is buffered', async () => {
    // under ws' own default limit (100 MiB), so only maxPayload refuses it
    const ANNOUNCED = 96 * 1024 * 1024
    let sent = 0
    let answer = Buffer.alloc(0)
    const report = await underBudget(service, async () => {
      const socket = await rawWebSocketUpgrade(service.httpPort)
      socket.on('data', data => { answer = Buffer.concat([answer, data]) })
      const closed = closesWithin(socket, 10_000)
      // a masked binary frame with a 64-bit length (mask key 0: the body goes as it is)
      const header = Buffer.alloc(14)
      header[0] = 0x82
      header[1] = 0x80 | 127
      header.writeBigUInt64BE(BigInt(ANNOUNCED), 2)
      socket.write(header)
      const chunk = Buffer.alloc(256 * 1024)
      let open = true
      void closed.then(() => { open = false }, () => {})
      while (open && sent < ANNOUNCED) {
        if (!socket.write(chunk)) await Promise.race([once(socket, 'drain'), closed.catch(() => {})])
        sent += chunk.length
      }
      await closed
    })
    console.log(describeBudget(`WebSocket frame announcing ${ANNOUNCED / 1048576} MiB (closed after ${(sent / 1048576).toFixed(1)} MiB handed to the socket)`, report))
    // closed with 1009 (message too big) as soon as the header arrived, long before the frame's end
    expect(answer.subarray(0, 4)).toEqual(Buffer.from([0x88, 0x02, 0x03, 0xf1]))
    expect(sent).toBeLessThan(ANNOUNCED / 4)
    expectWithinBudget(report)
  })

  it('an MQTT packet announcing more than maxPacketBytes, sent in small frames, is refused like over TCP', async () => {
    const device = await registerDevice(service)
    const ws = await webSocket()
    const closed = closesWithin(ws, 5000)
    ws.send(mqttPacket.generate(connectPacket(device, `big-${randomUUID().slice(0, 8)}`, true)))
    // a PUBLISH fixed header announcing maxPacketBytes + 1, then a few small frames of its body
    const length = service.config.limits.maxPacketBytes + 1
    const remaining: number[] = []
    for (let rest = length; ; rest = Math.floor(rest / 128)) { const byte = rest % 128; if (rest >= 128) { remaining.push(byte | 0x80) } else { remaining.push(byte); break } }
    ws.send(Buffer.from([0x30, ...remaining]))
    for (let i = 0; i < 4; i++) ws.send(Buffer.alloc(1024))
    await closed
  })
})

describe('a connection that does not finish its CONNECT', () => {
  it.each(['tcp', 'websocket'])('over %s, sending nothing, is closed after connectTimeout', async transport => {
    const closedAfter = transport === 'tcp'
      ? await rawMqtt(service.mqttPort).then(raw => closesWithin(raw.socket, LIMITS.connectTimeout + 3000))
      : await webSocket().then(ws => closesWithin(ws, LIMITS.connectTimeout + 3000))
    expect(closedAfter).toBeGreaterThan(LIMITS.connectTimeout * 0.8)
  })

  it.each(['tcp', 'websocket'])('over %s, sending one byte at a time, is closed after connectTimeout', async transport => {
    const device = await registerDevice(service)
    const bytes = mqttPacket.generate(connectPacket(device, `slowloris-${randomUUID().slice(0, 8)}`, true))
    let closedAfter: Promise<number>
    let sendByte: (byte: Buffer) => void
    if (transport === 'tcp') {
      const raw = await rawMqtt(service.mqttPort)
      closedAfter = closesWithin(raw.socket, LIMITS.connectTimeout + 3000)
      sendByte = byte => { if (!raw.socket.destroyed) raw.socket.write(byte) }
    } else {
      const ws = await webSocket()
      closedAfter = closesWithin(ws, LIMITS.connectTimeout + 3000)
      sendByte = byte => { if (ws.readyState === WebSocket.OPEN) ws.send(byte) }
    }
    let done = false
    void closedAfter.finally(() => { done = true }).catch(() => {})
    // the whole CONNECT would take bytes.length × 50 ms, several times connectTimeout
    expect(bytes.length * 50).toBeGreaterThan(LIMITS.connectTimeout * 2)
    for (let i = 0; i < bytes.length && !done; i++) { sendByte(bytes.subarray(i, i + 1)); await sleep(50) }
    expect(await closedAfter).toBeLessThan(LIMITS.connectTimeout + 2000)
  })
})

describe('MQTT subscriptions of one connection', () => {
  async function broadcasters (count: number): Promise<string[]> {
    return await Promise.all(Array.from({ length: count }, async () => (await registerDevice(service, open())).uuid))
  }

  it('past maxSubscriptionsPerDevice are refused with SUBACK 0x80, and an unsubscribe makes room', async () => {
    const device = await registerDevice(service)
    const topics = (await broadcasters(LIMITS.maxSubscriptionsPerDevice + 4)).map(uuid => `${uuid}/broadcast`)
    const raw = await rawMqtt(service.mqttPort)
    raw.send(connectPacket(device, `many-${randomUUID().slice(0, 8)}`, true))
    await raw.next('connack')
    expect(await subackCodes(raw, 1, topics)).toEqual([...Array(LIMITS.maxSubscriptionsPerDevice).fill(1), ...Array(4).fill(SUBACK_FAILURE)])
    // one more in a later packet, even its own topic
    expect(await subackCodes(raw, 2, [device.uuid])).toEqual([SUBACK_FAILURE])
    raw.send({ cmd: 'unsubscribe', messageId: 3, unsubscriptions: [topics[0]] })
    await raw.next('unsuback')
    expect(await subackCodes(raw, 4, [device.uuid])).toEqual([1])
    // and the connection still works
    raw.send({ cmd: 'pingreq' })
    await raw.next('pingresp')
    raw.socket.destroy()
  })

  it('of a persistent session are stored only when granted, so a SUBSCRIBE full of denied topics leaves nothing behind', async () => {
    const device = await registerDevice(service)
    const clientId = `subs-${randomUUID().slice(0, 8)}`
    const raw = await rawMqtt(service.mqttPort)
    raw.send(connectPacket(device, clientId, false))
    await raw.next('connack')
    const denied = Array.from({ length: 2000 }, (_, i) => `nobody-${i}-${'z'.repeat(200)}`)
    expect(await subackCodes(raw, 1, [device.uuid, ...denied])).toEqual([1, ...denied.map(() => SUBACK_FAILURE)])
    raw.send({ cmd: 'disconnect' })
    await raw.closed
    expect(service.broker.sessions.sizeOf(clientId).subscriptions).toBe(1)
    const back = await persistentSession(service.mqttPort, device, clientId)
    expect(back.sessionPresent).toBe(true)
    await back.client.endAsync()
  })
})

/** Opens a WebSocket by hand (the HTTP upgrade only) and returns the raw socket, to write frames as they are. */
async function rawWebSocketUpgrade (port: number): Promise<net.Socket> {
  return await new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port,
      path: '/mqtt',
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'mqtt' },
    })
    request.on('upgrade', (_response, socket) => { socket.on('error', () => {}); resolve(socket as net.Socket) })
    request.on('response', response => reject(new Error(`no upgrade: HTTP ${response.statusCode}`)))
    request.on('error', reject)
    request.end()
  })
}
