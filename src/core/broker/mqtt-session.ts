// What the broker knows about each authenticated MQTT connection.
import type { Client } from 'aedes'

export interface DeviceSession { kind: 'device', uuid: string }
/** An API token (ACL): read-only, may only subscribe to broadcasts its ACL reaches. */
export interface ApiTokenSession { kind: 'api-token', keyid: string, mayReceiveBroadcastsOf: (uuid: string) => boolean }
export type MqttSession = DeviceSession | ApiTokenSession

const sessions = new WeakMap<Client, MqttSession>()

export function sessionOf (client: Client | null | undefined): MqttSession | undefined {
  return client == null ? undefined : sessions.get(client)
}

export function setSession (client: Client, session: MqttSession): void {
  sessions.set(client, session)
}

/** Topic on which a device's broadcasts are published for MQTT subscribers (never writable by clients). */
export function broadcastTopicOf (uuid: string): string {
  return `${uuid}/broadcast`
}

/** Where API requests end up after the service handled them: no client may subscribe to `$` topics. */
export const SINK_TOPIC = '$endo/handled'
