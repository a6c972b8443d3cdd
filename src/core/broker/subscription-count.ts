// The MQTT topic subscriptions one connection holds, counted as authorize-subscribe grants them, so a
// connection holds at most limits.maxSubscriptionsPerDevice (each one costs a matcher entry, and a
// persistent session stores it). Counted here rather than from `client.subscriptions`: aedes fills that
// only after a persistent session has stored the subscription, so the siblings of one SUBSCRIBE packet
// would not see each other. The granted set also tells the session store what it may keep.
import type { Aedes, Client } from 'aedes'

const grantedByClient = new WeakMap<Client, Set<string>>()

/**
 * Records that the client holds `topic`; false (nothing recorded) when it already holds `max` other topics.
 * Granting a topic it already holds again is always allowed.
 */
export function holdSubscription (client: Client, topic: string, max: number): boolean {
  let topics = grantedByClient.get(client)
  if (topics === undefined) { topics = new Set(); grantedByClient.set(client, topics) }
  if (topics.has(topic)) return true
  if (topics.size >= max) return false
  topics.add(topic)
  return true
}

/** The topics authorize-subscribe granted this connection (and it has not unsubscribed since). */
export function grantedTopicsOf (client: Client): ReadonlySet<string> | undefined {
  return grantedByClient.get(client)
}

/** Frees the count of unsubscribed topics (aedes emits 'unsubscribe' for UNSUBSCRIBE packets and our own calls). */
export function countUnsubscribes (broker: Aedes): () => void {
  const onUnsubscribe = (topics: string[], client: Client): void => {
    const granted = grantedByClient.get(client)
    if (granted === undefined) return
    for (const topic of topics) granted.delete(topic)
  }
  broker.on('unsubscribe', onUnsubscribe)
  return () => { broker.off('unsubscribe', onUnsubscribe) }
}
