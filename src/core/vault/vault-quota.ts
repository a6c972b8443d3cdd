// What one person may keep in the vault. Anyone who onboards can create items and templates by the
// thousand, each up to the payload limit; without a bound the database (and every list of them) grows
// with whatever a stranger sends. Counted with the owner's own index, so a check costs at most the quota.
import type { Store } from '../store/database.js'
import { VaultErrors } from './vault-errors.js'

export interface VaultQuotas {
  maxItemsPerOwner: number
  maxSlotsPerItem: number
  maxTemplatesPerOwner: number
}

type Db = Pick<Store, 'selectFrom'>

async function ownedCount (db: Db, table: 'vault_items' | 'vault_templates', ownerId: string): Promise<number> {
  const row = await db.selectFrom(table).select(eb => eb.fn.countAll<number | string>().as('count')).where('owner_id', '=', ownerId).executeTakeFirst()
  return Number(row?.count ?? 0)
}

/** One more item must fit in the owner's quota. */
export async function assertItemQuota (db: Db, ownerId: string, quotas: VaultQuotas): Promise<void> {
  if (await ownedCount(db, 'vault_items', ownerId) >= quotas.maxItemsPerOwner) throw VaultErrors.quotaReached(`items: ${quotas.maxItemsPerOwner}`)
}

export async function assertTemplateQuota (db: Db, ownerId: string, quotas: VaultQuotas): Promise<void> {
  if (await ownedCount(db, 'vault_templates', ownerId) >= quotas.maxTemplatesPerOwner) throw VaultErrors.quotaReached(`templates: ${quotas.maxTemplatesPerOwner}`)
}

export function assertSlotQuota (slots: number, quotas: VaultQuotas): void {
  if (slots > quotas.maxSlotsPerItem) throw VaultErrors.quotaReached(`slots per item: ${quotas.maxSlotsPerItem}`)
}
