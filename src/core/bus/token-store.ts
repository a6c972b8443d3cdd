// Root and session tokens (meshblu-endo §1.7): stored only as keyed hashes, returned once at creation.
// Every change that ends tokens (revoke, revoke by query, root reset, revoke all) reports the keyed hashes
// it ended, so the broker can end the live sessions that authenticated with them.
import { documentFilter } from './document-query.js'
import type { Store } from '../store/database.js'
import type { TokenRow } from '../store/tables/bus.js'
import { generateToken, hashToken } from './token-hash.js'

export interface TokenRecord {
  uuid: string
  root: boolean
  metadata: Record<string, unknown>
  createdAt: string
  expiresOn?: string
}

/** What a successful check tells the caller: which credential it was (never the token itself). */
export interface VerifiedToken {
  /** The keyed hash under which the token is stored; a live session remembers it. */
  hash: string
  root: boolean
  /** ms since the epoch when the token stops working (single-use tokens with an expiry). */
  expiresAt?: number
}

/** Tokens of one device that stopped working: these keyed hashes, or every token when `hashes` is absent. */
export interface EndedCredentials {
  uuid: string
  hashes?: readonly string[]
  /** A root reset: the hash of the new root token (a connection that asked for the reset continues under it). */
  replacedBy?: string
  /** Announced by another instance (cluster mode): ended here too, not announced again. */
  remote?: boolean
}

/** A root reset about to happen: reported synchronously, in the call that asked for it, before any I/O. */
export interface RootReplacement { uuid: string, replacedBy: string }

export interface TokenEvents {
  ended?: (ended: EndedCredentials) => void
  replacing?: (replacement: RootReplacement) => void
}

export class TokenStore {
  private readonly ended: (ended: EndedCredentials) => void
  private readonly replacing: (replacement: RootReplacement) => void

  constructor (private readonly store: Store, private readonly pepper: Buffer, events: TokenEvents = {}) {
    this.ended = events.ended ?? (() => {})
    this.replacing = events.replacing ?? (() => {})
  }

  private hash (uuid: string, token: string): string {
    return hashToken(this.pepper, uuid, token)
  }

  /** True iff the token is valid for the device. A token with an expiry is used up by this check. */
  async verify (uuid: string, token: string): Promise<boolean> {
    return await this.verified(uuid, token) !== undefined
  }

  /** The credential the token is, or undefined. A token with an expiry is used up by this check (single use). */
  async verified (uuid: string, token: string): Promise<VerifiedToken | undefined> {
    if (typeof uuid !== 'string' || typeof token !== 'string' || uuid === '' || token === '') return undefined
    const hashed = this.hash(uuid, token)
    const row = await this.store.selectFrom('tokens').select(['expires_on', 'root'])
      .where('uuid', '=', uuid).where('hashed_token', '=', hashed).executeTakeFirst()
    if (row === undefined) return undefined
    if (row.expires_on !== null) {
      await this.store.deleteFrom('tokens').where('uuid', '=', uuid).where('hashed_token', '=', hashed).execute()
      const expiresAt = Date.parse(row.expires_on)
      return expiresAt > Date.now() ? { hash: hashed, root: row.root === 1, expiresAt } : undefined
    }
    return { hash: hashed, root: row.root === 1 }
  }

  /** Creates a session token with metadata; the plaintext is returned here and never again. */
  async createSessionToken (uuid: string, metadata: Record<string, unknown> = {}, expiresOn?: Date): Promise<string> {
    return await this.insert(uuid, false, metadata, expiresOn)
  }

  /**
   * The first root token of a device being registered, written by `write` (the registration's transaction:
   * one commit for the device, its index rows and its token).
   */
  async firstRootToken (uuid: string, write: (row: TokenRow) => Promise<void>): Promise<string> {
    const token = generateToken()
    await write({ uuid, hashed_token: this.hash(uuid, token), root: 1, metadata: '{}', created_at: new Date().toISOString(), expires_on: null })
    return token
  }

  /** Replaces every root token of the device with a new one; sessions opened with the old ones end. */
  async resetRootToken (uuid: string): Promise<string> {
    const token = generateToken()
    const replacedBy = this.hash(uuid, token)
    this.replacing({ uuid, replacedBy })
    const replaced = await this.store.selectFrom('tokens').select('hashed_token').where('uuid', '=', uuid).where('root', '=', 1).execute()
    await this.store.deleteFrom('tokens').where('uuid', '=', uuid).where('root', '=', 1).execute()
    // reported even when nothing was replaced, so whoever noted the replacement can forget it
    this.ended({ uuid, hashes: replaced.map(row => row.hashed_token), replacedBy })
    await this.insert(uuid, true, {}, undefined, token)
    return token
  }

  async revoke (uuid: string, token: string): Promise<void> {
    const hashed = this.hash(uuid, token)
    const result = await this.store.deleteFrom('tokens').where('uuid', '=', uuid).where('hashed_token', '=', hashed).executeTakeFirst()
    if (Number(result.numDeletedRows) > 0) this.report(uuid, [hashed])
  }

  /** Removes the session tokens whose metadata matches every key of the query. */
  async revokeByQuery (uuid: string, query: Record<string, unknown>): Promise<number> {
    // Never the root token: in the original it lives on the device (bcrypt) and survives any revoke-by-query;
    // here it is a record too, and losing it would lock the device out.
    const matching = (await this.matching(uuid, query)).filter(m => !m.record.root)
    const hashes = matching.map(m => m.hashed)
    for (const hashed of hashes) {
      await this.store.deleteFrom('tokens').where('uuid', '=', uuid).where('hashed_token', '=', hashed).execute()
    }
    this.report(uuid, hashes)
    return matching.length
  }

  async revokeAll (uuid: string): Promise<void> {
    await this.store.deleteFrom('tokens').where('uuid', '=', uuid).execute()
    this.ended({ uuid })
  }

  /** Token records (never hashes) of one device matching a query on `metadata.*`, `root`, …. */
  async search (uuid: string, query: Record<string, unknown>): Promise<TokenRecord[]> {
    return (await this.matching(uuid, query)).map(m => m.record)
  }

  /** Synchronously after the rows are gone, so no session acts on a deleted credential after this call. */
  private report (uuid: string, hashes: string[]): void {
    if (hashes.length > 0) this.ended({ uuid, hashes })
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

  private async insert (uuid: string, root: boolean, metadata: Record<string, unknown>, expiresOn?: Date, token = generateToken()): Promise<string> {
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
