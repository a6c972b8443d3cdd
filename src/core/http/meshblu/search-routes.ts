// Device search (meshblu-endo §1.6 "search", §3.3): POST /search/devices with a Mongo-style query,
// GET /v2/devices and v1 GET /devices with query-string fields, GET /mydevices for owned devices.
// Results are the devices the effective actor may discover, newest first, one page at a time: at most
// `x-meshblu-page-size` (default and cap limits.searchMaxResults) devices and limits.searchMaxBytes of
// JSON. A cut answer carries `x-meshblu-next-page: <cursor>`; sending it back as `x-meshblu-page` with
// the same query gives the next page.
import type { Router } from 'express'
import { effectiveUuid } from '../../bus/actor.js'
import type { HttpContext } from '../http-context.js'
import type { AuthenticatedCall, MeshbluEndpoints, MeshbluReply } from './meshblu-endpoint.js'
import { writeSlicedJsonArray } from './sliced-json-array.js'
import { deviceQueryFromQueryString, pageOf, projectionOf } from './meshblu-query.js'
import { withFields } from '../../with-fields.js'

export const NEXT_PAGE_HEADER = 'x-meshblu-next-page'

export function searchRoutes (router: Router, ctx: HttpContext, endpoints: MeshbluEndpoints): void {
  const { bus } = ctx
  /** One page as a 200 reply, written in slices; `envelope` is v1's `{"devices": …}`. */
  const search = async (call: AuthenticatedCall, query: unknown, envelope = false): Promise<MeshbluReply> => {
    const page = await bus.search(call.actor, query, {
      ...pageOf(call.metadata, bus.limits.searchMaxResults),
      projection: projectionOf(call.metadata.projection),
    })
    // express keeps the response on the request; headers set now go out with the reply
    if (page.next !== undefined) call.req.res?.setHeader(NEXT_PAGE_HEADER, page.next)
    const sliced = { items: page.devices, sliceMs: bus.limits.searchSliceMs, nextTurn: async () => { await bus.turns.next() }, ...(envelope ? { prefix: '{"devices":', suffix: '}' } : {}) }
    return { code: 200, write: async res => { await writeSlicedJsonArray(res, sliced) } }
  }

  router.post('/search/devices', endpoints.authenticated(async call => await search(call, call.body ?? {})))

  router.get('/v2/devices', endpoints.authenticated(async call => await search(call, deviceQueryFromQueryString(call.req.query))))

  router.get('/devices', endpoints.authenticated(async call => await search(call, deviceQueryFromQueryString(call.req.query), true)))

  router.get('/mydevices', endpoints.authenticated(async call =>
    await search(call, withFields(deviceQueryFromQueryString(call.req.query), { owner: effectiveUuid(call.actor) }), true)))
}
