// Onboarding through the third-party OAuth2 provider (meshblu-endo §5.2–§5.3):
//   GET /auth/api[?owner=<uuid>]  → 302 to the provider (state + PKCE S256, prompt=consent)
//   GET /auth/api/callback        → the credentials device for that provider account (found again on
//                                   re-authorization), tokens and profile in its encrypted blob, a new
//                                   user device; 201 {uuid, token, credentialsUuid} or an HTML page.
// `owner` becomes the device allowed to manage the credentials device (Au of §5.3), so the request
// must authenticate as that device: otherwise a link with someone else's uuid would hand them the
// person's credentials device.
import type { IncomingHttpHeaders } from 'node:http'
import type { Request, Response, Router } from 'express'
import passport from 'passport'
import OAuth2Strategy from 'passport-oauth2'
import { BadRequest, Forbidden, ErrorText } from '../../errors.js'
import type { OAuthProvider } from '../../endo/oauth/oauth-provider.js'
import type { HttpContext } from '../http-context.js'
import { authenticatedUuid, clientAddress } from '../meshblu/meshblu-auth.js'
import { ApiStrategy, STRATEGY_NAME, type ProviderAuthorization } from './api-strategy.js'
import { answerOnboarded, answerRefusal } from './onboarding-answer.js'
import { OAuthStateStore, type AuthorizationState } from './oauth-state-store.js'
import { requestCookies } from './request-cookies.js'

const START_PATH = '/auth/api'
const CALLBACK_ROUTE = '/auth/api/callback'
const ERROR_CODE = /^[\w.-]{1,64}$/

/** Meshblu credentials from headers, else from the cookies express-meshblu-auth read (§5.2). */
function meshbluHeaders (req: Request): IncomingHttpHeaders {
  const cookies = requestCookies(req)
  const headers: IncomingHttpHeaders = { ...req.headers }
  const uuid = cookies.get('meshblu_auth_uuid')
  const token = cookies.get('meshblu_auth_token')
  const bearer = cookies.get('meshblu_auth_bearer')
  if (uuid !== undefined && token !== undefined) Object.assign(headers, { 'x-meshblu-uuid': headers['x-meshblu-uuid'] ?? uuid, 'x-meshblu-token': headers['x-meshblu-token'] ?? token })
  else if (bearer !== undefined && headers.authorization === undefined) headers.authorization = `Bearer ${bearer}`
  return headers
}

async function ownerOf (ctx: HttpContext, req: Request): Promise<string | undefined> {
  const owner = req.query.owner
  if (owner === undefined) return undefined
  if (typeof owner !== 'string' || owner === '' || owner.length > 128) throw new BadRequest('owner must be one device uuid')
  if (await authenticatedUuid(ctx.bus, meshbluHeaders(req), clientAddress(req)) !== owner) {
    throw new Forbidden('owner must authenticate as itself: send that device\'s Meshblu credentials (Authorization Basic/Bearer, meshblu_auth_uuid/token)')
  }
  return owner
}

type CallbackOutcome =
  | { kind: 'authorized', authorization: ProviderAuthorization, state: AuthorizationState }
  | { kind: 'refused', code: number, message: string }
  | { kind: 'error', error: unknown }

function runCallback (authenticator: passport.Authenticator, req: Request, res: Response): Promise<CallbackOutcome> {
  return new Promise(resolve => {
    const middleware = authenticator.authenticate(STRATEGY_NAME, { session: false }, (error: unknown, user: unknown, info: unknown, status: unknown) => {
      if (error !== null && error !== undefined) { resolve({ kind: 'error', error }); return }
      if (user === false || user === undefined) {
        // 403 with our text: the state store refused; no status: the person said no at the provider (access_denied)
        const message = status === 403 && typeof (info as { message?: unknown })?.message === 'string'
          ? (info as { message: string }).message
          : 'The authorization was denied at the OAuth provider.'
        resolve({ kind: 'refused', code: 403, message })
        return
      }
      resolve({ kind: 'authorized', authorization: user as ProviderAuthorization, state: ((info as { state?: AuthorizationState })?.state) ?? {} })
    })
    middleware(req, res, (error?: unknown) => { resolve({ kind: 'error', error }) })
  })
}

