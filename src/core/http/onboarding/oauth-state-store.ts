// passport-oauth2's `state` + PKCE store without express-session (notes 4): each authorization in
// progress is kept in memory for a few minutes under its random `state` handle, with its PKCE verifier
// and the owner asked for at /auth/api, and bound to the browser that started it by an httpOnly
// cookie set here. The callback must come back with that state *and* that cookie (notes 5: the same
// host name, plain-http cookies not marked Secure); each state is used once.
// Interface: passport-oauth2/lib/state/pkcesession.js (store arity 5, verify arity 3).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Request } from 'express'
import { requestCookies } from './request-cookies.js'

/** Not one of the provider's cookie names (notes 6: on loopback its cookies reach us too). */
export const STATE_COOKIE = 'endo_vault_oauth_browser'
const COOKIE_PATH = '/auth/api'
const BROWSER_KEY = /^[A-Za-z0-9_-]{43}$/

export interface AuthorizationState {
  /** The person's own device that may manage the credentials device (`/auth/api?owner=`). */
  owner?: string
}

interface PendingAuthorization { browser: Buffer, verifier: string, state: AuthorizationState, expiresAt: number }

export const StateRefusal = {
  unknown: 'Unable to verify the authorization request state: it is unknown, expired or already used. Start again at /auth/api.',
  otherBrowser: 'Unable to verify the authorization request state: it was started by another browser, or on another host name (the state cookie is missing or different). Start again at /auth/api on the same host name as the callback.',
} as const

type StoreCallback = (error: Error | null, handle?: string) => void
type VerifyCallback = (error: Error | null, verifier: string | false, state: AuthorizationState | { message: string }) => void

export interface StateStoreOptions { ttlMs?: number, maxPending?: number, now?: () => number }

const digest = (browserKey: string): Buffer => createHash('sha256').update(browserKey).digest()

export class OAuthStateStore {
  private readonly pending = new Map<string, PendingAuthorization>()
  private readonly ttlMs: number
  private readonly maxPending: number
  private readonly now: () => number

  constructor (options: StateStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000
    this.maxPending = options.maxPending ?? 10_000
    this.now = options.now ?? Date.now
  }

  get size (): number { return this.pending.size }

  store (req: Request, verifier: string, state: AuthorizationState | undefined, _meta: unknown, callback: StoreCallback): void {
    const res = req.res
    if (res === undefined) { callback(new Error('the OAuth state store needs the response to set its cookie')); return }
    this.sweep()
    const existing = requestCookies(req).get(STATE_COOKIE)
    const browserKey = existing !== undefined && BROWSER_KEY.test(existing) ? existing : randomBytes(32).toString('base64url')
    res.cookie(STATE_COOKIE, browserKey, { httpOnly: true, sameSite: 'lax', path: COOKIE_PATH, maxAge: this.ttlMs, secure: req.secure })
    const handle = randomBytes(24).toString('base64url')
    this.pending.set(handle, { browser: digest(browserKey), verifier, state: { owner: state?.owner }, expiresAt: this.now() + this.ttlMs })
    callback(null, handle)
  }

  verify (req: Request, providedState: unknown, callback: VerifyCallback): void {
    const handle = typeof providedState === 'string' ? providedState : ''
    const entry = this.pending.get(handle)
    if (entry === undefined || entry.expiresAt <= this.now()) {
      if (entry !== undefined) this.pending.delete(handle)
      callback(null, false, { message: StateRefusal.unknown })
      return
    }
    this.pending.delete(handle)
    const browserKey = requestCookies(req).get(STATE_COOKIE)
    if (browserKey === undefined || !timingSafeEqual(digest(browserKey), entry.browser)) {
      callback(null, false, { message: StateRefusal.otherBrowser })
      return
    }
    callback(null, entry.verifier, entry.state)
  }

  /** Drops expired entries; when still full, the oldest (a person who started long ago starts again). */
  private sweep (): void {
    const now = this.now()
    // Insertion order is expiry order (one TTL for all), so the expired ones come first.
    for (const [handle, entry] of this.pending) {
      if (entry.expiresAt > now) break
      this.pending.delete(handle)
    }
    while (this.pending.size >= this.maxPending) {
      const oldest = this.pending.keys().next().value
      if (oldest === undefined) break
      this.pending.delete(oldest)
    }
  }
}
