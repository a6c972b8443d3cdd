// Liveness and identity endpoints (meshblu-endo §3.3): /status, /ping, /healthcheck, the service
// public key, and the two ways to check credentials (POST /authenticate, GET /authenticate/:uuid?token=).
import type { Router } from 'express'
import type { HttpContext } from '../http-context.js'
import type { MeshbluEndpoints } from './meshblu-endpoint.js'
import { authenticatedPair, clientAddress } from './meshblu-auth.js'

export function statusRoutes (router: Router, ctx: HttpContext, endpoints: MeshbluEndpoints): void {
  router.get('/status', endpoints.open(() => ({ code: 200, body: { meshblu: 'online' } })))
  router.get('/ping', endpoints.open(() => ({ code: 200, body: { online: true } })))
  // meshblu-http.healthcheck only tests for 200.
  router.get('/healthcheck', endpoints.open(() => ({ code: 200, body: { online: true } })))
  router.get('/publickey', endpoints.open(() => ({ code: 200, body: { publicKey: ctx.publicKeyPem } })))

  // §3.3 authenticate: 204 when the credentials are good; failed auth is the endpoint's constant 403.
  router.post('/authenticate', endpoints.authenticated(() => ({ code: 204 })))

  // Legacy v1 check with the token in the query string: the same 403 for unknown devices and wrong tokens.
  router.get('/authenticate/:uuid', endpoints.open(async ({ req }) => {
    const uuid = req.params.uuid
    const token = req.query.token
    if (typeof token === 'string' && await authenticatedPair(ctx.bus, { uuid: String(uuid), token: token.trim() }, clientAddress(req))) {
      return { code: 200, body: { uuid, authentication: true } }
    }
    return { code: 403 }
  }))
}
