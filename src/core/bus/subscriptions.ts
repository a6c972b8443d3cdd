// Subscriptions (meshblu-endo §2.1): kept in memory by emitter and type for fan-out and by subscriber for
// listing, persisted in the store.
import type { Store } from '../store/database.js'
import { ErrorText, TooManyRequests, Unprocessable } from '../errors.js'

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
  /** emitter → type → subscribers: fan-out reads this. */
  private readonly byEmitter = new Map<string, Map<string, Set<string>>>()
  /** subscriber → its subscriptions: listing, deleting and counting are proportional to its own only. */
  private readonly bySubscriber = new Map<string, Map<string, Subscription>>()

  constructor (private readonly store: Store) {}

  async load (): Promise<void> {
    const rows = await this.store.selectFrom('subscriptions').selectAll().execute()
    for (const row of rows) this.index({ subscriberUuid: row.subscriber_uuid, emitterUuid: row.emitter_uuid, type: row.type as SubscriptionType })
  }

  private index (subscription: Subscription): void {
    const { subscriberUuid, emitterUuid, type } = subscription
    let types = this.byEmitter.get(emitterUuid)
    if (types === undefined) { types = new Map(); this.byEmitter.set(emitterUuid, types) }
    let subscribers = types.get(type)
    if (subscribers === undefined) { subscribers = new Set(); types.set(type, subscribers) }
    subscribers.add(subscriberUuid)
    let own = this.bySubscriber.get(subscriberUuid)
    if (own === undefined) { own = new Map(); this.bySubscriber.set(subscriberUuid, own) }
    own.set(keyOf(subscription), { subscriberUuid, emitterUuid, type })
  }

  private unindex (subscription: Subscription): void {
    const { subscriberUuid, emitterUuid, type } = subscription
    const types = this.byEmitter.get(emitterUuid)
    const subscribers = types?.get(type)
    subscribers?.delete(subscriberUuid)
    if (subscribers?.size === 0) types?.delete(type)
    if (types?.size === 0) this.byEmitter.delete(emitterUuid)
    const own = this.bySubscriber.get(subscriberUuid)
    own?.delete(keyOf(subscription))
    if (own?.size === 0) this.bySubscriber.delete(subscriberUuid)
  }

  subscribersOf (emitter: string, type: string): ReadonlySet<string> {
    return this.byEmitter.get(emitter)?.get(type) ?? EMPTY
  }

  has (subscription: Subscription): boolean {
    return this.subscribersOf(subscription.emitterUuid, subscription.type).has(subscription.subscriberUuid)
  }

  /** How many subscriptions the device has as subscriber. */
  countOf (subscriberUuid: string): number {
    return this.bySubscriber.get(subscriberUuid)?.size ?? 0
  }

  /**
   * Creates a subscription; false when it already existed. A subscriber that already has `max` is
   * refused with 429 (clients pass limits.maxSubscriptionsPerDevice; the service's own are not bounded).
   */
  async create (subscription: Subscription, max = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (!isSubscriptionType(subscription.type)) throw new Unprocessable(ErrorText.invalidSubscriptionType, { error: ErrorText.invalidSubscriptionType })
    if (this.has(subscription)) return false
    if (this.countOf(subscription.subscriberUuid) >= max) {
      throw new TooManyRequests(`too many subscriptions: a device may subscribe to at most ${max}; delete some first`, LIMIT_RETRY_SECONDS)
    }
    // indexed before the write, so concurrent creates count it; taken back if the write fails
    this.index(subscription)
    try {
      await this.store.insertInto('subscriptions').values({
        subscriber_uuid: subscription.subscriberUuid,
        emitter_uuid: subscription.emitterUuid,
        type: subscription.type,
        created_at: new Date().toISOString(),
      }).onConflict(oc => oc.doNothing()).execute()
    } catch (error) {
      this.unindex(subscription)
      throw error
    }
    return true
  }

  /** Deletes the subscriber's subscriptions matching the optional emitter and type filters. */
  async delete (subscriberUuid: string, filter: { emitterUuid?: string, type?: string } = {}): Promise<number> {
    const matching = this.list(subscriberUuid).filter(s =>
      (filter.emitterUuid === undefined || s.emitterUuid === filter.emitterUuid) &&
      (filter.type === undefined || s.type === filter.type))
    for (const s of matching) {
      await this.store.deleteFrom('subscriptions')
        .where('subscriber_uuid', '=', s.subscriberUuid).where('emitter_uuid', '=', s.emitterUuid).where('type', '=', s.type)
        .execute()
      this.unindex(s)
    }
    return matching.length
  }

  /** Removes every subscription where the device is subscriber or emitter (on unregister). */
  async deleteAllOf (uuid: string): Promise<void> {
    await this.store.deleteFrom('subscriptions').where(eb => eb.or([eb('subscriber_uuid', '=', uuid), eb('emitter_uuid', '=', uuid)])).execute()
    for (const subscription of this.list(uuid)) this.unindex(subscription)
    for (const [type, subscribers] of this.byEmitter.get(uuid) ?? []) {
      for (const subscriberUuid of [...subscribers]) this.unindex({ subscriberUuid, emitterUuid: uuid, type: type as SubscriptionType })
    }
  }

  list (subscriberUuid: string): Subscription[] {
    return [...(this.bySubscriber.get(subscriberUuid)?.values() ?? [])]
  }
}

function keyOf (subscription: Subscription): string {
  return `${subscription.emitterUuid}\n${subscription.type}`
}

/** Retry-After of a refused subscription: the count only drops when the device deletes some. */
const LIMIT_RETRY_SECONDS = 60
const EMPTY: ReadonlySet<string> = new Set()
