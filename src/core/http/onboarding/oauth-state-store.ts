// passport-oauth2's `state` + PKCE store without express-session (notes 4): each authorization in
// progress is kept for a few minutes under its random `state` handle, with its PKCE verifier and the owner
// asked for at /auth/api, and bound to the browser that started it by an httpOnly cookie set here. The
// callback must come back with that state *and* that cookie (notes 5: the same host name, plain-http
// cookies not marked Secure); each state is used once. Kept in the shared state: in memory, or in Redis in
// cluster mode, so the callback may reach another instance than the one that started the authorization.
// Interface: passport-oauth2/lib/state/pkcesession.js (store arity 5, verify arity 3).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Request } from 'express'
import { requestCookies } from './request-cookies.js'
import { MemorySharedState, type SharedState } from '../../shared-state.js'

/** Not one of the provider's cookie names (notes 6: on loopback its cookies reach us too). */
export const STATE_COOKIE = 'endo_vault_oauth_browser'
const COOKIE_PATH = '/auth/api'
const BROWSER_KEY = /^[A-Za-z0-9_-]{43}$/

export interface AuthorizationState {
  /** The person's own device that may manage the credentials device (`/auth/api?owner=`). */
  owner?: string
}

/** What a handle keeps (JSON): the browser key's SHA-256 (base64url), the PKCE verifier, the asked-for state. */
interface PendingAuthorization { browser: string, verifier: string, state: AuthorizationState }

export const StateRefusal = {
  unknown: 'Unable to verify the authorization request state: it is unknown, expired or already used. Start again at /auth/api.',
  otherBrowser: 'Unable to verify the authorization request state: it was started by another browser, or on another host name (the state cookie is missing or different). Start again at /auth/api on the same host name as the callback.',
} as const

type StoreCallback = (error: Error | null, handle?: string) => void
type VerifyCallback = (error: Error | null, verifier: string | false, state: AuthorizationState | { message: string }) => void

export interface StateStoreOptions {
  ttlMs?: number
  /** Without `shared`: most authorizations in progress kept in memory (past it the oldest is forgotten). */
  maxPending?: number
  now?: () => number
  /** Cluster mode: the state every instance reads (HttpContext.sharedState). */
  shared?: SharedState
}

const KEY_PREFIX = 'oauth-state:'
const digest = (browserKey: string): Buffer => createHash('sha256').update(browserKey).digest()

export class OAuthStateStore {
  private readonly pending: SharedState
  private readonly ttlMs: number

  constructor (options: StateStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000
    this.pending = options.shared ?? new MemorySharedState({ maxKeys: options.maxPending ?? 10_000, now: options.now })
  }

  store (req: Request, verifier: string, state: AuthorizationState | undefined, _meta: unknown, callback: StoreCallback): void {
    const res = req.res
    if (res === undefined) { callback(new Error('the OAuth state store needs the response to set its cookie')); return }
    const existing = requestCookies(req).get(STATE_COOKIE)
    const browserKey = existing !== undefined && BROWSER_KEY.test(existing) ? existing : randomBytes(32).toString('base64url')
    const handle = randomBytes(24).toString('base64url')
    const pending: PendingAuthorization = { browser: digest(browserKey).toString('base64url'), verifier, state: { owner: state?.owner } }
    this.pending.put(KEY_PREFIX + handle, JSON.stringify(pending), this.ttlMs).then(() => {
      res.cookie(STATE_COOKIE, browserKey, { httpOnly: true, sameSite: 'lax', path: COOKIE_PATH, maxAge: this.ttlMs, secure: req.secure })
      callback(null, handle)
    }, callback)
  }

  verify (req: Request, providedState: unknown, callback: VerifyCallback): void {
    const handle = typeof providedState === 'string' ? providedState : ''
    this.pending.takeValue(KEY_PREFIX + handle).then(text => {
      if (text === undefined) { callback(null, false, { message: StateRefusal.unknown }); return }
      const entry = JSON.parse(text) as PendingAuthorization
      const browserKey = requestCookies(req).get(STATE_COOKIE)
      if (browserKey === undefined || !timingSafeEqual(digest(browserKey), Buffer.from(entry.browser, 'base64url'))) {
        callback(null, false, { message: StateRefusal.otherBrowser })
        return
      }
      callback(null, entry.verifier, entry.state)
    }, (error: Error) => { callback(error, false, { message: StateRefusal.unknown }) })
  }
}
