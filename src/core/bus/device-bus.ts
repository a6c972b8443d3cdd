// The device bus: devices, tokens, subscriptions and routing behind the permission rules of
// meshblu-endo §1.5–§1.6. Both wire APIs (HTTP, MQTT) and the job runner go through this one object.
import { EventEmitter } from 'node:events'
import { documentFilter } from './document-query.js'
import type { Store } from '../store/database.js'
import type { Logger } from '../log.js'
import { DEFAULT_LIMITS, type Limits } from '../limits.js'
import { ErrorText, Forbidden, NotFound, Unprocessable } from '../errors.js'
import type { DeviceDocument } from './device.js'
import { DeviceRegistry } from './device-registry.js'
import { TokenStore, type TokenRecord } from './token-store.js'
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
}

const SEARCH_LIMIT = 1000


export class DeviceBus extends EventEmitter<BusEvents> {
  readonly registry: DeviceRegistry
  readonly tokens: TokenStore
  readonly subscriptions: Subscriptions
  readonly router: MessageRouter
  private readonly pendingChanges = new Map<string, Promise<void>>()

  private constructor (store: Store, pepper: Buffer, readonly logger: Logger, readonly limits: Readonly<Limits>) {
    super()
    this.registry = new DeviceRegistry(store)
    this.tokens = new TokenStore(store, pepper)
    this.subscriptions = new Subscriptions(store)
    this.router = new MessageRouter(this.registry, this.subscriptions, logger)
  }

  static async open (store: Store, pepper: Buffer, logger: Logger, limits: Readonly<Limits> = DEFAULT_LIMITS): Promise<DeviceBus> {
    const bus = new DeviceBus(store, pepper, logger, limits)
    await bus.registry.load()
    await bus.subscriptions.load()
    return bus
  }

  /** True iff the token authenticates the device (the device must exist). */
  async authenticate (uuid: unknown, token: unknown): Promise<boolean> {
    if (typeof uuid !== 'string' || typeof token !== 'string') return false
    if (this.registry.get(uuid) === undefined) return false
    return await this.tokens.verify(uuid, token)
  }

  /** Registers a device; its root token is returned here and never again. */
  async register (properties: unknown): Promise<{ device: DeviceDocument, token: string }> {
    if (properties !== undefined && !isJsonObject(properties)) throw new Unprocessable('device properties must be an object', { error: 'device properties must be an object' })
    const device = await this.registry.create(withV1RegistrationDefaults(properties ?? {}))
    const token = await this.tokens.resetRootToken(device.uuid)
    this.emit('device.registered', device)
    return { device, token }
  }

  // ---- permission checks (meshblu-endo §1.6) ----

  private assertConfigure (actor: Actor, targetUuid: string): DeviceDocument {
    assertMayActAs(actor, targetUuid, this.asDevice(actor), 'configure.as')
    const target = this.registry.get(targetUuid)
    if (!isWhitelisted(target, 'configure.update', effectiveUuid(actor))) throw new Forbidden()
    return target as DeviceDocument
  }

  private asDevice (actor: Actor): DeviceDocument | undefined {
    return actor.as === undefined ? undefined : this.registry.get(actor.as)
  }

  /** GET device: refusals and missing devices look the same (404), so existence is not revealed. */
  getDevice (actor: Actor, uuid: string): DeviceDocument {
    try {
      assertMayActAs(actor, uuid, this.asDevice(actor), 'discover.as')
    } catch {
      throw new NotFound(ErrorText.devicesNotFound)
    }
    const device = this.registry.get(uuid)
    if (!isWhitelisted(device, 'discover.view', effectiveUuid(actor))) throw new NotFound(ErrorText.devicesNotFound)
    return device as DeviceDocument
  }

  search (actor: Actor, query: unknown): DeviceDocument[] {
    assertMayActAs(actor, undefined, this.asDevice(actor), 'discover.as')
    const viewer = effectiveUuid(actor)
    const matches = documentFilter(query, 'search')
    const result: DeviceDocument[] = []
    for (const device of this.registry.all()) {
      if (isDiscoverableBy(device, viewer) && matches(device)) result.push(device)
    }
    result.sort((a, b) => String(b.meshblu?.createdAt ?? '').localeCompare(String(a.meshblu?.createdAt ?? '')))
    return result.slice(0, SEARCH_LIMIT)
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
      this.assertConfigure(actor, uuid)
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
    const before = this.assertConfigure(actor, uuid)
    const next = applyUpdateOperators(before, operators)
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
    this.assertConfigure(actor, uuid)
    const tokenMetadata = isJsonObject(metadata) ? metadata : {}
    const token = await this.tokens.createSessionToken(uuid, tokenMetadata)
    return { ...tokenMetadata, uuid, token }
  }

