// MQTT client ids belong to whoever used them first (issue 17). aedes, like MQTT, lets a new connection
// with a connected client's id take it over ([MQTT-3.1.4-2]) and, with clean=false, hand it the stored
// session: subscriptions and queued messages. Here an id belongs to one principal (a device or an API token)
// while it has a connection with it, or a persistent session (clean=false) that has not expired
// (limits.sessionExpirySeconds after its last connection ended). Another principal is refused before aedes
// kicks anyone (authenticate runs before registerClient in aedes' connect handler); the owner itself still
// takes over its own connection as MQTT requires. Bounded: an entry lives as long as a connection or a
// persistent session does; released ones are kept in release order, so expired ones go from the front.

interface Owner { principal: string, connections: number, persistent: boolean }

export class ClientIdOwners {
  private readonly owners = new Map<string, Owner>()
  /** clientId → when its ownership ends, for ids with no connection left, in release (= expiry) order. */
  private readonly released = new Map<string, number>()

  constructor (private readonly sessionExpiryMs: number, private readonly now: () => number = Date.now) {}

  /** Whether `principal` may use the id: it is free, expired, or already the principal's. */
  mayClaim (clientId: string, principal: string): boolean {
    this.dropExpired()
    const owner = this.owners.get(clientId)
    return owner === undefined || owner.principal === principal
  }

  /** Records one more connection of the owner with the id (call after mayClaim said yes). */
  claim (clientId: string, principal: string, persistent: boolean): void {
    const owner = this.owners.get(clientId)
    this.released.delete(clientId)
    if (owner === undefined || owner.principal !== principal) {
      this.owners.set(clientId, { principal, connections: 1, persistent })
      return
    }
    owner.connections += 1
    // The latest connection decides: clean=true wipes the stored session (aedes fetchSubs), clean=false keeps it.
    owner.persistent = persistent
  }

  /** One connection with the id ended; without a persistent session the id is free at once. */
  release (clientId: string, principal: string): void {
    const owner = this.owners.get(clientId)
    if (owner === undefined || owner.principal !== principal) return
    owner.connections -= 1
    if (owner.connections > 0) return
    if (!owner.persistent) { this.owners.delete(clientId); return }
    this.released.set(clientId, this.now() + this.sessionExpiryMs)
  }

  /** Ids owned now (connected or with a live persistent session). */
  get size (): number {
    return this.owners.size
  }

  private dropExpired (): void {
    const now = this.now()
    for (const [clientId, endsAt] of this.released) {
      if (now < endsAt) return
      this.released.delete(clientId)
      this.owners.delete(clientId)
    }
  }
}
