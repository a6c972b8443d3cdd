// Device search (meshblu-endo §1.6 "search", §3.3): POST /search/devices with a Mongo-style query,
// GET /v2/devices and v1 GET /devices with query-string fields, GET /mydevices for owned devices.
// Results are the devices the effective actor may discover, newest first, at most 1000.
import type { Router } from 'express'
import { effectiveUuid } from '../../bus/actor.js'
import type { HttpContext } from '../http-context.js'
import type { AuthenticatedCall, MeshbluEndpoints } from './meshblu-endpoint.js'
import { deviceQueryFromQueryString, projected } from './meshblu-query.js'
import { withFields } from '../../with-fields.js'

export function searchRoutes (router: Router, ctx: HttpContext, endpoints: MeshbluEndpoints): void {
  const { bus } = ctx
  const search = (call: AuthenticatedCall, query: unknown): unknown[] =>
    projected(bus.search(call.actor, query), call.metadata.projection)

  router.post('/search/devices', endpoints.authenticated(call => ({ code: 200, body: search(call, call.body ?? {}) })))

  router.get('/v2/devices', endpoints.authenticated(call => ({
    code: 200, body: search(call, deviceQueryFromQueryString(call.req.query)),
  })))

  router.get('/devices', endpoints.authenticated(call => ({
    code: 200, body: { devices: search(call, deviceQueryFromQueryString(call.req.query)) },
  })))

  router.get('/mydevices', endpoints.authenticated(call => ({
    code: 200,
    body: { devices: search(call, withFields(deviceQueryFromQueryString(call.req.query), { owner: effectiveUuid(call.actor) })) },
  })))
}
