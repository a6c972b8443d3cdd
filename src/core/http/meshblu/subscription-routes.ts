// Subscriptions over HTTP (meshblu-endo §2.1, §3.3). Creating or deleting needs configure rights on the
// subscriber; the emitter's whitelist is enforced at delivery. Create answers 204 whether new or not.
import type { Router } from 'express'
import { CoreErrors, Unprocessable } from '../../errors.js'
import { isSubscriptionType, type Subscription } from '../../bus/subscriptions.js'
import type { HttpContext } from '../http-context.js'
import type { AuthenticatedCall, MeshbluEndpoints } from './meshblu-endpoint.js'

function invalid (message: string): never {
  throw new Unprocessable(message, { error: message })
}

function subscriptionOf (call: AuthenticatedCall): Subscription {
  // express fills every named parameter of the matched path
  const { subscriberUuid, emitterUuid, type } = call.req.params as { subscriberUuid: string, emitterUuid: string, type: string }
  if (!isSubscriptionType(type)) throw CoreErrors.invalidSubscriptionType()
  return { subscriberUuid, emitterUuid, type }
}

/** deleteSubscriptions' body `{emitterUuid?, type?}`: optional filters. */
function filterOf (body: unknown): { emitterUuid?: string, type?: string } {
  if (body === undefined) return {}
  if (body === null || typeof body !== 'object' || Array.isArray(body)) invalid('the filter must be a JSON object')
  const { emitterUuid, type } = body as Record<string, unknown>
  if (emitterUuid !== undefined && typeof emitterUuid !== 'string') invalid('emitterUuid must be a string')
  if (type !== undefined && !isSubscriptionType(type)) throw CoreErrors.invalidSubscriptionType()
  return { ...(emitterUuid === undefined ? {} : { emitterUuid }), ...(type === undefined ? {} : { type }) }
}

export function subscriptionRoutes (router: Router, ctx: HttpContext, endpoints: MeshbluEndpoints): void {
  const { bus } = ctx
  const path = '/v2/devices/:subscriberUuid/subscriptions/:emitterUuid/:type'

  router.post(path, endpoints.authenticated(async call => {
    await bus.createSubscription(call.actor, subscriptionOf(call))
    return { code: 204 }
  }))

  router.delete(path, endpoints.authenticated(async call => {
    const { subscriberUuid, emitterUuid, type } = subscriptionOf(call)
    await bus.deleteSubscriptions(call.actor, subscriberUuid, { emitterUuid, type })
    return { code: 204 }
  }))

  router.delete('/v2/devices/:subscriberUuid/subscriptions', endpoints.authenticated(async call => {
    await bus.deleteSubscriptions(call.actor, call.req.params.subscriberUuid as string, filterOf(call.body))
    return { code: 204 }
  }))

  // The list: [{subscriberUuid, emitterUuid, type}], for a caller that may configure the subscriber.
  router.get('/v2/devices/:subscriberUuid/subscriptions', endpoints.authenticated(async call => ({
    code: 200, body: await bus.listSubscriptions(call.actor, call.req.params.subscriberUuid as string),
  })))
}
