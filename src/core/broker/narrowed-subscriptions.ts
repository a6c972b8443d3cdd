// Subscriptions that authorize-subscribe narrowed from `<uuid>` to `<uuid>/broadcast`. aedes unsubscribes
// the literal topic of an UNSUBSCRIBE only, so without this an "unsubscribe <uuid>" would leave the
// narrowed subscription in place and broadcasts would keep arriving.
import type { Aedes, Client } from 'aedes'
import type { AedesPersistence } from './aedes-seams.js'
import { broadcastTopicOf } from './mqtt-session.js'

const narrowedByClient = new WeakMap<Client, Set<string>>()

/** Records that the client's subscription to `emitterUuid` was narrowed to its broadcasts. */
export function rememberNarrowed (client: Client, emitterUuid: string): void {
  let topics = narrowedByClient.get(client)
  if (topics === undefined) { topics = new Set(); narrowedByClient.set(client, topics) }
  topics.add(emitterUuid)
}

/**
 * Removes the narrowed subscription when the client unsubscribes the topic it asked for; returns a detach
 * function. `store` is the broker's session store: aedes removes a stored subscription only for an
 * UNSUBSCRIBE packet, not for client.unsubscribe.
 */
export function forgetNarrowedOnUnsubscribe (broker: Aedes, store: Pick<AedesPersistence, 'removeSubscriptions'>): () => void {
  const onUnsubscribe = (topics: string[], client: Client): void => {
    const narrowed = narrowedByClient.get(client)
    if (narrowed === undefined) return
    const forget = topics.filter(topic => narrowed.delete(topic)).map(broadcastTopicOf)
    if (forget.length === 0) return
    client.unsubscribe({ cmd: 'unsubscribe', unsubscriptions: forget }, () => {})
    if (!client.clean) void store.removeSubscriptions(client, forget).catch(() => {})
  }
  broker.on('unsubscribe', onUnsubscribe)
  return () => { broker.off('unsubscribe', onUnsubscribe) }
}
