// Tokens over HTTP (meshblu-endo §1.7, §3.3): session tokens with metadata, revocation (one, by query),
// root token reset and token search. A plaintext token appears only in the answer that creates it;
// hashes never leave the store.
import type { Router } from 'express'
import { Unprocessable } from '../../errors.js'
import type { HttpContext } from '../http-context.js'
import type { AuthenticatedCall, MeshbluEndpoints } from './meshblu-endpoint.js'
import { tokenQueryFromQueryString } from './meshblu-query.js'

const param = (call: AuthenticatedCall, name: string): string => call.req.params[name] as string

function tokenOptions (body: unknown): Record<string, unknown> {
  if (body === undefined) return {}
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new Unprocessable('token options must be a JSON object', { error: 'token options must be a JSON object' })
  }
  return body as Record<string, unknown>
}

export function tokenRoutes (router: Router, ctx: HttpContext, endpoints: MeshbluEndpoints): void {
  const { bus } = ctx

  // generateAndStoreToken(WithOptions): 201 {…options, uuid, token}; the options are the token's metadata.
  router.post('/devices/:uuid/tokens', endpoints.authenticated(async call => ({
    code: 201, body: await bus.createSessionToken(call.actor, param(call, 'uuid'), tokenOptions(call.body)),
  })))

  router.delete('/devices/:uuid/tokens/:token', endpoints.authenticated(async call => {
    await bus.revokeToken(call.actor, param(call, 'uuid'), param(call, 'token'))
    return { code: 204 }
  }))

  // revokeTokenByQuery: removes the tokens whose metadata equals every query parameter.
  router.delete('/devices/:uuid/tokens', endpoints.authenticated(async call => {
    await bus.revokeTokensByQuery(call.actor, param(call, 'uuid'), tokenQueryFromQueryString(call.req.query))
    return { code: 204 }
  }))

  // resetToken: 200 {uuid, token}; every earlier root token stops working.
  router.post('/devices/:uuid/token', endpoints.authenticated(async call => ({
    code: 200, body: await bus.resetToken(call.actor, param(call, 'uuid')),
  })))

  router.post('/search/tokens', endpoints.authenticated(async call => ({
    code: 200, body: await bus.searchTokens(call.actor, call.body ?? {}),
  })))
}
