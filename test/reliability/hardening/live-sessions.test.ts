// Issue 17 item 2, as an attacker holding credentials that are then taken away sees it: every change that
// ends credentials (revoke one token, revoke by query, reset the root token, unregister, revoke a user
// device, a token's expiry, revoking or rotating an API token) closes the MQTT sessions, over TCP and over
// WebSocket, that authenticated with exactly those credentials; they cannot publish or receive afterwards
// and their Last Will does not fire. Client ids belong to the device that first used them; connections per
// device and failed authentications per address are bounded.
import net from 'node:net'
import { randomUUID } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import mqttPacket, { type Packet } from 'mqtt-packet'
import type { TestService } from '../../support/test-service.js'
import { startBusService } from '../../support/bus-service.js'
import { connect, registerDevice, v2, type Credentials } from '../../support/device-fixture.js'
import type { Envelope, MqttDevice } from '../../support/mqtt-device.js'
import { describeBudget, expectWithinBudget, underBudget } from '../../support/event-loop-budget.js'
import { AuthFailureLimiter } from '../../../src/core/bus/auth-failure-limiter.js'
import { MemorySharedState } from '../../../src/core/shared-state.js'
import { addressKey } from '../../../src/core/client-address.js'
import { DEFAULT_LIMITS } from '../../../src/core/limits.js'
import { ClientIdOwners } from '../../../src/core/broker/client-id-owners.js'
import { buildAclWorld, createToken, type AclWorld } from '../../e2e/acl.fixture.js'
import { expectCode } from '../../e2e/organizations.fixture.js'

type Transport = 'tcp' | 'ws'

interface Session {
  client: MqttClient
  /** Resolves when the connection is closed (by either side). */
  closed: Promise<void>
  messages: Envelope[]
  /** Whether the connection closed within the time. */
  closesWithin: (ms: number) => Promise<boolean>
}

interface SessionOptions { clientId?: string, clean?: boolean, willTo?: string, willMarker?: string }

function urlOf (service: TestService, transport: Transport): string {
  return transport === 'tcp' ? `mqtt://127.0.0.1:${service.mqttPort}` : `ws://127.0.0.1:${service.httpPort}/mqtt`
}

/** An MQTT session as mqtt.js opens it, subscribed to the device's own topic; no reconnects. */
async function openSession (service: TestService, transport: Transport, username: string, password: string, options: SessionOptions = {}): Promise<Session> {
  const client = await mqtt.connectAsync(urlOf(service, transport), {
    username,
    password,
    clientId: options.clientId ?? `ls-${randomUUID().slice(0, 20)}`,
    clean: options.clean ?? true,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...(options.willTo === undefined
      ? {}
      : { will: { topic: 'message', payload: Buffer.from(JSON.stringify({ devices: [options.willTo], will: options.willMarker })), qos: 1, retain: false } }),
  })
  client.on('error', () => {})
  const closed = new Promise<void>(resolve => client.once('close', () => resolve()))
  const messages: Envelope[] = []
  client.on('message', (_topic, payload) => messages.push(JSON.parse(payload.toString())))
  await client.subscribeAsync(username, { qos: 1 })
  return {
    client,
    closed,
    messages,
    async closesWithin (ms) {
      return await Promise.race([closed.then(() => true), new Promise<boolean>(resolve => setTimeout(() => resolve(false), ms))])
    },
  }
}

/** The CONNACK return code a CONNECT gets (0: accepted), from a raw socket; optionally from another loopback address. */
async function connackOf (port: number, connect: { username?: string, password?: string, clientId?: string, clean?: boolean, localAddress?: string }): Promise<number> {
  return await new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: connect.localAddress })
    const parser = mqttPacket.parser({ protocolVersion: 4 })
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('no CONNACK within 5 s')) }, 5000)
    parser.on('packet', (packet: Packet) => {
      if (packet.cmd !== 'connack') return
      clearTimeout(timer)
      socket.destroy()
      resolve(packet.returnCode ?? -1)
    })
    socket.on('data', data => parser.parse(data))
    socket.on('error', error => { clearTimeout(timer); reject(error) })
    socket.on('connect', () => {
      socket.write(mqttPacket.generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: connect.clean ?? true,
        clientId: connect.clientId ?? `raw-${randomUUID().slice(0, 16)}`,
        keepalive: 0,
        ...(connect.username === undefined ? {} : { username: connect.username }),
        ...(connect.password === undefined ? {} : { password: Buffer.from(connect.password) }),
      } as Packet))
    })
  })
}

