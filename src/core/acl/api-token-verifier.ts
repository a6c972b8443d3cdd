// Checks a key id and secret (HTTP /api/external/v1/* and MQTT logins). Every failure looks the same to
// the caller (unknown key, wrong secret, expired, revoked: B6), and costs the same: the keyed hash is
// always computed and compared against two stored hashes, real or not. Rate limited per key and address.
import type { ApiTokenStore } from './api-token-store.js'
import { secretOpens, type ApiToken } from './acl-model.js'
import { NO_HASH, hashSecret, sameHash } from './api-token-secret.js'
import type { AuthAttemptLimiter } from './auth-attempt-limiter.js'
import { AclErrors } from './acl-errors.js'

/** last_used_at is written at most this often per token, so a busy token does not write on every call. */
const LAST_USED_RESOLUTION_MS = 10_000

export interface VerifiedToken {
  token: ApiToken
  /** The keyed hash of the secret that was presented (current, or previous during its grace period). */
  secretHash: string
}

export class ApiTokenVerifier {
  constructor (
    private readonly tokens: ApiTokenStore,
    private readonly limiter: AuthAttemptLimiter,
    private readonly pepper: Buffer,
    private readonly now: () => number = Date.now
  ) {}

  /** The token the key id and secret open; 429 when rate limited, the constant 401 otherwise. */
  async verify (keyid: string, secret: string, address?: string): Promise<VerifiedToken> {
    const retryAfter = await this.limiter.retryAfterSeconds(keyid, address)
    if (retryAfter !== undefined) throw AclErrors.tooManyAttempts(retryAfter)
    const token = await this.tokens.find(keyid)
    const presented = hashSecret(this.pepper, keyid, secret)
    const now = this.now()
    // Both comparisons always run, against stand-ins when the key or its previous secret does not exist.
    const current = sameHash(presented, token?.secretHash ?? NO_HASH)
    const previous = sameHash(presented, token?.previousSecretHash ?? NO_HASH)
    if (token === undefined || !(current || previous) || !secretOpens(token, presented, now)) {
      await this.limiter.recordFailure(keyid, address)
      throw AclErrors.invalidCredentials()
    }
    if (token.lastUsedAt === null || now - Date.parse(token.lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
      const at = new Date(now).toISOString()
      await this.tokens.touch(keyid, at)
      token.lastUsedAt = at
    }
    return { token, secretHash: presented }
  }
}
