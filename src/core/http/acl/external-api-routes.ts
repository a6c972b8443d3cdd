// The API-token endpoints for third-party services, at /api/external/v1 (intercoop-auroral B3, part C):
//   POST /auth        {keyid, secret} → 200 {"error":null,"message":{"grantType":[…],"ACL":{cid,agid,oid}}}
//   POST /introspect  RFC 7662: token=<keyid>.<secret> (form or JSON) → {active:true,…} | {active:false}
//   POST /authorize   {keyid, secret, resource, grantType} → {allowed, reason}
// Errors keep AURORAL's envelope ({"error": text}): a missing or malformed body is 400; an unknown key,
// wrong secret, expired or revoked token is the same 401 (B6); too many failures is 429 with Retry-After.
import express, { type Express, type Request, type Response } from 'express'
import type { HttpContext } from '../http-context.js'
import { jsonBody } from '../json-body.js'
import { AclErrors } from '../../acl/acl-errors.js'
import { isGrantType } from '../../acl/acl-model.js'
import type { Presented } from '../../acl/external-api.js'

export const EXTERNAL_API_PATH = '/api/external/v1'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_SECRET_LENGTH = 512

type Body = Record<string, unknown>

function bodyOf (req: Request): Body {
  const body: unknown = req.body
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw AclErrors.credentialsRequired()
  return body as Body
}

/** A well-formed key id and secret, or undefined. */
function pairOf (req: Request, keyid: unknown, secret: unknown): Presented | undefined {
  if (typeof keyid !== 'string' || typeof secret !== 'string' || !UUID.test(keyid) || secret === '' || secret.length > MAX_SECRET_LENGTH) return undefined
  return { keyid: keyid.toLowerCase(), secret, address: req.ip ?? req.socket.remoteAddress }
}

/** keyid and secret from the body; 400 when either is missing or malformed. */
function presentedBy (req: Request, body: Body): Presented {
  if (typeof body.keyid !== 'string' || typeof body.secret !== 'string' || body.secret === '') throw AclErrors.credentialsRequired()
  const presented = pairOf(req, body.keyid, body.secret)
  if (presented === undefined) throw AclErrors.credentialsMalformed()
  return presented
}

/** RFC 7662 `token=<keyid>.<secret>`, or `{keyid, secret}`; undefined when it cannot be a token (`{active:false}`). */
function introspected (req: Request, body: Body): Presented | undefined {
  if (typeof body.token === 'string') {
    const dot = body.token.indexOf('.')
    return dot < 0 ? undefined : pairOf(req, body.token.slice(0, dot), body.token.slice(dot + 1))
  }
  if (body.token === undefined && body.keyid === undefined && body.secret === undefined) throw AclErrors.invalidRequest()
  return pairOf(req, body.keyid, body.secret)
}

const noStore = (res: Response): Response => res.set('Cache-Control', 'no-store')

export function externalApiRoutes (app: Express, ctx: HttpContext): void {
  const api = ctx.acl.external
  const router = express.Router()
  router.use(jsonBody(ctx.config.limits))
  router.use(express.urlencoded({ extended: false, limit: ctx.config.limits.maxPayloadBytes }))

  router.post('/auth', async (req, res) => {
    const message = await api.auth(presentedBy(req, bodyOf(req)))
    noStore(res).json({ error: null, message })
  })

  router.post('/introspect', async (req, res) => {
    const body: unknown = req.body
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw AclErrors.invalidRequest()
    const presented = introspected(req, body as Body)
    noStore(res).json(presented === undefined ? { active: false } : await api.introspect(presented))
  })

  router.post('/authorize', async (req, res) => {
    const body = bodyOf(req)
    const presented = presentedBy(req, body)
    const { resource, grantType } = body
    if (typeof resource !== 'string' || resource === '' || resource.length > 200) throw AclErrors.resourceRequired()
    if (!isGrantType(grantType)) throw AclErrors.grantTypeUnknown()
    noStore(res).json(await api.authorize(presented, resource, grantType))
  })

  app.use(EXTERNAL_API_PATH, router)
}
