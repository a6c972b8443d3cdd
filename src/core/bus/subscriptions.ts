// Subscriptions (meshblu-endo §2.1), persisted in the store; listing, counting and deleting read it by
// subscriber (the primary key's prefix). Fan-out reads memory: the subscriptions of each emitter the registry
// holds, loaded with its document, so nothing is read per message and nothing is loaded at start.
import type { Store } from '../store/database.js'
import { CoreErrors, TooManyRequests } from '../errors.js'

export const SUBSCRIPTION_TYPES = [
  'broadcast', 'config', 'received', 'sent',
  'broadcast.received', 'broadcast.sent', 'configure.received', 'configure.sent',
  'message.received', 'message.sent', 'unregister.sent', 'unregister.received',
] as const
export type SubscriptionType = typeof SUBSCRIPTION_TYPES[number]

export interface Subscription { subscriberUuid: string, emitterUuid: string, type: SubscriptionType }

export function isSubscriptionType (type: unknown): type is SubscriptionType {
  return typeof type === 'string' && (SUBSCRIPTION_TYPES as readonly string[]).includes(type)
}

export class Subscriptions {
  /**
   * emitter → type → subscribers, for the emitters the registry holds (loaded with the device's document,
   * dropped when it is evicted): fan-out reads this without I/O. Other emitters' subscriptions stay in the store.
   */
  private readonly byEmitter = new Map<string, Map<string, Set<string>>>()
  /** Emitters whose subscriptions are in memory (with or without any). */
  private readonly loaded = new Set<string>()
  /** Counts deletions, so a load that raced one reads again. */
  private deletions = 0
  /** Changes of one subscriber's subscriptions, one after another (the count and the insert must not interleave). */
  private readonly queues = new Map<string, Promise<unknown>>()

  constructor (private readonly store: Store, private readonly changed: (emitterUuid: string) => void = () => {}) {}

  /** Reads an emitter's subscriptions into memory (the registry calls this as it reads the device). */
  async loadEmitter (emitterUuid: string): Promise<void> {
    // marked first, so a subscription created during the read is indexed by create() itself
    this.loaded.add(emitterUuid)
    for (;;) {
      const deletions = this.deletions
      const rows = await this.store.selectFrom('subscriptions').select(['subscriber_uuid', 'type']).where('emitter_uuid', '=', emitterUuid).execute()
      // a deletion during the read may be missing from the rows read before it: read again
      if (deletions !== this.deletions) continue
      if (!this.loaded.has(emitterUuid)) return
      for (const row of rows) this.index({ subscriberUuid: row.subscriber_uuid, emitterUuid, type: row.type as SubscriptionType })
      return
    }
  }

  /** A device just registered has none: nothing to read. */
  loadedEmpty (emitterUuid: string): void {
    this.byEmitter.delete(emitterUuid)
    this.loaded.add(emitterUuid)
  }

  /** Another instance changed the emitter's subscriptions: read them again if they are held. */
  reloadEmitter (emitterUuid: string): void {
    if (!this.loaded.has(emitterUuid)) return
    this.deletions++
    this.byEmitter.delete(emitterUuid)
    void this.loadEmitter(emitterUuid).catch(() => { this.forgetEmitter(emitterUuid) })
  }

  /** The registry dropped the emitter's document: its subscriptions leave memory with it. */
  forgetEmitter (emitterUuid: string): void {
    this.byEmitter.delete(emitterUuid)
    this.loaded.delete(emitterUuid)
  }

  private index ({ subscriberUuid, emitterUuid, type }: Subscription): void {
    let types = this.byEmitter.get(emitterUuid)
    if (types === undefined) { types = new Map(); this.byEmitter.set(emitterUuid, types) }
    let subscribers = types.get(type)
    if (subscribers === undefined) { subscribers = new Set(); types.set(type, subscribers) }
    subscribers.add(subscriberUuid)
  }

  private unindex ({ subscriberUuid, emitterUuid, type }: Subscription): void {
    this.deletions++
    const types = this.byEmitter.get(emitterUuid)
    const subscribers = types?.get(type)
    subscribers?.delete(subscriberUuid)
    if (subscribers?.size === 0) types?.delete(type)
    if (types?.size === 0) this.byEmitter.delete(emitterUuid)
  }

  /** Subscribers of a held emitter (the router reads the emitter through the registry first). */
  subscribersOf (emitter: string, type: string): ReadonlySet<string> {
    return this.byEmitter.get(emitter)?.get(type) ?? EMPTY
  }