  async revokeToken (actor: Actor, uuid: string, token: string): Promise<void> {
    this.assertConfigure(actor, uuid)
    await this.tokens.revoke(uuid, token)
  }

  async revokeTokensByQuery (actor: Actor, uuid: string, query: Record<string, unknown>): Promise<void> {
    this.assertConfigure(actor, uuid)
    if (Object.keys(query).length === 0) throw new Unprocessable('a query is required to revoke tokens', { error: 'a query is required to revoke tokens' })
    await this.tokens.revokeByQuery(uuid, query)
  }

  async resetToken (actor: Actor, uuid: string): Promise<{ uuid: string, token: string }> {
    this.assertConfigure(actor, uuid)
    return { uuid, token: await this.tokens.resetRootToken(uuid) }
  }

  /** Token records of the effective actor (or of `query.uuid` when it may configure that device). */
  async searchTokens (actor: Actor, query: unknown): Promise<TokenRecord[]> {
    const q = isJsonObject(query) ? query : {}
    const uuid = typeof q.uuid === 'string' ? q.uuid : effectiveUuid(actor)
    this.assertConfigure(actor, uuid)
    const { uuid: _uuid, ...rest } = q
    return await this.tokens.search(uuid, rest)
  }

  // ---- subscriptions (creating needs configure rights on the subscriber; the emitter is checked at delivery) ----

  async createSubscription (actor: Actor, subscription: Subscription): Promise<boolean> {
    this.assertConfigure(actor, subscription.subscriberUuid)
    return await this.subscriptions.create(subscription)
  }

  async deleteSubscriptions (actor: Actor, subscriberUuid: string, filter: { emitterUuid?: string, type?: string }): Promise<void> {
    this.assertConfigure(actor, subscriberUuid)
    await this.subscriptions.delete(subscriberUuid, filter)
  }

  /** Listing checks configure rights of the `as` device too (the original skipped that: §6). */
  listSubscriptions (actor: Actor, subscriberUuid: string): Subscription[] {
    this.assertConfigure(actor, subscriberUuid)
    return this.subscriptions.list(subscriberUuid)
  }

  // ---- messages ----

  /** Sends a message as the actor; recipients that refuse the sender are skipped silently (§7). */
  sendMessage (actor: Actor, message: unknown): void {
    if (!isJsonObject(message)) throw new Unprocessable('message must be a JSON object', { error: 'message must be a JSON object' })
    const recipients = recipientsOf(message.devices)
    if (actor.as !== undefined && actor.as !== actor.uuid) {
      // meshblu-endo §1.6: a broadcast needs broadcast.as, a direct message message.as (a message may be both).
      const asDevice = this.registry.get(actor.as)
      if (recipients.includes('*') && !isWhitelisted(asDevice, 'broadcast.as', actor.uuid)) throw new Forbidden(`not allowed to broadcast as ${actor.as}`)
      if (recipients.some(r => r !== '*') && !isWhitelisted(asDevice, 'message.as', actor.uuid)) throw new Forbidden(`not allowed to send as ${actor.as}`)
    }
    const from = effectiveUuid(actor)
    // protect-your-as: acting as X never delivers to X itself.
    const targets = actor.as === undefined ? recipients : recipients.filter(r => r !== actor.as)
    this.router.sendMessage(from, targets, withFields(message, { fromUuid: from }))
  }
}

/** `devices` may be a uuid, '*', or an array of them; anything else is 422. */
export function recipientsOf (devices: unknown): string[] {
  const list = typeof devices === 'string' ? [devices] : devices
  if (!Array.isArray(list) || list.length === 0 || !list.every(d => typeof d === 'string' && d !== '')) {
    throw new Unprocessable(ErrorText.missingDevices, { error: ErrorText.missingDevices })
  }
  return list as string[]
}
