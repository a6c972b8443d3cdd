// The devices whose topics a connection is subscribed to stay in memory while it is (registry pins), so the
// forward check of each packet on their topics (authorize-forward, synchronous) finds their whitelists without
// I/O, also for packets another instance published (cluster mode). At most maxSubscriptionsPerDevice per
// connection; released on unsubscribe and when the connection ends.
import type { Aedes, Client } from 'aedes'
import type { DeviceRegistry } from '../bus/device-registry.js'
import { broadcastTopicOf } from './mqtt-session.js'
import { grantedTopicsOf } from './subscription-count.js'

const heldByClient = new WeakMap<Client, Map<string, () => void>>()

export function holdEmitter (registry: DeviceRegistry, client: Client, emitterUuid: string): void {
  let held = heldByClient.get(client)
  if (held === undefined) { held = new Map(); heldByClient.set(client, held) }
  if (!held.has(emitterUuid)) held.set(emitterUuid, registry.pin(emitterUuid))
}

/**
 * Releases on UNSUBSCRIBE (of the emitter's topic and its broadcast topic: subscription-count.ts has already
 * forgotten the unsubscribed ones, it listens first) and on disconnect; returns the stop.
 */
export function releaseHeldEmitters (broker: Aedes): () => void {
  const release = (client: Client, emitterUuid: string): void => {
    const held = heldByClient.get(client)
    held?.get(emitterUuid)?.()
    held?.delete(emitterUuid)
  }
  const onUnsubscribe = (topics: string[], client: Client): void => {
    for (const topic of topics) {
      const emitterUuid = topic.endsWith('/broadcast') ? topic.slice(0, -'/broadcast'.length) : topic
      // still subscribed to the other of its two topics: keep it
      const other = topic === emitterUuid ? broadcastTopicOf(emitterUuid) : emitterUuid
      if (grantedTopicsOf(client)?.has(other) !== true) release(client, emitterUuid)
    }
  }
  const onDisconnect = (client: Client): void => {
    for (const unpin of heldByClient.get(client)?.values() ?? []) unpin()
    heldByClient.delete(client)
  }
  broker.on('unsubscribe', onUnsubscribe)
  broker.on('clientDisconnect', onDisconnect)
  return () => {
    broker.off('unsubscribe', onUnsubscribe)
    broker.off('clientDisconnect', onDisconnect)
  }
}
