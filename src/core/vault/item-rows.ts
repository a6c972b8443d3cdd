// Queries on items and slots, always scoped by owner_id: a row of someone else reads as missing.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../store/schema.js'
import type { VaultItemRow, VaultSlotRow } from '../store/tables/vault.js'
import { itemNotFound } from './vault-errors.js'

export type Db = Kysely<Database>

export async function findItem (db: Db, ownerId: string, itemId: string): Promise<VaultItemRow> {
  const row = await db.selectFrom('vault_items').selectAll().where('id', '=', itemId).where('owner_id', '=', ownerId).executeTakeFirst()
  if (row === undefined) throw itemNotFound()
  return row
}

export async function slotsOf (db: Db, itemId: string): Promise<VaultSlotRow[]> {
  return await db.selectFrom('vault_slots').selectAll().where('item_id', '=', itemId).orderBy('ordinal').orderBy('id').execute()
}

export async function insertItem (db: Db, item: VaultItemRow, slots: VaultSlotRow[]): Promise<void> {
  await db.insertInto('vault_items').values(item).execute()
  if (slots.length > 0) await db.insertInto('vault_slots').values(slots).execute()
}

/** Deletes items and their slots. */
export async function deleteItems (db: Db, itemIds: string[]): Promise<void> {
  if (itemIds.length === 0) return
  await db.deleteFrom('vault_slots').where('item_id', 'in', itemIds).execute()
  await db.deleteFrom('vault_items').where('id', 'in', itemIds).execute()
}

export function newSlotRow (fields: Omit<VaultSlotRow, 'id' | 'created_at' | 'updated_at' | 'encrypted_value' | 'encrypted_value_verification_key' | 'value_verification_hash' | 'original_id'> & Partial<VaultSlotRow>, now: string): VaultSlotRow {
  return {
    id: randomUUID(),
    encrypted_value: null,
    encrypted_value_verification_key: null,
    value_verification_hash: null,
    original_id: null,
    created_at: now,
    updated_at: now,
    ...fields,
  }
}