function basic (device: Credentials): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${device.uuid}:${device.token}`).toString('base64')}` }
}

async function http (service: TestService, method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number, headers: Headers, text: string }> {
  const response = await fetch(`${service.httpUrl}${path}`, { method, headers })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

const willOf = (marker: string) => (e: Envelope): boolean => e.data?.will === marker

/** A message from `session` to `to`, received by `observer` within 2 s (the session still works). */
async function stillWorks (session: Session, from: string, observer: MqttDevice): Promise<void> {
  const marker = randomUUID()
  await session.client.publishAsync('message', JSON.stringify({ devices: [observer.uuid], marker }), { qos: 1 })
  const arrived = await observer.next(e => e.data?.marker === marker, 2000)
  expect(arrived.data.fromUuid).toBe(from)
}

describe('credentials reach live sessions', () => {
  let service: TestService
  let observer: MqttDevice

  beforeAll(async () => {
    service = await startBusService()
    const watcher = await registerDevice(service, v2({ 'message.from': ['*'] }))
    observer = await connect(service, watcher)
  })
  afterAll(async () => {
    await observer?.end()
    await service?.stop()
  })

  /**
   * Asserts the session was closed by the service, its Last Will never reached the observer, and a
   * message sent to its device afterwards does not reach it (nothing more arrives on a closed session).
   */
  async function expectEnded (session: Session, device: string, marker: string, sender?: Session): Promise<void> {
    expect(await session.closesWithin(2000)).toBe(true)
    expect(session.client.connected).toBe(false)
    const after = randomUUID()
    if (sender !== undefined) await sender.client.publishAsync('message', JSON.stringify({ devices: [device], after }), { qos: 1 })
    expect(await observer.nothingWithin(300, willOf(marker))).toBe(true)
    expect(session.messages.some(e => e.data?.after === after)).toBe(false)
  }

  it('fires a Last Will when a connection just drops (so the assertions below can see one)', async () => {
    const device = await registerDevice(service, v2())
    const marker = randomUUID()
    const session = await openSession(service, 'tcp', device.uuid, device.token, { willTo: observer.uuid, willMarker: marker })
    ;(session.client.stream as net.Socket).destroy()
    const will = await observer.next(willOf(marker), 3000)
    expect(will.data.fromUuid).toBe(device.uuid)
  })

  describe.each<Transport>(['tcp', 'ws'])('over %s', transport => {
    it('revoking one session token closes the sessions opened with it and no other', async () => {
      const device = await registerDevice(service, v2({ 'message.from': ['*'] }))
      const { token } = await service.bus.createSessionToken({ uuid: device.uuid }, device.uuid, { tag: 'phone' })
      const marker = randomUUID()
      const withToken = await openSession(service, transport, device.uuid, token, { willTo: observer.uuid, willMarker: marker })
      const withRoot = await openSession(service, transport, device.uuid, device.token)

      expect((await http(service, 'DELETE', `/devices/${device.uuid}/tokens/${token}`, basic(device))).status).toBe(204)
      await expectEnded(withToken, device.uuid, marker, withRoot)
      await stillWorks(withRoot, device.uuid, observer)
      expect(await connackOf(service.mqttPort, { username: device.uuid, password: token })).toBe(4)
      await withRoot.client.endAsync()
    })

    it('revoking tokens by query closes the sessions of the matching tokens only', async () => {
      const device = await registerDevice(service, v2())
      const tagged = await service.bus.createSessionToken({ uuid: device.uuid }, device.uuid, { tag: 'stolen' })
      const other = await service.bus.createSessionToken({ uuid: device.uuid }, device.uuid, { tag: 'kept' })
      const marker = randomUUID()
      const sessions = [
        await openSession(service, transport, device.uuid, tagged.token, { willTo: observer.uuid, willMarker: marker }),
        await openSession(service, transport, device.uuid, tagged.token, { willTo: observer.uuid, willMarker: marker }),
      ]
      const kept = await openSession(service, transport, device.uuid, other.token)

      expect((await http(service, 'DELETE', `/devices/${device.uuid}/tokens?tag=stolen`, basic(device))).status).toBe(204)
      for (const session of sessions) await expectEnded(session, device.uuid, marker, kept)
      await stillWorks(kept, device.uuid, observer)
      await kept.client.endAsync()
    })

    it('resetting the root token closes the sessions opened with the old one; session tokens keep theirs', async () => {
      const device = await registerDevice(service, v2())
      const { token } = await service.bus.createSessionToken({ uuid: device.uuid }, device.uuid, {})
      const marker = randomUUID()
      const withRoot = await openSession(service, transport, device.uuid, device.token, { willTo: observer.uuid, willMarker: marker })
      const withSessionToken = await openSession(service, transport, device.uuid, token)

      const reset = await http(service, 'POST', `/devices/${device.uuid}/token`, basic(device))
      expect(reset.status).toBe(200)
      await expectEnded(withRoot, device.uuid, marker, withSessionToken)
      await stillWorks(withSessionToken, device.uuid, observer)
      const fresh = await openSession(service, transport, device.uuid, JSON.parse(reset.text).token)
      await stillWorks(fresh, device.uuid, observer)
      await fresh.client.endAsync()
      await withSessionToken.client.endAsync()
    })

    it('a device resetting its own root token over MQTT keeps the asking connection, which is told the new token; its other root sessions close', async () => {
      const device = await registerDevice(service, v2())
      const marker = randomUUID()
      const asking = await openSession(service, transport, device.uuid, device.token)
      const other = await openSession(service, transport, device.uuid, device.token, { willTo: observer.uuid, willMarker: marker })

      const callbackId = randomUUID()
      await asking.client.publishAsync('resetToken', JSON.stringify({ callbackId }), { qos: 1 })
      await expectEnded(other, device.uuid, marker)
      const deadline = Date.now() + 2000
      while (!asking.messages.some(e => e._request?.callbackId === callbackId) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
      const reply = asking.messages.find(e => e._request?.callbackId === callbackId)
      expect(reply?.data?.token).toMatch(/^[0-9a-f]{40}$/)
      await stillWorks(asking, device.uuid, observer)
      // and its credential is now the new token: revoking that one closes it
      await http(service, 'POST', `/devices/${device.uuid}/token`, basic({ uuid: device.uuid, token: reply?.data.token }))
      expect(await asking.closesWithin(2000)).toBe(true)
    })

    it('a refused resetToken request earns nothing: a reset by someone else still closes that connection', async () => {
      const device = await registerDevice(service, v2())
      const marker = randomUUID()
      const thief = await openSession(service, transport, device.uuid, device.token, { willTo: observer.uuid, willMarker: marker })
      await thief.client.publishAsync('resetToken', 'not json', { qos: 1 })
      await thief.client.publishAsync('resetToken', Buffer.alloc(2 * 1024 * 1024, 0x20), { qos: 1 })
      expect((await http(service, 'POST', `/devices/${device.uuid}/token`, basic(device))).status).toBe(200)
      await expectEnded(thief, device.uuid, marker)
    })

    it('unregistering a device closes all its sessions, without Last Will', async () => {
      const device = await registerDevice(service, v2())
      const { token } = await service.bus.createSessionToken({ uuid: device.uuid }, device.uuid, {})
      const marker = randomUUID()
      const sessions = [
        await openSession(service, transport, device.uuid, device.token, { willTo: observer.uuid, willMarker: marker }),
        await openSession(service, transport, device.uuid, token, { willTo: observer.uuid, willMarker: marker }),
      ]
      expect((await http(service, 'DELETE', `/devices/${device.uuid}`, basic(device))).status).toBe(200)
      for (const session of sessions) await expectEnded(session, device.uuid, marker)
    })

    it('revoking a user device closes its sessions (its tokens are revoked); the owner\'s own sessions stay', async () => {
      const owner = await registerDevice(service, v2())
      const { credentialsUuid } = await service.endo.onboarding.upsertCredentialsDevice({ provider: 'test', accountId: randomUUID(), username: 'erin', tokens: {}, authorizedUuid: owner.uuid })
      const user = await service.endo.onboarding.createUserDevice(credentialsUuid, { authorizedUuid: owner.uuid })
      const marker = randomUUID()
      const userSession = await openSession(service, transport, user.uuid, user.token, { willTo: observer.uuid, willMarker: marker })
      const ownerSession = await openSession(service, transport, owner.uuid, owner.token)

      expect((await http(service, 'DELETE', `/credentials/${credentialsUuid}/user-devices/${user.uuid}`, basic(owner))).status).toBe(204)
      await expectEnded(userSession, user.uuid, marker, ownerSession)
      expect(await connackOf(service.mqttPort, { username: user.uuid, password: user.token })).toBe(4)
      await stillWorks(ownerSession, owner.uuid, observer)
      await ownerSession.client.endAsync()
    })

    it('a DELETE naming a device that is not the caller\'s user device revokes nothing', async () => {
      const owner = await registerDevice(service, v2())
      const bystander = await registerDevice(service, v2())
      const { credentialsUuid } = await service.endo.onboarding.upsertCredentialsDevice({ provider: 'test', accountId: randomUUID(), username: 'mallory', tokens: {}, authorizedUuid: owner.uuid })
      const session = await openSession(service, transport, bystander.uuid, bystander.token)
      expect((await http(service, 'DELETE', `/credentials/${credentialsUuid}/user-devices/${bystander.uuid}`, basic(owner))).status).toBe(204)
      expect(await session.closesWithin(300)).toBe(false)
      await stillWorks(session, bystander.uuid, observer)
      await session.client.endAsync()
    })

    it('a session opened with a token that expires closes when it expires', async () => {
      const device = await registerDevice(service, v2())
      const token = await service.bus.tokens.createSessionToken(device.uuid, {}, new Date(Date.now() + 1500))
      const marker = randomUUID()
      const session = await openSession(service, transport, device.uuid, token, { willTo: observer.uuid, willMarker: marker })
      expect(await session.closesWithin(300)).toBe(false)
      await expectEnded(session, device.uuid, marker)
    })
  })

  it('closes as many sessions of one token as a device may have at once, within the event-loop budget', async () => {
    const device = await registerDevice(service, v2())
    const { token } = await service.bus.createSessionToken({ uuid: device.uuid }, device.uuid, {})
    const sessions = await Promise.all(Array.from({ length: DEFAULT_LIMITS.maxConnectionsPerDevice }, async (_, i) => await openSession(service, i % 2 === 0 ? 'tcp' : 'ws', device.uuid, token)))
    const report = await underBudget(service, async () => {
      expect((await http(service, 'DELETE', `/devices/${device.uuid}/tokens/${token}`, basic(device))).status).toBe(204)
      await Promise.all(sessions.map(async session => await session.closed))
    })
    console.log(describeBudget(`${DEFAULT_LIMITS.maxConnectionsPerDevice} sessions of one revoked token closed`, report))
    expectWithinBudget(report)
  })

  describe('client ids', () => {
    it('a persistent session cannot be taken by another device using its client id (CONNACK 2); the owner gets it back', async () => {
      const owner = await registerDevice(service, v2({ 'message.from': ['*'] }))
      const thief = await registerDevice(service, v2())
      const clientId = `persistent-${randomUUID().slice(0, 8)}`
      const first = await openSession(service, 'tcp', owner.uuid, owner.token, { clientId, clean: false })
      await first.client.endAsync()

      expect(await connackOf(service.mqttPort, { username: thief.uuid, password: thief.token, clientId, clean: false })).toBe(2)
      expect(await connackOf(service.mqttPort, { username: thief.uuid, password: thief.token, clientId, clean: true })).toBe(2)
      // a stranger without good credentials learns nothing about the id
      expect(await connackOf(service.mqttPort, { username: thief.uuid, password: 'wrong', clientId })).toBe(4)

      // the session is still there, subscriptions included: no SUBSCRIBE is sent this time
      const back = await mqtt.connectAsync(urlOf(service, 'ws'), { username: owner.uuid, password: owner.token, clientId, clean: false, reconnectPeriod: 0 })
      const connack = await new Promise<any>(resolve => { if ((back as any).connackPacket !== undefined) resolve((back as any).connackPacket); else back.once('connect', resolve) })
      expect(connack.sessionPresent).toBe(true)
      const received: Envelope[] = []
      back.on('message', (_topic, payload) => received.push(JSON.parse(payload.toString())))
      const marker = randomUUID()
      await observer.client.publishAsync('message', JSON.stringify({ devices: [owner.uuid], marker }), { qos: 1 })
      const deadline = Date.now() + 2000
      while (!received.some(e => e.data?.marker === marker) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
      expect(received.some(e => e.data?.marker === marker)).toBe(true)
      await back.endAsync()
    })

    it('a connected client cannot be kicked by another device using its id; its owner still takes it over', async () => {
      const owner = await registerDevice(service, v2())
      const thief = await registerDevice(service, v2())
      const clientId = `connected-${randomUUID().slice(0, 8)}`
      const session = await openSession(service, 'tcp', owner.uuid, owner.token, { clientId })
      expect(await connackOf(service.mqttPort, { username: thief.uuid, password: thief.token, clientId })).toBe(2)
      expect(await session.closesWithin(200)).toBe(false)
      await stillWorks(session, owner.uuid, observer)

      const again = await openSession(service, 'ws', owner.uuid, owner.token, { clientId })
      expect(await session.closesWithin(2000)).toBe(true)
      await stillWorks(again, owner.uuid, observer)
      await again.client.endAsync()
      // a clean session's id is free once its connection ends
      expect(await connackOf(service.mqttPort, { username: thief.uuid, password: thief.token, clientId })).toBe(0)
    })

    it('refuses a client id longer than the broker allows (CONNACK 2), for MQTT 3.1.1 too', async () => {
      const device = await registerDevice(service, v2())
      expect(await connackOf(service.mqttPort, { username: device.uuid, password: device.token, clientId: 'x'.repeat(65) })).toBe(2)
      expect(await connackOf(service.mqttPort, { username: device.uuid, password: device.token, clientId: 'x'.repeat(64) })).toBe(0)
    })

    it('frees a persistent session\'s id when the session expires (unit: ClientIdOwners with a clock)', () => {
      let now = 0
      const owners = new ClientIdOwners(1000, () => now)
      owners.claim('id', 'device:a', true)
      owners.release('id', 'device:a')
      expect(owners.mayClaim('id', 'device:b')).toBe(false)
      expect(owners.mayClaim('id', 'device:a')).toBe(true)
      now = 1000
      expect(owners.mayClaim('id', 'device:b')).toBe(true)
      expect(owners.size).toBe(0)
    })
  })
})

describe('API-token sessions end with their token', () => {
  // The organization world is built with jobs (CreateApiToken, RevokeApiToken, RotateApiTokenSecret).
  let world: AclWorld

  beforeAll(async () => {
    world = await buildAclWorld()
  }, 120_000)
  afterAll(async () => { await world?.end() })

  async function tokenSession (transport: Transport, keyid: string, secret: string): Promise<Session> {
    const client = await mqtt.connectAsync(urlOf(world.service, transport), { username: keyid, password: secret, reconnectPeriod: 0, connectTimeout: 5000 })
    client.on('error', () => {})
    const closed = new Promise<void>(resolve => client.once('close', () => resolve()))
    const messages: Envelope[] = []
    client.on('message', (_topic, payload) => messages.push(JSON.parse(payload.toString())))
    await client.subscribeAsync(`${world.n1.uuid}/broadcast`, { qos: 1 })
    return {
      client,
      closed,
      messages,
      async closesWithin (ms) { return await Promise.race([closed.then(() => true), new Promise<boolean>(resolve => setTimeout(() => resolve(false), ms))]) },
    }
  }

  describe.each<Transport>(['tcp', 'ws'])('over %s', transport => {
    it('revoking the token closes its sessions at once', async () => {
      const token = await createToken(world.alice, { organization_id: world.orgA, acl: { agid: [world.n1.uuid] } })
      const session = await tokenSession(transport, token.keyid, token.secret)
      expectCode(await world.alice.sendJob('RevokeApiToken', { organization_id: world.orgA, keyid: token.keyid }), 200)
      expect(await session.closesWithin(2000)).toBe(true)
    })

    it('rotating the secret closes the old secret\'s sessions when the grace period ends; the new secret\'s stay', async () => {
      const token = await createToken(world.alice, { organization_id: world.orgA, acl: { agid: [world.n1.uuid] } })
      const old = await tokenSession(transport, token.keyid, token.secret)
      const rotated = expectCode(await world.alice.sendJob('RotateApiTokenSecret', { organization_id: world.orgA, keyid: token.keyid, grace_seconds: 1 }), 200)
      const fresh = await tokenSession(transport, token.keyid, rotated.secret)
      expect(await old.closesWithin(300)).toBe(false)
      expect(await old.closesWithin(2500)).toBe(true)
      expect(await fresh.closesWithin(300)).toBe(false)

      const gateway = await mqtt.connectAsync(urlOf(world.service, 'tcp'), { username: world.n1.uuid, password: world.n1.token, reconnectPeriod: 0 })
      const reading = randomUUID()
      await gateway.publishAsync('message', JSON.stringify({ devices: ['*'], data: { reading } }), { qos: 1 })
      const deadline = Date.now() + 2000
      while (!fresh.messages.some(e => JSON.stringify(e).includes(reading)) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
      expect(fresh.messages.some(e => JSON.stringify(e).includes(reading))).toBe(true)
      await gateway.endAsync()

      // and with no grace, at once
      expectCode(await world.alice.sendJob('RotateApiTokenSecret', { organization_id: world.orgA, keyid: token.keyid, grace_seconds: 0 }), 200)
      expect(await fresh.closesWithin(2000)).toBe(true)
    })
  })
})

describe('connections per device and failed authentications per address', () => {
  let service: TestService
  const MAX_CONNECTIONS = 3
  const MAX_FAILURES = 5

  beforeAll(async () => {
    service = await startBusService({ limits: { maxConnectionsPerDevice: MAX_CONNECTIONS, authFailuresPerAddressPerMinute: MAX_FAILURES } })
  })
  afterAll(async () => { await service?.stop() })

  it('refuses one connection more than limits.maxConnectionsPerDevice with CONNACK 5, over TCP and WebSocket alike', async () => {
    const device = await registerDevice(service, v2())
    const sessions = [
      await openSession(service, 'tcp', device.uuid, device.token),
      await openSession(service, 'ws', device.uuid, device.token),
      await openSession(service, 'tcp', device.uuid, device.token),
    ]
    expect(await connackOf(service.mqttPort, { username: device.uuid, password: device.token })).toBe(5)
    await expect(mqtt.connectAsync(urlOf(service, 'ws'), { username: device.uuid, password: device.token, reconnectPeriod: 0 })).rejects.toMatchObject({ code: 5 })
    // reconnecting with an id it already uses takes that connection over: not one more
    const again = await openSession(service, 'tcp', device.uuid, device.token, { clientId: (sessions[0].client.options.clientId as string) })
    expect(await sessions[0].closesWithin(2000)).toBe(true)
    await sessions[1].client.endAsync()
    await sessions[1].closed
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(await connackOf(service.mqttPort, { username: device.uuid, password: device.token })).toBe(0)
    for (const session of [again, sessions[2]]) await session.client.endAsync()
  })

  it('bounds the addresses it counts and counts IPv6 by /64 (unit: AuthFailureLimiter)', async () => {
    let now = 0
    const memory = new MemorySharedState({ maxKeys: 1000, now: () => now })
    const limiter = new AuthFailureLimiter(2, memory)
    for (let i = 0; i < 100_000; i++) await limiter.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)
    expect(memory.size).toBeLessThanOrEqual(1000)
    await limiter.recordFailure('2001:db8:1:2::1')
    await limiter.recordFailure('2001:db8:1:2:ffff::9')
    expect(await limiter.retryAfterSeconds('2001:0db8:0001:0002:0:0:0:77')).toBe(60)
    expect(await limiter.retryAfterSeconds('2001:db8:1:3::1')).toBeUndefined()
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1')
    now = 60_000
    expect(await limiter.retryAfterSeconds('2001:db8:1:2::1')).toBeUndefined()
  })

  it('a flood of bad CONNECTs from 256 addresses is refused cheaply, within the event-loop budget', async () => {
    const device = await registerDevice(service, v2())
    let refused = 0
    const report = await underBudget(service, async () => {
      // 16 connections at a time: the flood's own client sockets share this process's event loop
      for (let round = 0; round < 128; round++) {
        const codes = await Promise.all(Array.from({ length: 16 }, async (_, i) => {
          const n = round * 16 + i
          return await connackOf(service.mqttPort, { username: device.uuid, password: `guess-${n}`, localAddress: `127.0.9.${n % 256}` })
        }))
        refused += codes.filter(code => code === 4).length
      }
    })
    console.log(describeBudget('2048 bad CONNECTs from 256 addresses', report))
    expect(refused).toBe(2048)
    expectWithinBudget(report)
    // every one of those addresses is now refused even with the right token; others are not
    expect(await connackOf(service.mqttPort, { username: device.uuid, password: device.token, localAddress: '127.0.9.7' })).toBe(4)
    expect(await connackOf(service.mqttPort, { username: device.uuid, password: device.token, localAddress: '127.0.10.7' })).toBe(0)
  })

  it('past limits.authFailuresPerAddressPerMinute, MQTT and HTTP failures together block the address on both: CONNACK 4 and HTTP 429 with Retry-After, good credentials or not', async () => {
    const device = await registerDevice(service, v2())
    const bad = { uuid: device.uuid, token: 'f'.repeat(40) }
    expect((await http(service, 'POST', '/authenticate', basic(bad))).status).toBe(403)
    expect((await http(service, 'GET', '/v2/whoami', basic(bad))).status).toBe(403)
    expect((await http(service, 'GET', `/authenticate/${device.uuid}?token=nope`)).status).toBe(403)
    expect(await connackOf(service.mqttPort, { username: device.uuid, password: 'nope' })).toBe(4)
    expect(await connackOf(service.mqttPort, { username: 'nobody', password: 'nope' })).toBe(4)
    // the address has used its failures: the right token is refused too, the same way as a wrong one
    expect(await connackOf(service.mqttPort, { username: device.uuid, password: device.token })).toBe(4)
    for (const [method, path] of [['POST', '/authenticate'], ['GET', '/v2/whoami'], ['GET', `/v2/devices/${device.uuid}`]]) {
      const answer = await http(service, method, path, basic(device))
      expect([method, path, answer.status]).toEqual([method, path, 429])
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(60)
      expect(answer.text).toContain('Too many failed authentications')
      expect(answer.text).not.toContain(device.token)
    }
    // an open endpoint answers as before
    expect((await http(service, 'GET', '/status')).status).toBe(200)
  })
})
