// The device bus: devices, tokens, subscriptions and routing behind the permission rules of
// meshblu-endo §1.5–§1.6. Both wire APIs (HTTP, MQTT) and the job runner go through this one object.
import { EventEmitter } from 'node:events'
import { documentFilter, documentProjection } from './document-query.js'
import { decodeCursor, pageOf, type SearchPage } from './search-page.js'
import { findMatches, planOf } from './device-search.js'
import { sessionTokenCount } from './session-token-count.js'
import { EventLoopTurns } from './event-loop-turns.js'
import type { Store } from '../store/database.js'
import type { Logger } from '../log.js'
import { DEFAULT_LIMITS, clipped, type Limits } from '../limits.js'
import { CoreErrors, Forbidden, PayloadTooLarge, TooManyRequests, Unprocessable } from '../errors.js'
import type { DeviceDocument } from './device.js'
import { DeviceRegistry } from './device-registry.js'
import { AuthFailureLimiter } from './auth-failure-limiter.js'
import { MemorySharedState, type SharedState } from '../shared-state.js'
import { TokenStore, type EndedCredentials, type RootReplacement, type TokenRecord, type VerifiedToken } from './token-store.js'
import { Subscriptions, type Subscription } from './subscriptions.js'
import { MessageRouter } from './message-router.js'
import { assertMayActAs, effectiveUuid, type Actor } from './actor.js'
import { isDiscoverableBy, isWhitelisted, withV1RegistrationDefaults } from './whitelists.js'
import { applyUpdateOperators } from './update-operators.js'
import { isJsonObject } from '../json-object.js'
import { withFields } from '../with-fields.js'

export interface BusEvents {
  'device.registered': [DeviceDocument]
  'device.updated': [DeviceDocument]
  'device.unregistered': [DeviceDocument]
  /** Tokens that stopped working (revoked, replaced, or all of an unregistered device's): their sessions must end. */
  'credentials.ended': [EndedCredentials]
  /** A device's subscriptions as an emitter changed (created or deleted). */
  'subscriptions.changed': [string]
  /** A root token reset starting, synchronously in the call that asked for it (a connection resetting its own token keeps going). */
  'root-token.replacing': [RootReplacement]
}

/** A change another instance made (cluster mode, service/cluster.ts): what this instance holds of it is stale. */
export type RemoteChange =
  | { kind: 'device', uuid: string }
  | { kind: 'subscriptions', emitterUuid: string }
  | { kind: 'credentials', ended: EndedCredentials }

/** What a search asks besides its query: the page (meshblu-endo has none; see README "Paging searches") and the projection. */
export interface SearchOptions { pageSize?: number, after?: string, projection?: unknown }

/** What the bus is built with besides the store and limits. */
export interface DeviceBusOptions {
  /** Where failed authentications are counted (cluster mode: Redis); default this instance's memory, bounded by limits.authFailureAddressesTracked. */
  sharedState?: SharedState
}

/** Bytes kept free under searchMaxBytes for an envelope around the array (v1's `{"devices":…}`). */
const ENVELOPE_BYTES = 32
/** Retry-After of a refused token: the count only drops when the device revokes some. */
const TOKEN_LIMIT_RETRY_SECONDS = 60

export class DeviceBus extends EventEmitter<BusEvents> {
  readonly registry: DeviceRegistry
  readonly tokens: TokenStore
  /** Failed authentications per client address, shared by MQTT and HTTP (limits.authFailuresPerAddressPerMinute). */
  readonly authFailures: AuthFailureLimiter
  readonly subscriptions: Subscriptions
  readonly router: MessageRouter
  private readonly pendingChanges = new Map<string, Promise<void>>()
  private readonly store: Store
  /** Turns shared by every sliced search (and its answer), so concurrent searches take turns with I/O. */
  readonly turns = new EventLoopTurns()

  private constructor (store: Store, pepper: Buffer, readonly logger: Logger, readonly limits: Readonly<Limits>, options: DeviceBusOptions) {
    super()
    this.subscriptions = new Subscriptions(store, emitterUuid => this.emit('subscriptions.changed', emitterUuid))
    const subscriptions = this.subscriptions
    this.registry = new DeviceRegistry(store, limits, {
      load: async uuid => { await subscriptions.loadEmitter(uuid) },
      loadedEmpty: uuid => { subscriptions.loadedEmpty(uuid) },
      forget: uuid => { subscriptions.forgetEmitter(uuid) },
    })
    this.store = store
    this.tokens = new TokenStore(store, pepper, {
      ended: ended => this.emit('credentials.ended', ended),
      replacing: replacement => this.emit('root-token.replacing', replacement),
    })
    this.authFailures = new AuthFailureLimiter(limits.authFailuresPerAddressPerMinute, options.sharedState ?? new MemorySharedState({ maxKeys: limits.authFailureAddressesTracked }))
    this.router = new MessageRouter(this.registry, this.subscriptions, logger)
  }

