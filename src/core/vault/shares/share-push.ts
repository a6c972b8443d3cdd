// Pushing an owner's changes to every recipient (meeco-vault §5, "share updates"): one new DEK for all of the
// item's shares (on-shares included), wrapped once per share's stored public key; every copy's slots are
// re-encrypted with it, slots added or removed since follow. Only the owner may push.
import type { Store } from '../../store/database.js'
import type { VaultSlotRow } from '../../store/tables/vault.js'
import { findItem, slotsOf, type Db } from '../item-rows.js'
import { hasSealedValue, openSlotValue } from '../slot-crypto.js'
import type { VaultOwner } from '../vault-keys.js'
import { VaultErrors } from '../vault-errors.js'
import { copySlotOf, type SourceSlot } from './share-create.js'
import { newShareKey, wrapShareKey } from './share-keys.js'
import { liveSharesOfItem } from './share-removal.js'

export async function pushItemUpdates (store: Store, owner: VaultOwner, itemId: string): Promise<{ pushed: number }> {
  const item = await findItem(store, owner.id, itemId)
  if (item.own !== 1) throw VaultErrors.receivedItemReadOnly()
  const dataKey = await owner.keys.dataKey()
  return await store.transaction().execute(async trx => {
    const shares = (await liveSharesOfItem(trx, item.id)).filter(share => share.received_item_id !== null)
    const shareKey = newShareKey()
    const sources: SourceSlot[] = (await slotsOf(trx, item.id)).map(row => ({
      row,
      open: hasSealedValue(row) ? openSlotValue(dataKey, row) : null,
      originalSlotId: row.id,
      hash: row.value_verification_hash,
    }))
    const now = new Date().toISOString()
    for (const share of shares) {
      const copyId = share.received_item_id as string
      const chosen = share.slot_id === null ? sources : sources.filter(source => source.originalSlotId === share.slot_id)
      await replaceCopySlots(trx, { id: copyId, owner_id: share.recipient_id }, chosen, shareKey, now)
      await trx.updateTable('vault_items').where('id', '=', copyId).set({ label: item.label, name: item.name, updated_at: now }).execute()
      await trx.updateTable('vault_shares').where('id', '=', share.id).set({ encrypted_dek: wrapShareKey(share.public_key, shareKey), updated_at: now }).execute()
    }
    await trx.updateTable('vault_items').where('id', '=', item.id).set({ shares_outdated: 0 }).execute()
    return { pushed: shares.length }
  })
}

/** Copy slots keep their ids: ones the owner removed are dropped, changed ones rewritten, new ones added. */
async function replaceCopySlots (db: Db, copy: { id: string, owner_id: string }, sources: SourceSlot[], shareKey: Buffer, now: string): Promise<void> {
  const existing = new Map((await slotsOf(db, copy.id)).map(slot => [slot.original_id, slot]))
  const wanted = new Set(sources.map(source => source.originalSlotId))
  const dropped = [...existing.values()].filter(slot => !wanted.has(slot.original_id as string)).map(slot => slot.id)
  if (dropped.length > 0) await db.deleteFrom('vault_slots').where('id', 'in', dropped).execute()
  for (const source of sources) {
    const fresh: VaultSlotRow = copySlotOf(shareKey, copy, source, now)
    const current = existing.get(source.originalSlotId)
    if (current === undefined) {
      await db.insertInto('vault_slots').values(fresh).execute()
    } else {
      const { id: _id, created_at: _created, item_id: _item, owner_id: _owner, ...change } = fresh
      await db.updateTable('vault_slots').where('id', '=', current.id).set(change).execute()
    }
  }
}
