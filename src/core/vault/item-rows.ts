// Queries on items and slots, always scoped by owner_id: a row of someone else reads as missing.
import { randomUUID } from 'node:crypto'
import type { CompiledQuery, InferResult, Kysely } from 'kysely'
import type { Database } from '../store/schema.js'
import type { VaultItemRow, VaultSlotRow } from '../store/tables/vault.js'
import { VaultErrors } from './vault-errors.js'
import { withFields } from '../with-fields.js'

export type Db = Kysely<Database>

export async function findItem (db: Db, ownerId: string, itemId: string): Promise<VaultItemRow> {
  const row = await db.selectFrom('vault_items').selectAll().where('id', '=', itemId).where('owner_id', '=', ownerId).executeTakeFirst()
  if (row === undefined) throw VaultErrors.itemNotFound()
  return row
}

/** The item columns a reader sees (itemSummary) and what items.get decides on (own, share_id). */
export type ItemFields = Pick<VaultItemRow, 'id' | 'name' | 'label' | 'template_name' | 'own' | 'share_id' | 'created_at' | 'updated_at'>

/** The slot columns the views read (openOwnSlots, openReceivedSlots): no ids of owners or originals, no times. */
export type SlotFields = Pick<VaultSlotRow, 'id' | 'name' | 'label' | 'slot_type_name' | 'ordinal' | 'encrypted_value' | 'encrypted_value_verification_key' | 'value_verification_hash'>

/** The join behind findItemWithSlots. */
function itemWithSlotsQuery (db: Db, ownerId: string, itemId: string) {
  return db.selectFrom('vault_items as i')
    .leftJoin('vault_slots as s', 's.item_id', 'i.id')
    .select([
      'i.id', 'i.name', 'i.label', 'i.template_name', 'i.own', 'i.share_id', 'i.created_at', 'i.updated_at',
      's.id as slot_id', 's.name as slot_name', 's.label as slot_label', 's.slot_type_name', 's.ordinal',
      's.encrypted_value', 's.encrypted_value_verification_key', 's.value_verification_hash',
    ])
    .where('i.id', '=', itemId).where('i.owner_id', '=', ownerId)
    .orderBy('s.ordinal').orderBy('s.id')
}

type ItemWithSlotsRow = InferResult<ReturnType<typeof itemWithSlotsQuery>>[number]

// Building and compiling that join in kysely costs more CPU than SQLite spends running it (~27 µs a call on the
// bench machine), and its SQL never changes: it is compiled once per database (so in that database's dialect,
// through its plugins) with placeholder values, and each read runs the same SQL with its own parameters.
const ITEM_PARAMETER = Symbol('item_id')
const OWNER_PARAMETER = Symbol('owner_id')
const compiledItemReads = new WeakMap<Db, CompiledQuery<ItemWithSlotsRow>>()

function compiledItemRead (db: Db): CompiledQuery<ItemWithSlotsRow> {
  let compiled = compiledItemReads.get(db)
  if (compiled === undefined) {
    compiled = itemWithSlotsQuery(db, OWNER_PARAMETER as unknown as string, ITEM_PARAMETER as unknown as string).compile()
    compiledItemReads.set(db, compiled)
  }
  return compiled
}

/**
 * One item of the owner and its slots in slot order, for reading (items.get). One query instead of findItem +
 * slotsOf: a read is the hot job path (bench GetItem), and each kysely query costs a build, a compile and a few
 * promise hops on top of SQLite. The left join keeps an item without slots (one row, slot columns null); the
 * slots are those of the item whatever their owner_id, as slotsOf reads them, in the same order.
 */
export async function findItemWithSlots (db: Db, ownerId: string, itemId: string): Promise<{ item: ItemFields, slots: SlotFields[] }> {
  const compiled = compiledItemRead(db)
  const parameters = compiled.parameters.map(p => p === ITEM_PARAMETER ? itemId : p === OWNER_PARAMETER ? ownerId : p)
  const { rows } = await db.executeQuery<ItemWithSlotsRow>(withFields(compiled, { parameters }))
  const [first] = rows
  if (first === undefined) throw VaultErrors.itemNotFound()
  const item: ItemFields = {
    id: first.id, name: first.name, label: first.label, template_name: first.template_name, own: first.own,
    share_id: first.share_id, created_at: first.created_at, updated_at: first.updated_at,
  }
  const slots: SlotFields[] = []
  for (const row of rows) {
    if (row.slot_id === null) continue
    slots.push({
      id: row.slot_id, name: row.slot_name as string, label: row.slot_label as string, slot_type_name: row.slot_type_name as string,
      ordinal: row.ordinal as number, encrypted_value: row.encrypted_value, encrypted_value_verification_key: row.encrypted_value_verification_key,
      value_verification_hash: row.value_verification_hash,
    })
  }
  return { item, slots }
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
