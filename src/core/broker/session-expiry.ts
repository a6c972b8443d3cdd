// A persistent session (clean=false) ends sessionExpirySeconds after its last connection closed: its
// subscriptions, queue, unreleased QoS 2 packets and will are removed, and listeners are told (client-id
// ownership lets go of the id then). One timer per disconnected session; timers of one duration share a
// list in Node, so this costs O(1) per connect and disconnect and nothing per packet.
import type { Aedes, Client } from 'aedes'
import type { Logger } from '../log.js'
import { clipped } from '../limits.js'
import type { BoundedSessionStore } from './bounded-session-store.js'

/** setTimeout's longest delay; longer expiries are reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1

export type SessionExpiredListener = (clientId: string) => void

export interface SessionExpiry {
  /** Calls `listener` with the client id each time a persistent session expires; returns a detach function. */
  onExpired: (listener: SessionExpiredListener) => () => void
  /** Persistent sessions whose connection is closed and that have not expired yet. */
  readonly pending: number
  stop: () => void
}

export function expireSessions (broker: Aedes, store: BoundedSessionStore, expirySeconds: number, logger: Logger, maxLoggedChars: number): SessionExpiry {
  const timers = new Map<string, { timer: NodeJS.Timeout, expiresAt: number, persistent: boolean }>()
  const listeners = new Set<SessionExpiredListener>()

  const schedule = (clientId: string, expiresAt: number, persistent: boolean): void => {
    const timer = setTimeout(() => { void fire(clientId, expiresAt) }, Math.min(Math.max(0, expiresAt - Date.now()), MAX_TIMER_MS))
    timer.unref()
    timers.set(clientId, { timer, expiresAt, persistent })
  }

  const fire = async (clientId: string, expiresAt: number): Promise<void> => {
    const pending = timers.get(clientId)
    if (pending?.expiresAt !== expiresAt) return
    if (Date.now() < expiresAt) return schedule(clientId, expiresAt, pending.persistent)
    timers.delete(clientId)
    try {
      await store.removeSession(clientId, broker.id)
    } catch (error) {
      logger.warn({ err: error, clientId: clipped(clientId, maxLoggedChars) }, 'mqtt session expiry: removing the session failed')
    }
    if (!pending.persistent) return
    logger.debug({ clientId: clipped(clientId, maxLoggedChars) }, 'mqtt persistent session expired')
    for (const listener of listeners) listener(clientId)
  }

  const onClient = (client: Client): void => {
    const pending = timers.get(client.id)
    if (pending === undefined) return
    clearTimeout(pending.timer)
    timers.delete(client.id)
  }
  const onClientDisconnect = (client: Client): void => {
    const pending = timers.get(client.id)
    if (pending !== undefined) clearTimeout(pending.timer)
    // [MQTT-3.1.2-6] a clean session's state ends with its connection: aedes removes most of it, and what
    // it had not finished (the previous session's queue, delivered as it connected) goes now.
    if (client.clean) {
      if (store.holds(client.id)) schedule(client.id, Date.now(), false)
      else timers.delete(client.id)
      return
    }
    schedule(client.id, Date.now() + expirySeconds * 1000, true)
  }
  broker.on('client', onClient)
  broker.on('clientDisconnect', onClientDisconnect)

  return {
    onExpired (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
    get pending () { return timers.size },
    stop () {
      broker.off('client', onClient)
      broker.off('clientDisconnect', onClientDisconnect)
      for (const { timer } of timers.values()) clearTimeout(timer)
      timers.clear()
      listeners.clear()
    },
  }
}
