// The tokens of open MQTT API-token sessions, in memory for the broker's synchronous checks. This
// instance's own changes (revoke, rotate, cascade) reload a token at once; otherwise a token read more
// than REFRESH_MS ago is reloaded in the background, so a change made by another instance (shared
// PostgreSQL) reaches this one's sessions within seconds. Expiry and grace periods need no reload.
import type { Logger } from '../log.js'
import type { ApiToken } from './acl-model.js'
import type { ApiTokenStore } from './api-token-store.js'

const REFRESH_MS = 5_000

interface Entry { token: ApiToken | undefined, loadedAt: number, loading?: Promise<void> }

export class LiveApiTokens {
  private readonly entries = new Map<string, Entry>()

  constructor (private readonly tokens: Pick<ApiTokenStore, 'find'>, private readonly logger: Logger, private readonly now: () => number = Date.now) {}

  /** Starts following a token (at an MQTT login). */
  follow (token: ApiToken): void {
    this.entries.set(token.keyid, { token, loadedAt: this.now() })
  }

  /** The token as last read (undefined once deleted); schedules a reload when that read is old. */
  get (keyid: string): ApiToken | undefined {
    const entry = this.entries.get(keyid)
    if (entry === undefined) return undefined
    if (this.now() - entry.loadedAt >= REFRESH_MS && entry.loading === undefined) {
      entry.loading = this.reload(keyid).catch(error => { this.logger.error({ err: error, keyid }, 'api token reload failed') })
    }
    return entry.token
  }

  /** Reads a followed token again (no-op for tokens no session follows). */
  async reload (keyid: string): Promise<void> {
    const entry = this.entries.get(keyid)
    if (entry === undefined) return
    try {
      entry.token = await this.tokens.find(keyid)
      entry.loadedAt = this.now()
    } finally {
      entry.loading = undefined
    }
  }
}
