// The table-driven whitelist suites (meshblu-endo §1.6): each case registers a few fresh devices whose
// documents may name each other, makes one attempt, and reports whether the user saw it succeed
// (a delivery pushed over MQTT, an `update` reply, a device returned by the bus).
import { randomUUID } from 'node:crypto'
import { UserError } from '../../src/core/errors.js'
import type { SubscriptionType } from '../../src/core/bus/subscriptions.js'
import type { TestService } from './test-service.js'
import type { MqttDevice } from './mqtt-device.js'
import { SUBACK_FAILURE } from './mqtt-device.js'
import { connect, deliveredDuring, registerDevice, sendOverMqtt, subscribe, v2, type Credentials, type ListSpec } from './device-fixture.js'

export type Ids = Record<string, string>
/** A device document, given the uuids of the devices registered before it. */
export type DeviceSpec = (ids: Ids) => Record<string, unknown>

export interface WhitelistCase {
  name: string
  /** Devices in registration order. */
  devices: Record<string, DeviceSpec>
  attempt: Attempt
  allowed: boolean
}

export type Attempt = (world: World) => Promise<boolean>

/** A v2 device with these lists (`ids` → lists); a v2 device with no lists admits only itself. */
export const lists = (spec: (ids: Ids) => ListSpec = () => ({}), extra: Record<string, unknown> = {}): DeviceSpec => ids => v2(spec(ids), extra)
/** A v1 device, registered with the v1 defaults of §1.1 applied to these fields. */
export const v1 = (spec: (ids: Ids) => Record<string, unknown> = () => ({})): DeviceSpec => ids => spec(ids)

export class World {
  readonly ids: Ids = {}
  private readonly credentials: Record<string, Credentials> = {}
  private readonly connections: MqttDevice[] = []

  constructor (readonly service: TestService) {}

  async register (devices: Record<string, DeviceSpec>): Promise<void> {
    for (const [role, spec] of Object.entries(devices)) {
      this.credentials[role] = await registerDevice(this.service, spec(this.ids))
      this.ids[role] = this.credentials[role].uuid
    }
  }

  async connect (role: string): Promise<MqttDevice> {
    const device = await connect(this.service, this.credentials[role])
    this.connections.push(device)
    return device
  }

  async subscribe (subscriber: string, emitter: string, type: SubscriptionType): Promise<void> {
    await subscribe(this.service, this.ids[subscriber], this.ids[emitter], type)
  }

  async close (): Promise<void> {
    for (const device of this.connections) await device.end()
  }
}

export async function runCase (service: TestService, testCase: WhitelistCase): Promise<boolean> {
  const world = new World(service)
  try {
    await world.register(testCase.devices)
    return await testCase.attempt(world)
  } finally {
    await world.close()
  }
}

/** True when the observer saw an envelope carrying the probe while the action ran. */
async function sees (observer: MqttDevice, probe: string, action: () => Promise<unknown>): Promise<boolean> {
  const delivered = await deliveredDuring(observer, action)
  return delivered.some(e => e.data?.probe === probe)
}

/** True unless the bus refused with a user-visible error (403 / 404). */
async function succeeds (action: () => unknown): Promise<boolean> {
  try {
    await action()
    return true
  } catch (error) {
    if (error instanceof UserError && (error.code === 403 || error.code === 404)) return false
    throw error
  }
}

const probe = (): string => randomUUID()

// ---- attempts over the wire ----

/** `from` sends a direct message over MQTT; does `to` get it? */
export const message = (from: string, to: string): Attempt => async world => {
  const [sender, recipient] = [await world.connect(from), await world.connect(to)]
  const p = probe()
  return await sees(recipient, p, () => sendOverMqtt(sender, { devices: [world.ids[to]], probe: p }))
}

/** `actor` sends as `as` (bus facade: MQTT has no `as`); does `to` get it? */
export const messageAs = (actor: string, as: string, to: string): Attempt => async world => {
  const recipient = await world.connect(to)
  const p = probe()
  let sent = false
  const seen = await sees(recipient, p, async () => {
    sent = await succeeds(() => world.service.bus.sendMessage({ uuid: world.ids[actor], as: world.ids[as] }, { devices: [world.ids[to]], probe: p }))
  })
  return sent && seen
}

/** `subscriber` holds (S, E, broadcast.sent) + (S, S, broadcast.received); E broadcasts over MQTT. */
export const broadcast = (emitter: string, subscriber: string): Attempt => async world => {
  await world.subscribe(subscriber, emitter, 'broadcast.sent')
  await world.subscribe(subscriber, subscriber, 'broadcast.received')
  const [sender, observer] = [await world.connect(emitter), await world.connect(subscriber)]
  const p = probe()
  return await sees(observer, p, () => sendOverMqtt(sender, { devices: ['*'], probe: p }))
}

