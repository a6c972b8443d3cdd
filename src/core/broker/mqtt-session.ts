// What the broker knows about each authenticated MQTT connection. A session that was ended (its
// credentials were revoked, replaced or expired) is no session: sessionOf answers undefined for it, so
// every hook refuses a packet of it that was already in flight when it ended.
import type { Client } from 'aedes'

export interface DeviceSession {
  kind: 'device'
  uuid: string
  /** The keyed hash of the token the connection authenticated with (token-store.ts), never the token. */
  credential: string
  ended?: boolean
}
/** An API token (ACL): read-only, may only subscribe to broadcasts its ACL reaches. */
export interface ApiTokenSession {
  kind: 'api-token'
  keyid: string
  mayReceiveBroadcastsOf: (uuid: string) => boolean
  /**
   * Calls `end` once the token no longer opens this session (revoked, expired, deleted, or its secret
   * rotated past the grace period); returns a function that stops watching.
   */
  watchEnd: (end: () => void) => () => void
  ended?: boolean
}
export type MqttSession = DeviceSession | ApiTokenSession

const sessions = new WeakMap<Client, MqttSession>()

/** The live session of a connection; undefined when there is none or it has ended. */
export function sessionOf (client: Client | null | undefined): MqttSession | undefined {
  const session = recordedSessionOf(client)
  return session?.ended === true ? undefined : session
}

/** The session a connection authenticated with, ended or not (for bookkeeping at disconnect). */
export function recordedSessionOf (client: Client | null | undefined): MqttSession | undefined {
  return client == null ? undefined : sessions.get(client)
}

export function setSession (client: Client, session: MqttSession): void {
  sessions.set(client, session)
}

/** Who a session belongs to: connection limits and client ids are counted per principal. */
export function principalOf (session: MqttSession): string {
  return session.kind === 'device' ? `device:${session.uuid}` : `api-token:${session.keyid}`
}

/** Topic on which a device's broadcasts are published for MQTT subscribers (never writable by clients). */
export function broadcastTopicOf (uuid: string): string {
  return `${uuid}/broadcast`
}

/** Where API requests end up after the service handled them: no client may subscribe to `$` topics. */
export const SINK_TOPIC = '$endo/handled'
