// The vault, connections and shares as one service for jobs (JobServices.vault), built once at start.
// Connection key pairs come from a pool that starts on first use, so a service that never connects anyone
// spends nothing on RSA key generation; generation runs off the event loop (key-pair-pool.ts).
import type { Store } from '../store/database.js'
import { KeyPairPool, type RsaKeyPairPem } from '../crypto/key-pair-pool.js'
import { Templates } from './templates.js'
import { Items } from './items.js'
import { listItems, type ItemListQuery } from './item-list.js'
import type { Item } from '../wire/schema-types.js'
import type { VaultOwner } from './vault-keys.js'
import { Invitations, type KeyPairSource } from './shares/invitations.js'
import { Connections } from './shares/connections.js'
import { Shares } from './shares/shares.js'
import { pushItemUpdates } from './shares/share-push.js'
import { VaultEvents } from './vault-events.js'
import type { VaultQuotas } from './vault-quota.js'
import { DEFAULT_LIMITS } from '../limits.js'

export interface VaultOptions {
  store: Store
  /** Keyed hash of an invitation token (the service's keyed ids). */
  tokenHash: (token: string) => string
  /** RSA modulus of connection key pairs; 4096 (Cryppo's Rsa4096) unless a test asks for less. */
  keyBits?: number
  /** Key pairs kept ready once the pool has started. */
  keyPoolSize?: number
  /** What one person may keep (limits.vault*); the limits table's defaults when not given. */
  quotas?: VaultQuotas
}

/** Starts its pool on the first take(); close() stops it. */
export class LazyKeyPairs implements KeyPairSource {
  private pool?: KeyPairPool
  private closed = false

  constructor (private readonly modulusLength: number, private readonly size: number) {}

  async take (): Promise<RsaKeyPairPem> {
    if (this.closed) throw new Error('the vault is closed')
    this.pool ??= new KeyPairPool({ size: this.size, modulusLength: this.modulusLength })
    return await this.pool.take()
  }

  async close (): Promise<void> {
    this.closed = true
    await this.pool?.close()
  }
}

export class VaultDomain {
  readonly events = new VaultEvents()
  readonly templates: Templates
  readonly items: Items
  readonly invitations: Invitations
  readonly connections: Connections
  readonly shares: Shares
  private readonly keyPairs: LazyKeyPairs

  constructor (private readonly options: VaultOptions) {
    this.keyPairs = new LazyKeyPairs(options.keyBits ?? 4096, options.keyPoolSize ?? 2)
    const quotas = options.quotas ?? { maxItemsPerOwner: DEFAULT_LIMITS.vaultMaxItemsPerOwner, maxSlotsPerItem: DEFAULT_LIMITS.vaultMaxSlotsPerItem, maxTemplatesPerOwner: DEFAULT_LIMITS.vaultMaxTemplatesPerOwner }
    this.templates = new Templates(options.store, quotas)
    this.items = new Items(options.store, this.templates, this.events, quotas)
    this.invitations = new Invitations(options.store, options.tokenHash, this.keyPairs)
    this.connections = new Connections(options.store, this.invitations, this.keyPairs)
    this.shares = new Shares(options.store)
  }

  async listItems (owner: VaultOwner, query: ItemListQuery): Promise<{ items: Item[], next_page_after: string | null }> {
    return await listItems(this.options.store, owner.id, query)
  }

  async pushItemUpdates (owner: VaultOwner, itemId: string): Promise<{ pushed: number }> {
    return await pushItemUpdates(this.options.store, owner, itemId)
  }

  async close (): Promise<void> {
    await this.keyPairs.close()
  }
}
