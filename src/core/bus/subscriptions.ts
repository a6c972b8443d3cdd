// Subscriptions (meshblu-endo §2.1): kept in memory by emitter and type for fan-out, persisted in the store.
import type { Store } from '../store/database.js'
import { Unprocessable, ErrorText } from '../errors.js'

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
  /** emitter → type → subscribers */
  private readonly byEmitter = new Map<string, Map<string, Set<string>>>()

  constructor (private readonly store: Store) {}

  async load (): Promise<void> {
    const rows = await this.store.selectFrom('subscriptions').selectAll().execute()
    for (const row of rows) this.index(row.subscriber_uuid, row.emitter_uuid, row.type)
  }

  private index (subscriber: string, emitter: string, type: string): void {
    let types = this.byEmitter.get(emitter)
    if (types === undefined) { types = new Map(); this.byEmitter.set(emitter, types) }
    let subscribers = types.get(type)
    if (subscribers === undefined) { subscribers = new Set(); types.set(type, subscribers) }
    subscribers.add(subscriber)
  }

  private unindex (subscriber: string, emitter: string, type: string): void {
    this.byEmitter.get(emitter)?.get(type)?.delete(subscriber)
  }

  subscribersOf (emitter: string, type: string): ReadonlySet<string> {
    return this.byEmitter.get(emitter)?.get(type) ?? EMPTY
  }

  has (subscription: Subscription): boolean {
    return this.subscribersOf(subscription.emitterUuid, subscription.type).has(subscription.subscriberUuid)
  }

  /** Creates a subscription; false when it already existed. */
  async create (subscription: Subscription): Promise<boolean> {
    if (!isSubscriptionType(subscription.type)) throw new Unprocessable(ErrorText.invalidSubscriptionType, { error: ErrorText.invalidSubscriptionType })
    if (this.has(subscription)) return false
    await this.store.insertInto('subscriptions').values({
      subscriber_uuid: subscription.subscriberUuid,
      emitter_uuid: subscription.emitterUuid,
      type: subscription.type,
      created_at: new Date().toISOString(),
    }).onConflict(oc => oc.doNothing()).execute()
    this.index(subscription.subscriberUuid, subscription.emitterUuid, subscription.type)
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
      this.unindex(s.subscriberUuid, s.emitterUuid, s.type)
    }
    return matching.length
  }

  /** Removes every subscription where the device is subscriber or emitter (on unregister). */
  async deleteAllOf (uuid: string): Promise<void> {
    await this.store.deleteFrom('subscriptions').where(eb => eb.or([eb('subscriber_uuid', '=', uuid), eb('emitter_uuid', '=', uuid)])).execute()
    this.byEmitter.delete(uuid)
    for (const types of this.byEmitter.values()) for (const subscribers of types.values()) subscribers.delete(uuid)
  }

  list (subscriberUuid: string): Subscription[] {
    const result: Subscription[] = []
    for (const [emitterUuid, types] of this.byEmitter) {
      for (const [type, subscribers] of types) {
        if (subscribers.has(subscriberUuid)) result.push({ subscriberUuid, emitterUuid, type: type as SubscriptionType })
      }
    }
    return result
  }
}

const EMPTY: ReadonlySet<string> = new Set()
