// Tables owned by the acl domain (created by migrations/006-acl.ts): API tokens (intercoop-auroral B1,
// with the fixes of B6: keyed hash of the secret, expiry, last use, rotation) and their ACL entries.

/** One API token. Times are ISO strings; `grant_types` is a JSON array of grant type names. */
export interface ApiTokenRow {
  /** Public id (uuid v4), AURORAL's `keyid`. */
  keyid: string
  /** The organization the token belongs to (AURORAL's own `cid` field). */
  organization_id: string
  name: string
  grant_types: string
  /** HMAC-SHA256 of the secret under the server pepper (api-token-secret.ts); never the secret. */
  secret_hash: string
  /** The secret replaced by the last rotation, accepted until `previous_secret_valid_until`. */
  previous_secret_hash: string | null
  previous_secret_valid_until: string | null
  expires_at: string | null
  last_used_at: string | null
  /** Credentials uuid of the member who created it. */
  created_by: string
  created_at: string
  revoked_at: string | null
}

export type AclLevel = 'cid' | 'agid' | 'oid'

/** One entry of a token's ACL: an organization (cid), a node (agid) or an item (oid). */
export interface ApiTokenAclRow {
  keyid: string
  level: AclLevel
  target: string
  /** Keeps the order in which the entries were given. */
  position: number
}

export interface AclTables {
  api_tokens: ApiTokenRow
  api_token_acl: ApiTokenAclRow
}
