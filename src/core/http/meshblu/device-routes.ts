// Device documents over HTTP (meshblu-endo §3.3): register, whoami, get (v1, v2, v3), update (PATCH,
// v1 PUT, v2 PUT with operators), find-and-update, unregister, claim, and a device's public key.
import type { Router } from 'express'
import { CoreErrors, TooManyRequests, Unprocessable } from '../../errors.js'
import { setOperatorFor } from '../../bus/update-operators.js'
import type { HttpContext } from '../http-context.js'
import { MemorySharedState } from '../../shared-state.js'
import { addressKey } from '../../client-address.js'
import { clientAddress } from './meshblu-auth.js'
import type { MeshbluEndpoints, AuthenticatedCall, MeshbluReply } from './meshblu-endpoint.js'

function propertiesOf (body: unknown): Record<string, unknown> {
  if (body === undefined) return {}
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new Unprocessable('device properties must be a JSON object', { error: 'device properties must be a JSON object' })
  }
  return body as Record<string, unknown>
}

const param = (call: AuthenticatedCall, name: string): string => call.req.params[name] as string

export function deviceRoutes (router: Router, ctx: HttpContext, endpoints: MeshbluEndpoints): void {
  const { bus } = ctx
  const perMinute = ctx.config.limits.registrationsPerAddressPerMinute
  const registrations = ctx.sharedState ?? new MemorySharedState()

  // register: 201, the full device plus its root token in plaintext (the only time it is shown).
  // Registration is open, so each client address (the socket's; X-Forwarded-For only behind a trusted
  // proxy) gets registrationsPerAddressPerMinute attempts a minute, then 429 with Retry-After; in cluster mode
  // the minute is counted in Redis (ctx.sharedState), so spreading over instances does not multiply it.
  router.post('/devices', endpoints.open(async ({ req, body }) => {
    const address = clientAddress(req)
    const wait = await registrations.take(`registrations:${address === undefined ? 'unknown' : addressKey(address)}`, perMinute, 60_000)
    if (wait !== undefined) throw new TooManyRequests(`Too many registrations from this address: at most ${perMinute} a minute; retry in ${wait} s`, wait)
    const { device, token } = await bus.register(propertiesOf(body))
    return { code: 201, body: { ...device, token } }
  }))

  // whoami is the authenticated device itself (an `as` header does not change who you are).
  router.get('/v2/whoami', endpoints.authenticated(async ({ actor }) => ({ code: 200, body: await bus.getDevice({ uuid: actor.uuid }, actor.uuid) })))

  // Device GETs answer every refusal with 404 "Devices not found" (§3.3, §7).
  const getDevice = (call: AuthenticatedCall) => bus.getDevice(call.actor, param(call, 'uuid'))
  router.get('/v2/devices/:uuid', endpoints.authenticated(async call => ({ code: 200, body: await getDevice(call) }), 'devices-not-found'))
  router.get('/v3/devices/:uuid', endpoints.authenticated(async call => ({ code: 200, body: await getDevice(call) }), 'devices-not-found'))
  router.get('/devices/:uuid', endpoints.authenticated(async call => ({ code: 200, body: { devices: [await getDevice(call)] } }), 'devices-not-found'))

  // update: a plain object; uuid and token are dropped, the rest is $set. 204 even when nothing changed.
  const patch = async (call: AuthenticatedCall): Promise<MeshbluReply> => {
    await bus.update(call.actor, param(call, 'uuid'), setOperatorFor(propertiesOf(call.body)))
    return { code: 204 }
  }
  router.patch('/v2/devices/:uuid', endpoints.authenticated(patch))
  router.put('/devices/:uuid', endpoints.authenticated(patch))

  // updateDangerously / createHook: update operators only; anything else is 422 {error} naming it.
  router.put('/v2/devices/:uuid', endpoints.authenticated(async call => {
    await bus.update(call.actor, param(call, 'uuid'), call.body)
    return { code: 204 }
  }))

  // findAndUpdate: answers with the document as it was before the update (Mongo find-and-modify).
  router.put('/v2/devices/:uuid/find-and-update', endpoints.authenticated(async call => {
    return { code: 200, body: await bus.findAndUpdate(call.actor, param(call, 'uuid'), call.body) }
  }))

  router.delete('/devices/:uuid', endpoints.authenticated(async call => {
    const device = await bus.unregister(call.actor, param(call, 'uuid'))
    return { code: 200, body: { uuid: device.uuid } }
  }))

  // v1 claim: the caller becomes owner and joins the discover and configure lists (needs configure rights).
  router.post('/claimdevice/:uuid', endpoints.authenticated(async call => {
    const owner = call.actor.as ?? call.actor.uuid
    const device = await bus.update(call.actor, param(call, 'uuid'), {
      $set: { owner },
      $addToSet: { discoverWhitelist: owner, configureWhitelist: owner },
    })
    return { code: 200, body: device }
  }))

  // A device's public key needs no credentials; unknown devices are 404.
  router.get('/devices/:uuid/publickey', endpoints.open(async ({ req }) => {
    const device = await bus.registry.get(req.params.uuid as string)
    if (device === undefined) throw CoreErrors.devicesNotFound()
    return { code: 200, body: { uuid: device.uuid, publicKey: device.publicKey ?? null } }
  }))
}
