// What the broker hooks need: the bus, limits, optional extra authenticators (API tokens), a logger.
import type { Aedes } from 'aedes'
import type { DeviceBus } from '../bus/device-bus.js'
import type { Logger } from '../log.js'
import type { Limits } from '../limits.js'
import type { ApiTokenSession } from './mqtt-session.js'

/** Resolves MQTT credentials that are not a device's (e.g. API tokens); undefined = not one of ours. */
export type ExtraAuthenticator = (username: string, password: string) => Promise<ApiTokenSession | undefined>

export interface BrokerContext {
  bus: DeviceBus
  logger: Logger
  limits: Readonly<Limits>
  extraAuthenticators: ExtraAuthenticator[]
  /** Set once the broker exists (hooks publish replies through it). */
  broker?: Aedes
}