  static async open (store: Store, pepper: Buffer, logger: Logger, limits: Readonly<Limits> = DEFAULT_LIMITS, options: DeviceBusOptions = {}): Promise<DeviceBus> {
    return new DeviceBus(store, pepper, logger, limits, options)
  }

  /**
   * Applies a change another instance made: a device's document and subscriptions are read again (now if it is
   * pinned, else when next used), and sessions of ended credentials end here too.
   */
  applyRemote (change: RemoteChange): void {
    if (change.kind === 'device') this.registry.invalidate(change.uuid)
    else if (change.kind === 'subscriptions') this.subscriptions.reloadEmitter(change.emitterUuid)
    else this.emit('credentials.ended', { ...change.ended, remote: true })
  }

  /** True iff the token authenticates the device (the device must exist). */
  async authenticate (uuid: unknown, token: unknown): Promise<boolean> {
    return await this.authenticatedToken(uuid, token) !== undefined
  }

  /** Which of the device's credentials the token is (a live session remembers it), or undefined. */
  async authenticatedToken (uuid: unknown, token: unknown): Promise<VerifiedToken | undefined> {
    if (typeof uuid !== 'string' || typeof token !== 'string') return undefined
    if (await this.registry.get(uuid) === undefined) return undefined
    return await this.tokens.verified(uuid, token)
  }

  /** Registers a device; its root token is returned here and never again. */
  async register (properties: unknown): Promise<{ device: DeviceDocument, token: string }> {
    if (properties !== undefined && !isJsonObject(properties)) throw new Unprocessable('device properties must be an object', { error: 'device properties must be an object' })
    let token = ''
    const device = await this.registry.create(withV1RegistrationDefaults(properties ?? {}), async (trx, uuid) => {
      token = await this.tokens.firstRootToken(uuid, async row => { await trx.insertInto('tokens').values(row).execute() })
    })
    this.emit('device.registered', device)
    return { device, token }
  }

  // ---- permission checks (meshblu-endo §1.6) ----

  private async assertConfigure (actor: Actor, targetUuid: string): Promise<DeviceDocument> {
    assertMayActAs(actor, targetUuid, await this.asDevice(actor), 'configure.as')
    const target = await this.registry.get(targetUuid)
    if (!isWhitelisted(target, 'configure.update', effectiveUuid(actor))) throw new Forbidden()
    return target as DeviceDocument
  }

  private async asDevice (actor: Actor): Promise<DeviceDocument | undefined> {
    return actor.as === undefined ? undefined : await this.registry.get(actor.as)
  }

  /** GET device: refusals and missing devices look the same (404), so existence is not revealed. */
  async getDevice (actor: Actor, uuid: string): Promise<DeviceDocument> {
    return this.heldDevice(actor, uuid) ?? this.viewed(actor, uuid, await this.asDevice(actor), await this.registry.get(uuid))
  }

  /**
   * GET device answered in this turn when the devices it involves are held (the usual whoami of a connected
   * device), else undefined: an MQTT request answered synchronously keeps its reply in the order of the
   * connection's requests.
   */
  heldDevice (actor: Actor, uuid: string): DeviceDocument | undefined {
    const asDevice = actor.as === undefined ? undefined : this.registry.cached(actor.as)
    const device = this.registry.cached(uuid)
    if (device === undefined || (actor.as !== undefined && asDevice === undefined)) return undefined
    return this.viewed(actor, uuid, asDevice, device)
  }

  private viewed (actor: Actor, uuid: string, asDevice: DeviceDocument | undefined, device: DeviceDocument | undefined): DeviceDocument {
    try {
      assertMayActAs(actor, uuid, asDevice, 'discover.as')
    } catch {
      throw CoreErrors.devicesNotFound()
    }
    if (!isWhitelisted(device, 'discover.view', effectiveUuid(actor))) throw CoreErrors.devicesNotFound()
    return device as DeviceDocument
  }