/** Same subscriptions on `as`; `actor` broadcasts as `as` through the bus facade. */
export const broadcastAs = (actor: string, as: string, subscriber: string): Attempt => async world => {
  await world.subscribe(subscriber, as, 'broadcast.sent')
  await world.subscribe(subscriber, subscriber, 'broadcast.received')
  const observer = await world.connect(subscriber)
  const p = probe()
  let sent = false
  const seen = await sees(observer, p, async () => {
    sent = await succeeds(() => world.service.bus.sendMessage({ uuid: world.ids[actor], as: world.ids[as] }, { devices: ['*'], probe: p }))
  })
  return sent && seen
}

/** `subscriber` subscribes over MQTT to E's `<uuid>` topic (or `<uuid>/broadcast`, §4); does it get E's broadcasts? */
export const broadcastTopic = (emitter: string, subscriber: string, suffix: '' | '/broadcast' = ''): Attempt => async world => {
  const [sender, observer] = [await world.connect(emitter), await world.connect(subscriber)]
  if (await observer.subscribeCode(world.ids[emitter] + suffix) === SUBACK_FAILURE) return false
  const p = probe()
  return await sees(observer, p, () => sendOverMqtt(sender, { devices: ['*'], probe: p }))
}

/** R receives E's broadcasts; `watcher` holds (W, R, broadcast.received) + (W, W, broadcast.received). */
export const broadcastReceived = (emitter: string, receiver: string, watcher: string): Attempt => async world => {
  await world.subscribe(receiver, emitter, 'broadcast.sent')
  await world.subscribe(watcher, receiver, 'broadcast.received')
  await world.subscribe(watcher, watcher, 'broadcast.received')
  const [sender, observer] = [await world.connect(emitter), await world.connect(watcher)]
  const p = probe()
  return await sees(observer, p, () => sendOverMqtt(sender, { devices: ['*'], probe: p }))
}

/** `spy` holds (S, A, message.sent) + (S, S, message.received); A messages `to`. */
export const spy = (sender: string, to: string, spyRole: string): Attempt => async world => {
  await world.subscribe(spyRole, sender, 'message.sent')
  await world.subscribe(spyRole, spyRole, 'message.received')
  const [from, observer] = [await world.connect(sender), await world.connect(spyRole)]
  const p = probe()
  return await sees(observer, p, () => sendOverMqtt(from, { devices: [world.ids[to]], probe: p }))
}

/** `watcher` holds (N, B, message.received) + (N, N, message.received); A messages B. */
export const watch = (sender: string, inbox: string, watcher: string): Attempt => async world => {
  await world.subscribe(watcher, inbox, 'message.received')
  await world.subscribe(watcher, watcher, 'message.received')
  const [from, observer] = [await world.connect(sender), await world.connect(watcher)]
  const p = probe()
  return await sees(observer, p, () => sendOverMqtt(from, { devices: [world.ids[inbox]], probe: p }))
}

/** `actor` publishes `update` with `uuid: target` over MQTT; is it answered on topic update? */
export const update = (actor: string, target: string): Attempt => async world => {
  const device = await world.connect(actor)
  const reply = await device.request('update', { uuid: world.ids[target], probe: probe() })
  return reply.topic === 'update'
}

/** `actor` updates `target` as `as` through the bus facade. */
export const updateAs = (actor: string, as: string, target: string): Attempt => async world =>
  await succeeds(() => world.service.bus.update({ uuid: world.ids[actor], as: world.ids[as] }, world.ids[target], { $set: { probe: probe() } }))

/** `subscriber` holds (S, T, configure.sent) + (S, S, configure.received); T updates itself over MQTT. */
export const configSent = (target: string, subscriber: string): Attempt => async world => {
  await world.subscribe(subscriber, target, 'configure.sent')
  await world.subscribe(subscriber, subscriber, 'configure.received')
  const [device, observer] = [await world.connect(target), await world.connect(subscriber)]
  const p = probe()
  return await sees(observer, p, () => device.request('update', { probe: p }))
}

/** R gets T's configure events; `watcher` holds (W, R, configure.received) + (W, W, configure.received). */
export const configReceived = (target: string, receiver: string, watcher: string): Attempt => async world => {
  await world.subscribe(receiver, target, 'configure.sent')
  await world.subscribe(watcher, receiver, 'configure.received')
  await world.subscribe(watcher, watcher, 'configure.received')
  const [device, observer] = [await world.connect(target), await world.connect(watcher)]
  const p = probe()
  return await sees(observer, p, () => device.request('update', { probe: p }))
}

/** GET device through the bus facade (a refusal is the same 404 as a missing device). */
export const discover = (actor: string, target: string): Attempt => async world =>
  await succeeds(() => world.service.bus.getDevice({ uuid: world.ids[actor] }, world.ids[target]))

export const discoverAs = (actor: string, as: string, target: string): Attempt => async world =>
  await succeeds(() => world.service.bus.getDevice({ uuid: world.ids[actor], as: world.ids[as] }, world.ids[target]))

/** Device search (§1.6 "search", not the conversion table): is `target` among the results? */
export const search = (actor: string, target: string): Attempt => async world =>
  (await world.service.bus.search({ uuid: world.ids[actor] }, { uuid: world.ids[target] })).devices.length === 1
