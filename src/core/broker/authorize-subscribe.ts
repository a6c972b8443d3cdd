// SUBSCRIBE: a device may subscribe to its own `<uuid>` topic; to another device's topic only with
// configure rights on it; with only `broadcast.sent` rights the subscription is narrowed to that
// device's broadcasts. API tokens may only receive broadcasts their ACL reaches. Deny otherwise.
import type { Client, Subscription } from 'aedes'
import type { BrokerContext } from './broker-context.js'
import { isWhitelisted } from '../bus/whitelists.js'
import { broadcastTopicOf, sessionOf } from './mqtt-session.js'

const WILDCARD = /[#+]/

export function authorizeSubscribeHook (ctx: BrokerContext) {
  return (client: Client, subscription: Subscription, callback: (error: Error | null, subscription?: Subscription | null) => void): void => {
    const session = sessionOf(client)
    const topic = subscription.topic
    if (session === undefined || WILDCARD.test(topic) || topic.startsWith('$')) return callback(null, null)
    const emitterUuid = topic.endsWith('/broadcast') ? topic.slice(0, -'/broadcast'.length) : topic
    if (emitterUuid.includes('/')) return callback(null, null)
    const emitter = ctx.bus.registry.get(emitterUuid)
    if (emitter === undefined) return callback(null, null)
    if (session.kind === 'api-token') {
      return callback(null, session.mayReceiveBroadcastsOf(emitterUuid) ? { ...subscription, topic: broadcastTopicOf(emitterUuid) } : null)
    }
    const uuid = session.uuid
    if (topic === emitterUuid && (uuid === emitterUuid || isWhitelisted(emitter, 'configure.update', uuid))) return callback(null, subscription)
    if (isWhitelisted(emitter, 'broadcast.sent', uuid)) return callback(null, { ...subscription, topic: broadcastTopicOf(emitterUuid) })
    callback(null, null)
  }
}