  /**
   * One page of the devices the actor may discover that match the query, newest first: at most
   * min(pageSize, searchMaxResults) devices and searchMaxBytes of JSON, with a cursor to the next page
   * when cut. The store is read through the index of a field the query names (device-search.ts), at most
   * searchScanRows rows a page, in slices of searchSliceMs, so no search holds the event loop.
   */
  async search (actor: Actor, query: unknown, options: SearchOptions = {}): Promise<SearchPage> {
    assertMayActAs(actor, undefined, await this.asDevice(actor), 'discover.as')
    const viewer = effectiveUuid(actor)
    const matches = documentFilter(query, 'search', this.limits)
    const project = documentProjection(options.projection, this.limits)
    const pageSize = Math.min(options.pageSize ?? this.limits.searchMaxResults, this.limits.searchMaxResults)
    const after = options.after === undefined ? undefined : decodeCursor(options.after)
    const run = await findMatches(this.registry, this.turns, this.limits, planOf(query), after, pageSize + 1,
      device => isDiscoverableBy(device, viewer) && matches(device))
    return pageOf(run.matches, pageSize, this.limits.searchMaxBytes - ENVELOPE_BYTES, device => {
      if (project === undefined) return { shown: device, bytes: this.registry.bytesOf(device) }
      const shown = project(device)
      return { shown, bytes: Buffer.byteLength(JSON.stringify(shown) ?? '') }
    }, run.readUpTo)
  }

  async update (actor: Actor, uuid: string, operators: unknown): Promise<DeviceDocument> {
    return (await this.oneChangeAtATime(uuid, () => this.applyUpdate(actor, uuid, operators))).device
  }

  /** Like update, answering with the document as it was before (Mongo find-and-modify). */
  async findAndUpdate (actor: Actor, uuid: string, operators: unknown): Promise<DeviceDocument> {
    return (await this.oneChangeAtATime(uuid, () => this.applyUpdate(actor, uuid, operators))).before
  }

  async unregister (actor: Actor, uuid: string): Promise<DeviceDocument> {
    return await this.oneChangeAtATime(uuid, async () => {
      await this.assertConfigure(actor, uuid)
      this.router.unregistered(uuid)
      const device = await this.registry.remove(uuid) as DeviceDocument
      await this.tokens.revokeAll(uuid)
      await this.subscriptions.deleteAllOf(uuid)
      this.emit('device.unregistered', device)
      return device
    })
  }

  /** Checks and applies operators to the current document; run only inside oneChangeAtATime. */
  private async applyUpdate (actor: Actor, uuid: string, operators: unknown): Promise<{ before: DeviceDocument, device: DeviceDocument }> {
    const before = await this.assertConfigure(actor, uuid)
    const next = applyUpdateOperators(before, operators, this.limits)
    const device = await this.registry.replace(next, effectiveUuid(actor))
    this.emit('device.updated', device)
    this.router.configured(uuid, device)
    return { before, device }
  }

  /**
   * Runs the changes of one device one after another. An update reads the document, then awaits the
   * store: without this, two concurrent `$inc`s (or `$push`es) would both start from the same document
   * and one would be lost.
   */
  private async oneChangeAtATime<T> (uuid: string, change: () => Promise<T>): Promise<T> {
    const previous = this.pendingChanges.get(uuid) ?? Promise.resolve()
    const result = previous.then(change)
    const settled = result.then(() => {}, () => {})
    this.pendingChanges.set(uuid, settled)
    void settled.then(() => { if (this.pendingChanges.get(uuid) === settled) this.pendingChanges.delete(uuid) })
    return await result
  }

  // ---- tokens ----

  async createSessionToken (actor: Actor, uuid: string, metadata: unknown): Promise<Record<string, unknown> & { uuid: string, token: string }> {
    await this.assertConfigure(actor, uuid)
    const tokenMetadata = isJsonObject(metadata) ? metadata : {}
    const bytes = Buffer.byteLength(JSON.stringify(tokenMetadata))
    if (bytes > this.limits.maxTokenMetadataBytes) throw new PayloadTooLarge(`token metadata too large: ${bytes} bytes, more than the limit of ${this.limits.maxTokenMetadataBytes}`)
    // counted and created one after another per device, so concurrent requests cannot pass the limit together
    const token = await this.oneChangeAtATime(uuid, async () => {
      const held = await sessionTokenCount(this.store, uuid)
      if (held >= this.limits.maxTokensPerDevice) {
        throw new TooManyRequests(`too many session tokens: a device may hold at most ${this.limits.maxTokensPerDevice}; revoke some first`, TOKEN_LIMIT_RETRY_SECONDS)
      }
      return await this.tokens.createSessionToken(uuid, tokenMetadata)
    })
    return { ...tokenMetadata, uuid, token }
  }

  async revokeToken (actor: Actor, uuid: string, token: string): Promise<void> {
    await this.assertConfigure(actor, uuid)
    await this.tokens.revoke(uuid, token)
  }

