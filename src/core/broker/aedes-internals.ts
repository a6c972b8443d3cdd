// The parts of aedes 1.2 its type declarations leave out, which the session code needs (aedes is pinned
// to an exact version; see node_modules/aedes/aedes.js, lib/client.js, lib/handlers/connect.js).
import type { Aedes, Client } from 'aedes'

export interface BrokerInternals {
  id: string
  /** Registered clients by client id (aedes.js registerClient). */
  clients: Record<string, Client | undefined>
  unregisterClient: (client: Client) => void
  maxClientsIdLength: number
  persistence: { delWill: (client: { id: string, brokerId: string }) => Promise<unknown> }
}

export interface ClientInternals {
  broker: Aedes
  /** The Last Will that close() publishes unless the client sent DISCONNECT (lib/client.js). */
  will: unknown
  /** The CONNECT packet's will, copied into `will` by the connect handler's storeWill step. */
  _will: unknown
}

export function internalsOf (broker: Aedes): BrokerInternals {
  return broker as unknown as BrokerInternals
}

export function clientInternalsOf (client: Client): ClientInternals {
  return client as unknown as ClientInternals
}
