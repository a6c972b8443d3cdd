// Root and session tokens (meshblu-endo §1.7): stored only as keyed hashes, returned once at creation.
import { documentFilter } from './document-query.js'
import type { Store } from '../store/database.js'
import { generateToken, hashToken } from './token-hash.js'

export interface TokenRecord {
  uuid: string
  root: boolean
  metadata: Record<string, unknown>
  createdAt: string
  expiresOn?: string
}

export class TokenStore {
  constructor (private readonly store: Store, private readonly pepper: Buffer) {}

  private hash (uuid: string, token: string): string {
    return hashToken(this.pepper, uuid, token)
  }

  /** True iff the token is valid for the device. A token with an expiry is used up by this check. */
  async verify (uuid: string, token: string): Promise<boolean> {
    if (typeof uuid !== 'string' || typeof token !== 'string' || uuid === '' || token === '') return false
    const hashed = this.hash(uuid, token)
    const row = await this.store.selectFrom('tokens').select(['expires_on'])
      .where('uuid', '=', uuid).where('hashed_token', '=', hashed).executeTakeFirst()
    if (row === undefined) return false
    if (row.expires_on !== null) {
      await this.store.deleteFrom('tokens').where('uuid', '=', uuid).where('hashed_token', '=', hashed).execute()
      return Date.parse(row.expires_on) > Date.now()
    }
    return true
  }

  /** Creates a session token with metadata; the plaintext is returned here and never again. */
  async createSessionToken (uuid: string, metadata: Record<string, unknown> = {}, expiresOn?: Date): Promise<string> {
    return await this.insert(uuid, false, metadata, expiresOn)
  }

  /** Replaces every root token of the device with a new one. */
  async resetRootToken (uuid: string): Promise<string> {
    await this.store.deleteFrom('tokens').where('uuid', '=', uuid).where('root', '=', 1).execute()
    return await this.insert(uuid, true, {})
  }

  async revoke (uuid: string, token: string): Promise<void> {
    await this.store.deleteFrom('tokens').where('uuid', '=', uuid).where('hashed_token', '=', this.hash(uuid, token)).execute()
  }

  /** Removes the session tokens whose metadata matches every key of the query. */
  async revokeByQuery (uuid: string, query: Record<string, unknown>): Promise<number> {
    // Never the root token: in the original it lives on the device (bcrypt) and survives any revoke-by-query;
    // here it is a record too, and losing it would lock the device out.
    const matching = (await this.matching(uuid, query)).filter(m => !m.record.root)
    for (const hashed of matching.map(m => m.hashed)) {
      await this.store.deleteFrom('tokens').where('uuid', '=', uuid).where('hashed_token', '=', hashed).execute()
    }
    return matching.length
  }

  async revokeAll (uuid: string): Promise<void> {
    await this.store.deleteFrom('tokens').where('uuid', '=', uuid).execute()
  }

  /** Token records (never hashes) of one device matching a query on `metadata.*`, `root`, …. */
  async search (uuid: string, query: Record<string, unknown>): Promise<TokenRecord[]> {
    return (await this.matching(uuid, query)).map(m => m.record)
  }

  private async matching (uuid: string, query: Record<string, unknown>): Promise<Array<{ hashed: string, record: TokenRecord }>> {
    const rows = await this.store.selectFrom('tokens').selectAll().where('uuid', '=', uuid).execute()
    const records = rows.map(row => ({
      hashed: row.hashed_token,
      record: {
        uuid: row.uuid,
        root: row.root === 1,
        metadata: JSON.parse(row.metadata),
        createdAt: row.created_at,
        ...(row.expires_on === null ? {} : { expiresOn: row.expires_on }),
      } satisfies TokenRecord,
    }))
    const matches = documentFilter(metadataQuery(query), 'token')
    return records.filter(r => matches(r.record))
  }

  private async insert (uuid: string, root: boolean, metadata: Record<string, unknown>, expiresOn?: Date): Promise<string> {
    const token = generateToken()
    await this.store.insertInto('tokens').values({
      uuid,
      hashed_token: this.hash(uuid, token),
      root: root ? 1 : 0,
      metadata: JSON.stringify(metadata),
      created_at: new Date().toISOString(),
      expires_on: expiresOn?.toISOString() ?? null,
    }).execute()
    return token
  }
}

/** Meshblu token queries name metadata keys bare (`{tag: 'x'}`); record fields keep their names. */
function metadataQuery (query: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(query)) {
    if (key === 'uuid' || key === 'root' || key.startsWith('metadata.') || key.startsWith('$')) result[key] = value
    else result[`metadata.${key}`] = value
  }
  return result
}
