// Devices for the bus and MQTT suites: v2 whitelist documents from a flat list spec, registration
// through the bus facade, subscriptions made by the subscriber itself, and a sentinel that proves
// "nothing else arrived" without sleeping.
import type { TestService } from './test-service.js'
import { connectDevice, type Envelope, type MqttDevice } from './mqtt-device.js'
import type { WhitelistName } from '../../src/core/bus/whitelists.js'
import type { SubscriptionType } from '../../src/core/bus/subscriptions.js'

export interface Credentials { uuid: string, token: string }

/** Flat v2 whitelists: `{'message.from': [uuid, '*']}`. */
export type ListSpec = Partial<Record<WhitelistName, string[]>>

/** A v2 device document (meshblu-endo §1.2); a list left out admits nobody but the device itself. */
export function v2 (lists: ListSpec = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const whitelists: Record<string, Record<string, Array<{ uuid: string }>>> = {}
  for (const [name, uuids] of Object.entries(lists)) {
    const [category, verb] = name.split('.')
    whitelists[category] ??= {}
    whitelists[category][verb] = (uuids ?? []).map(uuid => ({ uuid }))
  }
  return { ...extra, meshblu: { version: '2.0.0', whitelists } }
}

export async function registerDevice (service: TestService, properties: Record<string, unknown> = v2()): Promise<Credentials> {
  const { device, token } = await service.bus.register(properties)
  return { uuid: device.uuid, token }
}

/** Creates a subscription as the subscriber (creating needs configure rights on the subscriber only: §1.6). */
export async function subscribe (service: TestService, subscriber: string, emitter: string, type: SubscriptionType): Promise<void> {
  await service.bus.createSubscription({ uuid: subscriber }, { subscriberUuid: subscriber, emitterUuid: emitter, type })
}

export async function connect (service: TestService, device: Credentials): Promise<MqttDevice> {
  return await connectDevice(service.mqttPort, device.uuid, device.token)
}

/**
 * Runs an action, then has the observer message itself and waits for that sentinel. The broker keeps
 * the order of what it publishes to one client, so whatever the action delivered arrived before it:
 * the envelopes returned are all of them (sentinel excluded), with no sleep. Pushed envelopes not yet
 * consumed from before the action are returned too (and consumed).
 */
export async function deliveredDuring (observer: MqttDevice, action: () => Promise<unknown> | unknown): Promise<Envelope[]> {
  await action()
  const sentinel = `${SENTINEL}${Math.random().toString(36).slice(2)}`
  await observer.client.publishAsync('message', JSON.stringify({ devices: [observer.uuid], sentinel }), { qos: 1 })
  await observer.next(e => e.data?.sentinel === sentinel)
  // Copies of sentinels (e.g. to an observer that also watches its own message.sent) are not the action's.
  return observer.received.splice(0, observer.received.length).filter(e => !String(e.data?.sentinel).startsWith(SENTINEL))
}

const SENTINEL = 'sentinel-'

/** Sends a message over MQTT as the device (QoS 1: resolves once the broker handled it). */
export async function sendOverMqtt (device: MqttDevice, message: Record<string, unknown>): Promise<void> {
  await device.client.publishAsync('message', JSON.stringify(message), { qos: 1 })
}
