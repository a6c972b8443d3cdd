// SUBSCRIBE (meshblu-endo §4): a device may subscribe to its own `<uuid>` topic; to another device's topic
// only with configure rights on it; with only `broadcast.sent` rights the subscription is narrowed to that
// device's broadcasts (`<uuid>/broadcast`). API tokens may only receive broadcasts their ACL reaches.
// A connection holds at most limits.maxSubscriptionsPerDevice topics. Deny otherwise (SUBACK 0x80).
import { holdEmitter } from './held-emitters.js'
import type { Client, Subscription } from 'aedes'
import type { BrokerContext } from './broker-context.js'
import { isWhitelisted } from '../bus/whitelists.js'
import { broadcastTopicOf, sessionOf } from './mqtt-session.js'
import { rememberNarrowed } from './narrowed-subscriptions.js'
import { holdSubscription } from './subscription-count.js'

const WILDCARD = /[#+]/

/** What a session may see of an emitter's topic: everything, its broadcasts only, or nothing. */
export type TopicAccess = 'all' | 'broadcasts' | 'none'

export function topicAccess (ctx: BrokerContext, client: Client, emitterUuid: string): TopicAccess {
  const session = sessionOf(client)
  if (session === undefined) return 'none'
  if (session.kind === 'api-token') return session.mayReceiveBroadcastsOf(emitterUuid) ? 'broadcasts' : 'none'
  // Held: authorize-subscribe reads the emitter first, and a packet on its topic is published while it is
  // connected (pinned) or sending.
  const emitter = ctx.bus.registry.cached(emitterUuid)
  if (emitter === undefined) return 'none'
  // §4: the configure checks grant every type (broadcasts too); the receive check (broadcast.sent) only broadcasts.
  if (session.uuid === emitterUuid || isWhitelisted(emitter, 'configure.update', session.uuid)) return 'all'
  return isWhitelisted(emitter, 'broadcast.sent', session.uuid) ? 'broadcasts' : 'none'
}

export function authorizeSubscribeHook (ctx: BrokerContext) {
  return (client: Client, subscription: Subscription, callback: (error: Error | null, subscription?: Subscription | null) => void): void => {
    const topic = subscription.topic
    if (WILDCARD.test(topic) || topic.startsWith('$')) return callback(null, null)
    const broadcastsOnly = topic.endsWith('/broadcast')
    const emitterUuid = broadcastsOnly ? topic.slice(0, -'/broadcast'.length) : topic
    if (emitterUuid.includes('/')) return callback(null, null)
    if (ctx.bus.registry.cached(emitterUuid) !== undefined) return grant(ctx, client, subscription, emitterUuid, broadcastsOnly, callback)
    ctx.bus.registry.get(emitterUuid).then(
      () => { grant(ctx, client, subscription, emitterUuid, broadcastsOnly, callback) },
      () => { callback(null, null) })
  }
}

function grant (
  ctx: BrokerContext, client: Client, subscription: Subscription, emitterUuid: string, broadcastsOnly: boolean,
  callback: (error: Error | null, subscription?: Subscription | null) => void
): void {
  const topic = subscription.topic
  const access = topicAccess(ctx, client, emitterUuid)
  if (access === 'none') return callback(null, null)
  const grantedTopic = access === 'all' ? topic : broadcastTopicOf(emitterUuid)
  if (!holdSubscription(client, grantedTopic, ctx.limits.maxSubscriptionsPerDevice)) return callback(null, null)
  holdEmitter(ctx.bus.registry, client, emitterUuid)
  if (access === 'all' && !broadcastsOnly) return callback(null, subscription)
  // Rewritten in place: aedes stores the SUBSCRIBE packet's own objects for persistent sessions,
  // so a copy would leave the un-narrowed topic in the session store.
  if (!broadcastsOnly) rememberNarrowed(client, emitterUuid)
  subscription.topic = broadcastTopicOf(emitterUuid)
  callback(null, subscription)
}