  has (subscription: Subscription): boolean {
    return this.subscribersOf(subscription.emitterUuid, subscription.type).has(subscription.subscriberUuid)
  }

  private async oneAtATime<T> (subscriberUuid: string, change: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(subscriberUuid) ?? Promise.resolve()
    const result = previous.then(change, change)
    const settled = result.then(() => {}, () => {})
    this.queues.set(subscriberUuid, settled)
    void settled.then(() => { if (this.queues.get(subscriberUuid) === settled) this.queues.delete(subscriberUuid) })
    return await result
  }

  /**
   * Creates a subscription; false when it already existed. A subscriber that already has `max` is
   * refused with 429 (clients pass limits.maxSubscriptionsPerDevice; the service's own are not bounded).
   */
  async create (subscription: Subscription, max = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (!isSubscriptionType(subscription.type)) throw CoreErrors.invalidSubscriptionType()
    return await this.oneAtATime(subscription.subscriberUuid, async () => {
      const { subscriberUuid, emitterUuid, type } = subscription
      const existing = await this.store.selectFrom('subscriptions').select('type')
        .where('subscriber_uuid', '=', subscriberUuid).where('emitter_uuid', '=', emitterUuid).where('type', '=', type).executeTakeFirst()
      if (existing !== undefined) return false
      if (Number.isFinite(max) && await this.countOf(subscriberUuid) >= max) {
        throw new TooManyRequests(`too many subscriptions: a device may subscribe to at most ${max}; delete some first`, LIMIT_RETRY_SECONDS)
      }
      await this.store.insertInto('subscriptions')
        .values({ subscriber_uuid: subscriberUuid, emitter_uuid: emitterUuid, type, created_at: new Date().toISOString() })
        .onConflict(oc => oc.doNothing()).execute()
      if (this.loaded.has(emitterUuid)) this.index({ subscriberUuid, emitterUuid, type })
      this.changed(emitterUuid)
      return true
    })
  }

  /** How many subscriptions the device has as subscriber (one count over the primary key's prefix). */
  async countOf (subscriberUuid: string): Promise<number> {
    const row = await this.store.selectFrom('subscriptions').select(eb => eb.fn.countAll<number>().as('n')).where('subscriber_uuid', '=', subscriberUuid).executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Deletes the subscriber's subscriptions matching the optional emitter and type filters. */
  async delete (subscriberUuid: string, filter: { emitterUuid?: string, type?: string } = {}): Promise<number> {
    return await this.oneAtATime(subscriberUuid, async () => {
      const matching = (await this.list(subscriberUuid)).filter(s =>
        (filter.emitterUuid === undefined || s.emitterUuid === filter.emitterUuid) &&
        (filter.type === undefined || s.type === filter.type))
      for (const s of matching) {
        await this.store.deleteFrom('subscriptions')
          .where('subscriber_uuid', '=', s.subscriberUuid).where('emitter_uuid', '=', s.emitterUuid).where('type', '=', s.type)
          .execute()
        this.unindex(s)
        this.changed(s.emitterUuid)
      }
      return matching.length
    })
  }

  /** Removes every subscription where the device is subscriber or emitter (on unregister). */
  async deleteAllOf (uuid: string): Promise<void> {
    const own = await this.list(uuid)
    await this.store.deleteFrom('subscriptions').where(eb => eb.or([eb('subscriber_uuid', '=', uuid), eb('emitter_uuid', '=', uuid)])).execute()
    for (const subscription of own) this.unindex(subscription)
    this.deletions++
    this.byEmitter.delete(uuid)
    for (const emitterUuid of new Set(own.map(s => s.emitterUuid))) this.changed(emitterUuid)
  }

  /** The subscriber's subscriptions, oldest first (bounded by limits.maxSubscriptionsPerDevice for clients). */
  async list (subscriberUuid: string): Promise<Subscription[]> {
    const rows = await this.store.selectFrom('subscriptions').select(['emitter_uuid', 'type'])
      .where('subscriber_uuid', '=', subscriberUuid).orderBy('created_at').orderBy('emitter_uuid').orderBy('type').execute()
    return rows.map(row => ({ subscriberUuid, emitterUuid: row.emitter_uuid, type: row.type as SubscriptionType }))
  }
}

/** Retry-After of a refused subscription: the count only drops when the device deletes some. */
const LIMIT_RETRY_SECONDS = 60
const EMPTY: ReadonlySet<string> = new Set()