/** The wire form of a provider-side failure: the provider's error code at most, never its body. */
function providerFailure (ctx: HttpContext, error: unknown): { code: number, message: string } {
  const providerCode = (error as { code?: unknown }).code
  const named = typeof providerCode === 'string' && ERROR_CODE.test(providerCode) ? ` (${providerCode})` : ''
  if (error instanceof OAuth2Strategy.TokenError) {
    ctx.logger.warn({ error: providerCode, reason: 'the token endpoint refused the code' }, 'onboarding.failed')
    return { code: 502, message: `The OAuth provider refused the authorization code${named}. Start again at /auth/api.` }
  }
  if (error instanceof OAuth2Strategy.AuthorizationError) {
    ctx.logger.warn({ error: providerCode, reason: 'the provider answered the authorization with an error' }, 'onboarding.failed')
    return { code: 502, message: `The OAuth provider answered with an error${named}.` }
  }
  if (error instanceof OAuth2Strategy.InternalOAuthError) {
    ctx.logger.warn({ reason: error.message, status: (error.oauthError as { statusCode?: unknown } | undefined)?.statusCode }, 'onboarding.failed')
    return { code: 502, message: 'The OAuth provider could not be reached or answered unexpectedly.' }
  }
  ctx.logger.error({ err: { type: (error as Error)?.name, message: (error as Error)?.message, stack: (error as Error)?.stack } }, 'onboarding.failed')
  return { code: 500, message: ErrorText.internal }
}

function firstText (...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 200)
  return undefined
}

export function oauthRoutes (router: Router, ctx: HttpContext, provider: OAuthProvider): void {
  const authenticator = new passport.Passport()
  authenticator.use(STRATEGY_NAME, new ApiStrategy(provider, new OAuthStateStore({ shared: ctx.sharedState })))

  router.get(START_PATH, async (req, res, next) => {
    const owner = await ownerOf(ctx, req)
    // An object state is kept by the store (passport-oauth2 sends only string states as they are)
    const state: AuthorizationState = { owner }
    authenticator.authenticate(STRATEGY_NAME, { session: false, state } as passport.AuthenticateOptions & { state: unknown })(req, res, next)
  })

  router.get(CALLBACK_ROUTE, async (req, res) => {
    // notes 9: the provider adds iss= (and may add more); unknown parameters are fine
    if (req.query.code === undefined && req.query.error === undefined) {
      answerRefusal(req, res, 400, 'This is where the OAuth provider sends people back with a code and a state. Start at /auth/api.')
      return
    }
    const outcome = await runCallback(authenticator, req, res)
    if (outcome.kind === 'refused') { answerRefusal(req, res, outcome.code, outcome.message); return }
    if (outcome.kind === 'error') { const failure = providerFailure(ctx, outcome.error); answerRefusal(req, res, failure.code, failure.message); return }

    const { tokens, profile } = outcome.authorization
    const accountId = firstText(profile.sub)
    if (accountId === undefined) {
      ctx.logger.warn({ reason: 'the userinfo answer has no sub' }, 'onboarding.failed')
      answerRefusal(req, res, 502, 'The OAuth provider did not say which account this is (no "sub" in userinfo).')
      return
    }
    const owner = outcome.state.owner
    const username = firstText(profile.preferred_username, profile.name, profile.email) ?? accountId
    const onboarding = ctx.onboarding
    const { credentialsUuid, created } = await onboarding.upsertCredentialsDevice({ provider: provider.name, accountId, username, profile, tokens, authorizedUuid: owner })
    const user = await onboarding.createUserDevice(credentialsUuid, { authorizedUuid: owner, name: username })
    ctx.logger.info({ credentialsUuid, userUuid: user.uuid, created, owner }, 'onboarding.completed')
    answerOnboarded(req, res, { uuid: user.uuid, token: user.token, credentialsUuid })
  })
}