  async revokeTokensByQuery (actor: Actor, uuid: string, query: Record<string, unknown>): Promise<void> {
    await this.assertConfigure(actor, uuid)
    if (Object.keys(query).length === 0) throw new Unprocessable('a query is required to revoke tokens', { error: 'a query is required to revoke tokens' })
    await this.tokens.revokeByQuery(uuid, query)
  }

  async resetToken (actor: Actor, uuid: string): Promise<{ uuid: string, token: string }> {
    await this.assertConfigure(actor, uuid)
    return { uuid, token: await this.tokens.resetRootToken(uuid) }
  }

  /** Token records of the effective actor (or of `query.uuid` when it may configure that device). */
  async searchTokens (actor: Actor, query: unknown): Promise<TokenRecord[]> {
    const q = isJsonObject(query) ? query : {}
    const uuid = typeof q.uuid === 'string' ? q.uuid : effectiveUuid(actor)
    await this.assertConfigure(actor, uuid)
    const { uuid: _uuid, ...rest } = q
    return await this.tokens.search(uuid, rest)
  }

  // ---- subscriptions (creating needs configure rights on the subscriber; the emitter is checked at delivery) ----

  async createSubscription (actor: Actor, subscription: Subscription): Promise<boolean> {
    await this.assertConfigure(actor, subscription.subscriberUuid)
    return await this.subscriptions.create(subscription, this.limits.maxSubscriptionsPerDevice)
  }

  async deleteSubscriptions (actor: Actor, subscriberUuid: string, filter: { emitterUuid?: string, type?: string }): Promise<void> {
    await this.assertConfigure(actor, subscriberUuid)
    await this.subscriptions.delete(subscriberUuid, filter)
  }

  /** Listing checks configure rights of the `as` device too (the original skipped that: §6). */
  async listSubscriptions (actor: Actor, subscriberUuid: string): Promise<Subscription[]> {
    await this.assertConfigure(actor, subscriberUuid)
    return await this.subscriptions.list(subscriberUuid)
  }

  // ---- messages ----

  /** Sends a message as the actor; recipients that refuse the sender are skipped silently (§7). */
  /**
   * Sends in this turn (undefined) unless the `as` device must be read first (a promise): the job path replies
   * as a held user device, and a promise per reply would cost it. Refusals throw (or reject).
   */
  sendMessage (actor: Actor, message: unknown): Promise<void> | undefined {
    if (!isJsonObject(message)) throw new Unprocessable('message must be a JSON object', { error: 'message must be a JSON object' })
    const recipients = recipientsOf(message.devices, this.limits.maxRecipientsPerMessage)
    if (actor.as === undefined || actor.as === actor.uuid) return this.route(actor, recipients, message)
    const held = this.registry.held(actor.as)
    if (held !== undefined) return this.routeAs(actor, actor.as, held, recipients, message)
    return this.registry.get(actor.as).then(asDevice => this.routeAs(actor, actor.as as string, asDevice, recipients, message))
  }

  private routeAs (actor: Actor, as: string, asDevice: DeviceDocument | undefined, recipients: string[], message: Record<string, unknown>): undefined {
    // meshblu-endo §1.6: a broadcast needs broadcast.as, a direct message message.as (a message may be both).
    if (recipients.includes('*') && !isWhitelisted(asDevice, 'broadcast.as', actor.uuid)) throw new Forbidden(`not allowed to broadcast as ${clipped(as, this.limits.clientStringMaxChars)}`)
    if (recipients.some(r => r !== '*') && !isWhitelisted(asDevice, 'message.as', actor.uuid)) throw new Forbidden(`not allowed to send as ${clipped(as, this.limits.clientStringMaxChars)}`)
    return this.route(actor, recipients, message)
  }

  private route (actor: Actor, recipients: string[], message: Record<string, unknown>): undefined {
    const from = effectiveUuid(actor)
    // protect-your-as: acting as X never delivers to X itself.
    const targets = actor.as === undefined ? recipients : recipients.filter(r => r !== actor.as)
    this.router.sendMessage(from, targets, withFields(message, { fromUuid: from }))
    return undefined
  }
}

/** `devices` may be a uuid, '*', or an array of at most `max` of them; anything else is 422. */
export function recipientsOf (devices: unknown, max: number = DEFAULT_LIMITS.maxRecipientsPerMessage): string[] {
  const list = typeof devices === 'string' ? [devices] : devices
  if (!Array.isArray(list) || list.length === 0 || !list.every(d => typeof d === 'string' && d !== '')) {
    throw CoreErrors.missingDevices()
  }
  // each recipient costs a delivery of the whole message: the fan-out of one request is bounded
  if (list.length > max) throw new Unprocessable(`a message may name at most ${max} devices`, { error: `a message may name at most ${max} devices` })
  return list as string[]
}
