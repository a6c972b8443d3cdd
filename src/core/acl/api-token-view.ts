// The wire view of a token (schemas/ApiToken.json): whitelisted fields, never a secret or its hash.
import type * as Wire from '../wire/schema-types.js'
import { statusOf, type ApiToken } from './acl-model.js'

const iso = (ms: number | null): string | null => ms === null ? null : new Date(ms).toISOString()

export function apiTokenView (token: ApiToken, now = Date.now()): Wire.ApiToken {
  const graceLeft = token.previousSecretValidUntil !== null && now < token.previousSecretValidUntil
  return {
    keyid: token.keyid,
    organization_id: token.organizationId,
    name: token.name,
    grant_types: [...token.grantTypes],
    acl: { cid: [...token.acl.cid], agid: [...token.acl.agid], oid: [...token.acl.oid] },
    status: statusOf(token, now),
    created_at: token.createdAt,
    created_by: token.createdBy,
    expires_at: iso(token.expiresAt),
    last_used_at: token.lastUsedAt,
    revoked_at: token.revokedAt,
    previous_secret_valid_until: graceLeft ? iso(token.previousSecretValidUntil) : null,
  }
}
