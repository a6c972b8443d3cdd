// Removing shares: a share goes with its on-shares and every recipient's copy (meeco-vault §5: a deleted share
// removes the recipient's copy; on-shares cannot outlive the share they came from).
import type { VaultShareRow } from '../../store/tables/vault.js'
import { deleteItems, type Db } from '../item-rows.js'

export async function removeShares (db: Db, shares: VaultShareRow[]): Promise<void> {
  const all = [...shares]
  let parents = shares.map(share => share.id)
  while (parents.length > 0) {
    const children = await db.selectFrom('vault_shares').selectAll().where('parent_share_id', 'in', parents).execute()
    all.push(...children)
    parents = children.map(share => share.id)
  }
  if (all.length === 0) return
  await deleteItems(db, all.map(share => share.received_item_id).filter((id): id is string => id !== null))
  await db.deleteFrom('vault_shares').where('id', 'in', all.map(share => share.id)).execute()
}

/** Shares of an owner's item still to be kept up to date (on-shares included, rejected ones not). */
export async function liveSharesOfItem (db: Db, itemId: string): Promise<VaultShareRow[]> {
  return await db.selectFrom('vault_shares').selectAll().where('item_id', '=', itemId).where('acceptance', '!=', 'rejected').execute()
}
