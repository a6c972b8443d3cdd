// The person's view of a credentials device C (meshblu-endo §5.2), for a Meshblu-authenticated caller
// that C lists as authorized (the `owner` of onboarding, or the authorizing device). Anyone else,
// whether C exists or not, gets 404 "credentials device not found".
//   GET    /credentials/:c                          → {uuid, username}
//   GET    /credentials/:c/user-devices             → [{uuid}]
//   POST   /credentials/:c/user-devices {name?, flows?} → 201 {uuid, token} (the token this once)
//   DELETE /credentials/:c/user-devices/:u          → 204; C stops taking U's jobs (403 if u == c)
import type { Request, Router } from 'express'
import { CoreErrors, Forbidden, Unprocessable, UserError } from '../../errors.js'
import type { HttpContext } from '../http-context.js'
import { jsonBody } from '../json-body.js'
import { authenticatedUuid, clientAddress } from '../meshblu/meshblu-auth.js'

const MAX_FLOWS = 100

interface AuthorizedCall { caller: string, credentialsUuid: string }

async function authorizedCall (ctx: HttpContext, req: Request): Promise<AuthorizedCall> {
  const credentialsUuid = String(req.params.credentialsUuid)
  const caller = await authenticatedUuid(ctx.bus, req.headers, clientAddress(req))
  let authorized = false
  if (caller !== undefined) {
    try {
      authorized = await ctx.onboarding.isAuthorized(credentialsUuid, caller)
    } catch (error) {
      // not a credentials device, or one failing its integrity check: indistinguishable from "not yours"
      if (!(error instanceof UserError)) throw error
    }
  }
  if (caller === undefined || !authorized) throw CoreErrors.credentialsDeviceNotFound()
  return { caller, credentialsUuid }
}

function userDeviceRequest (body: unknown): { name?: string, flows: string[] } {
  if (body === undefined || body === null) return { flows: [] }
  if (typeof body !== 'object' || Array.isArray(body)) throw new Unprocessable('the body must be an object {name?, flows?}')
  const { name, flows } = body as { name?: unknown, flows?: unknown }
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '' || name.length > 200)) throw new Unprocessable('name must be a non-empty string of at most 200 characters')
  if (flows !== undefined && (!Array.isArray(flows) || flows.length > MAX_FLOWS || !flows.every(f => typeof f === 'string' && f !== '' && f.length <= 128))) {
    throw new Unprocessable(`flows must be a list of at most ${MAX_FLOWS} device uuids`)
  }
  return { name: name as string | undefined, flows: (flows as string[] | undefined) ?? [] }
}

export function credentialsRoutes (router: Router, ctx: HttpContext): void {
  const parseJson = jsonBody(ctx.config.limits)
  const onboarding = ctx.onboarding

  router.get('/credentials/:credentialsUuid', async (req, res) => {
    const { credentialsUuid } = await authorizedCall(ctx, req)
    const blob = await ctx.credentials.open(credentialsUuid)
    res.json({ uuid: credentialsUuid, username: blob.username ?? null })
  })

  router.get('/credentials/:credentialsUuid/user-devices', async (req, res) => {
    const { credentialsUuid } = await authorizedCall(ctx, req)
    res.json(await onboarding.userDevicesOf(credentialsUuid))
  })

  router.post('/credentials/:credentialsUuid/user-devices', parseJson, async (req, res) => {
    const { caller, credentialsUuid } = await authorizedCall(ctx, req)
    const { name, flows } = userDeviceRequest(req.body)
    const user = await onboarding.createUserDevice(credentialsUuid, { authorizedUuid: caller, name: name ?? (await ctx.credentials.open(credentialsUuid)).username, flows })
    ctx.logger.info({ credentialsUuid, userUuid: user.uuid, caller }, 'user device created')
    res.set('Cache-Control', 'no-store').status(201).json({ uuid: user.uuid, token: user.token })
  })

  router.delete('/credentials/:credentialsUuid/user-devices/:userUuid', async (req, res) => {
    const { caller, credentialsUuid } = await authorizedCall(ctx, req)
    const userUuid = String(req.params.userUuid)
    if (userUuid === credentialsUuid) throw new Forbidden('a credentials device cannot revoke itself')
    await onboarding.revokeUserDevice(credentialsUuid, userUuid)
    ctx.logger.info({ credentialsUuid, userUuid, caller }, 'user device revoked')
    res.status(204).end()
  })
}
