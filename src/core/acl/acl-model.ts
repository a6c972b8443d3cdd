// The API token model (intercoop-auroral B1/B5): grant types, the ACL {cid, agid, oid} and a token as
// the other acl files see it (never its secret, only the keyed hashes the verifier compares).

export const GRANT_TYPES = ['dataAccess', 'serviceStore', 'apEdit'] as const
export type GrantType = typeof GRANT_TYPES[number]

export function isGrantType (value: unknown): value is GrantType {
  return typeof value === 'string' && (GRANT_TYPES as readonly string[]).includes(value)
}

/** AURORAL's ACL: organizations (cid), nodes (agid), items (oid). */
export interface Acl { cid: string[], agid: string[], oid: string[] }

export const ACL_LEVELS = ['cid', 'agid', 'oid'] as const

export type TokenStatus = 'active' | 'expired' | 'revoked'

export interface ApiToken {
  keyid: string
  organizationId: string
  name: string
  grantTypes: GrantType[]
  acl: Acl
  secretHash: string
  previousSecretHash: string | null
  /** ms since the epoch; the previous secret works strictly before it. */
  previousSecretValidUntil: number | null
  /** ms since the epoch; the token works strictly before it. */
  expiresAt: number | null
  lastUsedAt: string | null
  createdBy: string
  createdAt: string
  revokedAt: string | null
}

export function statusOf (token: ApiToken, now: number): TokenStatus {
  if (token.revokedAt !== null) return 'revoked'
  if (token.expiresAt !== null && now >= token.expiresAt) return 'expired'
  return 'active'
}

/** Whether a secret whose keyed hash is `hash` opens the token at `now`: the current one, or the previous one in its grace period. */
export function secretOpens (token: ApiToken, hash: string, now: number): boolean {
  if (statusOf(token, now) !== 'active') return false
  if (hash === token.secretHash) return true
  return token.previousSecretHash !== null && hash === token.previousSecretHash &&
    token.previousSecretValidUntil !== null && now < token.previousSecretValidUntil
}
