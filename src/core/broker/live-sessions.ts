// The live MQTT sessions (TCP and WebSocket) and the credential each authenticated with, indexed by device
// uuid (or API token key id), so a credential change ends exactly its sessions without walking all of them
// (issue 17 "credentials reach live sessions"). A session ends before it can act again: it is marked ended
// (every hook refuses it from then on, see mqtt-session.ts), its Last Will is dropped, and it is closed.
// Also: client id ownership, connections per principal, and authentications in flight while credentials end.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Aedes, Client, PublishPacket } from 'aedes'
import type { Logger } from '../log.js'
import type { DeviceBus } from '../bus/device-bus.js'
import type { EndedCredentials, RootReplacement } from '../bus/token-store.js'
import { ClientIdOwners } from './client-id-owners.js'
import { deleteStoredWill, dropWill, isRegistered } from './aedes-seams.js'
import { principalOf, setSession, type MqttSession } from './mqtt-session.js'

/** The meshblu-mqtt request topic with which a device resets its own root token (api-topics.ts). */
const RESET_TOKEN_TOPIC = 'resetToken'

/** setTimeout takes at most a signed 32-bit delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

interface LiveSession {
  client: Client
  session: MqttSession
  principal: string
  clientId: string
  stopWatching?: () => void
  expiry?: NodeJS.Timeout
}

type AuthorizePublish = (client: Client | null, packet: PublishPacket, callback: (error?: Error | null) => void) => void

/** A device authentication between its token check and its registration here. */
export interface PendingAuthentication { uuid: string, endedHashes: Set<string>, allEnded: boolean }

export class LiveSessions {
  private readonly byPrincipal = new Map<string, Set<LiveSession>>()
  private readonly byClient = new WeakMap<Client, LiveSession>()
  private readonly pending = new Map<string, Set<PendingAuthentication>>()
  /** The connection whose resetToken request is being handled right now (synchronously), if any. */
  /** The connection whose resetToken request is being handled, across the handler's awaits. */
  private readonly requesting = new AsyncLocalStorage<LiveSession | undefined>()
  /** New root token hash → the connection whose own request replaces its device's root token with it. */
  private readonly ownResets = new Map<string, LiveSession>()
  readonly clientIds: ClientIdOwners

  constructor (
    private readonly broker: () => Aedes | undefined,
    private readonly logger: Logger,
    sessionExpirySeconds: number
  ) {
    this.clientIds = new ClientIdOwners(sessionExpirySeconds * 1000)
  }

  /** Ends the sessions whose credentials the bus reports ended; returns a function that stops listening. */
  follow (bus: DeviceBus): () => void {
    const onEnded = (ended: EndedCredentials): void => {
      try {
        this.endCredentials(ended)
      } catch (error) {
        this.logger.error({ err: error, uuid: ended.uuid }, 'ending live sessions failed')
      }
    }
    const onReplacing = ({ uuid, replacedBy }: RootReplacement): void => {
      const requester = this.requesting.getStore()
      if (requester?.session.kind === 'device' && requester.session.uuid === uuid) this.ownResets.set(replacedBy, requester)
    }
    bus.on('credentials.ended', onEnded)
    bus.on('root-token.replacing', onReplacing)
    return () => {
      bus.off('credentials.ended', onEnded)
      bus.off('root-token.replacing', onReplacing)
    }
  }

  /**
   * Marks a device authentication as in flight: credentials of the device that end before it finishes
   * are remembered, so a token revoked while it was being checked cannot open a session.
   */
  beginAuthentication (uuid: string): PendingAuthentication {
    const pending: PendingAuthentication = { uuid, endedHashes: new Set(), allEnded: false }
    let set = this.pending.get(uuid)
    if (set === undefined) { set = new Set(); this.pending.set(uuid, set) }
    set.add(pending)
    return pending
  }

  finishAuthentication (pending: PendingAuthentication): void {
    const set = this.pending.get(pending.uuid)
    if (set === undefined) return
    set.delete(pending)
    if (set.size === 0) this.pending.delete(pending.uuid)
  }

