// The tokens of open MQTT API-token sessions, in memory for the broker's synchronous checks, and the end of
// those sessions. This instance's own changes (revoke, rotate, cascade) reload a token at once; otherwise a
// token read more than REFRESH_MS ago is reloaded in the background, so a change made by another instance
// (shared PostgreSQL) reaches this one's sessions within seconds. A session is ended as soon as its token no
// longer opens it: on a reload that shows it revoked or deleted, and by a timer at its expiry or at the end
// of the grace period of the secret it logged in with (after a rotation). An entry lives while a session
// watches it.
import type { Logger } from '../log.js'
import { secretOpens, type ApiToken } from './acl-model.js'
import type { ApiTokenStore } from './api-token-store.js'

const REFRESH_MS = 5_000
/** setTimeout takes at most a signed 32-bit delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

interface Watcher { secretHash: string, end: () => void, timer?: NodeJS.Timeout }

interface Entry { token: ApiToken | undefined, loadedAt: number, loading?: Promise<void>, watchers: Set<Watcher> }

export class LiveApiTokens {
  private readonly entries = new Map<string, Entry>()

  constructor (private readonly tokens: Pick<ApiTokenStore, 'find'>, private readonly logger: Logger, private readonly now: () => number = Date.now) {}

  /**
   * Follows a token for a session that logged in with the secret whose keyed hash is `secretHash`; calls
   * `end` once the token no longer opens it. Returns a function that stops watching (at disconnect).
   */
  watch (token: ApiToken, secretHash: string, end: () => void): () => void {
    let entry = this.entries.get(token.keyid)
    if (entry === undefined) {
      entry = { token, loadedAt: this.now(), watchers: new Set() }
      this.entries.set(token.keyid, entry)
      // Read once more: a revocation between the login's read and now found no entry to reload.
      this.reloadInBackground(token.keyid, entry)
    }
    const watcher: Watcher = { secretHash, end }
    entry.watchers.add(watcher)
    const watched = entry
    this.check(watched, watcher)
    return () => {
      clearTimeout(watcher.timer)
      watched.watchers.delete(watcher)
      if (watched.watchers.size === 0 && this.entries.get(token.keyid) === watched) this.entries.delete(token.keyid)
    }
  }

  /** The token as last read (undefined once deleted or no longer watched); schedules a reload when that read is old. */
  get (keyid: string): ApiToken | undefined {
    const entry = this.entries.get(keyid)
    if (entry === undefined) return undefined
    if (this.now() - entry.loadedAt >= REFRESH_MS) this.reloadInBackground(keyid, entry)
    return entry.token
  }

  /** Reads a watched token again and ends the sessions it no longer opens (no-op for tokens nobody watches). */
  async reload (keyid: string): Promise<void> {
    const entry = this.entries.get(keyid)
    if (entry === undefined) return
    try {
      entry.token = await this.tokens.find(keyid)
      entry.loadedAt = this.now()
    } finally {
      entry.loading = undefined
    }
    for (const watcher of [...entry.watchers]) this.check(entry, watcher)
  }

  private reloadInBackground (keyid: string, entry: Entry): void {
    if (entry.loading !== undefined) return
    entry.loading = this.reload(keyid).catch(error => { this.logger.error({ err: error, keyid }, 'api token reload failed') })
  }

  /** Ends the watcher's session when the token does not open it now; else arms a timer for when it stops. */
  private check (entry: Entry, watcher: Watcher): void {
    clearTimeout(watcher.timer)
    watcher.timer = undefined
    if (!entry.watchers.has(watcher)) return
    const token = entry.token
    const now = this.now()
    if (token === undefined || !secretOpens(token, watcher.secretHash, now)) {
      entry.watchers.delete(watcher)
      watcher.end()
      return
    }
    const graceEnds = watcher.secretHash === token.secretHash ? null : token.previousSecretValidUntil
    const deadline = Math.min(token.expiresAt ?? Infinity, graceEnds ?? Infinity)
    if (deadline === Infinity) return
    watcher.timer = setTimeout(() => this.check(entry, watcher), Math.min(Math.max(0, deadline - now), MAX_TIMER_MS))
    watcher.timer.unref()
  }
}
