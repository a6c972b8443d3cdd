// API tokens in the store: rows to ApiToken and back, ACL entries in order, and the cascade deletes.
// Portable across SQLite and PostgreSQL (text columns, ISO times, JSON as text).
import type { Store } from '../store/database.js'
import type { AclLevel, ApiTokenAclRow, ApiTokenRow } from '../store/tables/acl.js'
import { ACL_LEVELS, isGrantType, type Acl, type ApiToken } from './acl-model.js'

const iso = (ms: number | null): string | null => ms === null ? null : new Date(ms).toISOString()
const ms = (text: string | null): number | null => text === null ? null : Date.parse(text)

function tokenOf (row: ApiTokenRow, entries: ApiTokenAclRow[]): ApiToken {
  const acl: Acl = { cid: [], agid: [], oid: [] }
  for (const entry of [...entries].sort((a, b) => a.position - b.position)) acl[entry.level].push(entry.target)
  const grantTypes = (JSON.parse(row.grant_types) as unknown[]).filter(isGrantType)
  return {
    keyid: row.keyid,
    organizationId: row.organization_id,
    name: row.name,
    grantTypes,
    acl,
    secretHash: row.secret_hash,
    previousSecretHash: row.previous_secret_hash,
    previousSecretValidUntil: ms(row.previous_secret_valid_until),
    expiresAt: ms(row.expires_at),
    lastUsedAt: row.last_used_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }
}

export class ApiTokenStore {
  constructor (private readonly store: Store) {}

  async insert (token: ApiToken): Promise<void> {
    await this.store.transaction().execute(async trx => {
      await trx.insertInto('api_tokens').values({
        keyid: token.keyid,
        organization_id: token.organizationId,
        name: token.name,
        grant_types: JSON.stringify(token.grantTypes),
        secret_hash: token.secretHash,
        previous_secret_hash: token.previousSecretHash,
        previous_secret_valid_until: iso(token.previousSecretValidUntil),
        expires_at: iso(token.expiresAt),
        last_used_at: token.lastUsedAt,
        created_by: token.createdBy,
        created_at: token.createdAt,
        revoked_at: token.revokedAt,
      }).execute()
      const entries = ACL_LEVELS.flatMap(level => token.acl[level].map(target => ({ level, target })))
      if (entries.length > 0) {
        await trx.insertInto('api_token_acl').values(entries.map((entry, position) => ({ keyid: token.keyid, ...entry, position }))).execute()
      }
    })
  }

  async find (keyid: string): Promise<ApiToken | undefined> {
    // Both queries run whether the key exists or not: an unknown key costs what a known one does.
    const [row, entries] = await Promise.all([
      this.store.selectFrom('api_tokens').selectAll().where('keyid', '=', keyid).executeTakeFirst(),
      this.store.selectFrom('api_token_acl').selectAll().where('keyid', '=', keyid).execute(),
    ])
    return row === undefined ? undefined : tokenOf(row, entries)
  }

  async listOf (organizationId: string): Promise<ApiToken[]> {
    const rows = await this.store.selectFrom('api_tokens').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('keyid').execute()
    if (rows.length === 0) return []
    const entries = await this.store.selectFrom('api_token_acl').selectAll().where('keyid', 'in', rows.map(row => row.keyid)).execute()
    return rows.map(row => tokenOf(row, entries.filter(entry => entry.keyid === row.keyid)))
  }

  async revoke (keyid: string, at: string): Promise<void> {
    await this.store.updateTable('api_tokens').set({ revoked_at: at }).where('keyid', '=', keyid).where('revoked_at', 'is', null).execute()
  }

  /** The new secret's hash becomes current; the current one stays valid until `previousValidUntil`. */
  async rotate (keyid: string, secretHash: string, previousSecretHash: string, previousValidUntil: number): Promise<void> {
    await this.store.updateTable('api_tokens')
      .set({ secret_hash: secretHash, previous_secret_hash: previousSecretHash, previous_secret_valid_until: iso(previousValidUntil) })
      .where('keyid', '=', keyid).execute()
  }

  async touch (keyid: string, at: string): Promise<void> {
    await this.store.updateTable('api_tokens').set({ last_used_at: at }).where('keyid', '=', keyid).execute()
  }

  /** Removes a deleted node or item from every ACL; returns the key ids that named it. */
  async removeTarget (level: AclLevel, target: string): Promise<string[]> {
    const named = await this.store.selectFrom('api_token_acl').select('keyid').where('level', '=', level).where('target', '=', target).execute()
    if (named.length > 0) await this.store.deleteFrom('api_token_acl').where('level', '=', level).where('target', '=', target).execute()
    return named.map(row => row.keyid)
  }

  /** Deletes every token of a deleted organization (their ACL entries go with them); returns their key ids. */
  async removeOrganization (organizationId: string): Promise<string[]> {
    const rows = await this.store.selectFrom('api_tokens').select('keyid').where('organization_id', '=', organizationId).execute()
    const keyids = rows.map(row => row.keyid)
    if (keyids.length === 0) return []
    await this.store.transaction().execute(async trx => {
      await trx.deleteFrom('api_token_acl').where('keyid', 'in', keyids).execute()
      await trx.deleteFrom('api_tokens').where('keyid', 'in', keyids).execute()
    })
    return keyids
  }
}