  /** Open sessions of a principal, leaving out one with `exceptClientId` (which a reconnection takes over). */
  connectionsOf (principal: string, exceptClientId: string): number {
    const set = this.byPrincipal.get(principal)
    if (set === undefined) return 0
    let count = 0
    for (const live of set) if (live.clientId !== exceptClientId) count++
    return count
  }

  /**
   * Records an authenticated connection (before aedes registers it) and claims its client id; `expiresAt`
   * (ms) ends it when its token expires. Removed again when its connection closes, however that happens.
   */
  add (client: Client, session: MqttSession, expiresAt?: number): void {
    setSession(client, session)
    const principal = principalOf(session)
    const live: LiveSession = { client, session, principal, clientId: client.id }
    let set = this.byPrincipal.get(principal)
    if (set === undefined) { set = new Set(); this.byPrincipal.set(principal, set) }
    set.add(live)
    this.byClient.set(client, live)
    this.clientIds.claim(client.id, principal, !client.clean)
    client.conn.once('close', () => this.remove(live))
    if (session.kind === 'api-token') live.stopWatching = session.watchEnd(() => this.end(live))
    if (expiresAt !== undefined) this.endAt(live, expiresAt)
  }

  /** Ends the sessions opened with the credentials that ended (all of the device's when no hashes are given). */
  endCredentials (ended: EndedCredentials): void {
    const hashes = ended.hashes === undefined ? undefined : new Set(ended.hashes)
    const ownReset = ended.replacedBy === undefined ? undefined : this.ownResets.get(ended.replacedBy)
    if (ended.replacedBy !== undefined) this.ownResets.delete(ended.replacedBy)
    for (const pending of this.pending.get(ended.uuid) ?? []) {
      if (hashes === undefined) pending.allEnded = true
      else for (const hash of hashes) pending.endedHashes.add(hash)
    }
    for (const live of [...this.byPrincipal.get(`device:${ended.uuid}`) ?? []]) {
      const session = live.session
      if (session.kind !== 'device' || (hashes !== undefined && !hashes.has(session.credential))) continue
      // The connection that reset its own root token is told the new one in the reply: it continues under it.
      if (live === ownReset && ended.replacedBy !== undefined) {
        session.credential = ended.replacedBy
        continue
      }
      this.end(live)
    }
  }

  /**
   * Wraps the authorizePublish hook so a resetToken request's connection is known while its handler runs
   * (an async context: the handler reads the device from the store before it reaches the reset): the bus's
   * 'root-token.replacing', emitted before the old token is deleted, pairs the new token with this connection.
   * A request that never reaches the reset (refused, malformed) pairs nothing, so nothing is kept for later.
   */
  notingResetRequests (hook: AuthorizePublish): AuthorizePublish {
    return (client, packet, callback) => {
      if (client === null || packet.topic !== RESET_TOKEN_TOPIC) return hook(client, packet, callback)
      this.requesting.run(this.byClient.get(client), () => { hook(client, packet, callback) })
    }
  }

  /** Whether the credential a pending authentication found ended while it was being checked. */
  static endedDuring (pending: PendingAuthentication, hash: string): boolean {
    return pending.allEnded || pending.endedHashes.has(hash)
  }

  private end (live: LiveSession): void {
    if (live.session.ended === true) return
    live.session.ended = true
    const client = live.client
    dropWill(client)
    const aedes = this.broker()
    if (aedes !== undefined && isRegistered(aedes, client)) deleteStoredWill(aedes, client)
    client.close()
    this.logger.info({ clientId: client.id, principal: live.principal }, 'mqtt session ended: its credentials ended')
  }

  private endAt (live: LiveSession, at: number): void {
    const delay = at - Date.now()
    if (delay <= 0) { this.end(live); return }
    live.expiry = setTimeout(() => this.endAt(live, at), Math.min(delay, MAX_TIMER_MS))
    live.expiry.unref()
  }

  private remove (live: LiveSession): void {
    const set = this.byPrincipal.get(live.principal)
    if (set === undefined || !set.delete(live)) return
    if (set.size === 0) this.byPrincipal.delete(live.principal)
    clearTimeout(live.expiry)
    live.stopWatching?.()
    this.clientIds.release(live.clientId, live.principal)
  }
}
