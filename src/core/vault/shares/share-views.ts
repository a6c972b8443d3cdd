// Shares as a job sees them, from the reader's side: ids the reader can use (its own item and connection),
// never the other party's user id, keys or ciphertext.
import type { VaultShareRow } from '../../store/tables/vault.js'
import type { Share } from '../../wire/schema-types.js'
import type { Db } from '../item-rows.js'

export type ShareDirection = Share['direction']

export function shareViewOf (readerId: string, share: VaultShareRow, label: string | null): Share {
  const direction: ShareDirection = share.recipient_id === readerId ? 'incoming' : 'outgoing'
  return {
    id: share.id,
    direction,
    item_id: direction === 'incoming' ? share.received_item_id : share.sender_item_id,
    label,
    slot_name: share.slot_name,
    connection_id: direction === 'incoming' ? share.recipient_connection_id : share.connection_id,
    // the column holds only the Acceptance values (share-access.ts): narrowed here, once
    acceptance: share.acceptance as Share['acceptance'],
    terms: share.terms,
    onsharing_permitted: share.onsharing_permitted === 1,
    on_share: share.parent_share_id !== null,
    expires_at: share.expires_at,
    created_at: share.created_at,
    updated_at: share.updated_at,
  }
}

/** Views of several shares, with the labels of the reader's items looked up in one query. */
export async function shareViewsOf (db: Db, readerId: string, shares: VaultShareRow[]): Promise<Share[]> {
  const itemIds = shares.map(share => share.recipient_id === readerId ? share.received_item_id : share.sender_item_id).filter((id): id is string => id !== null)
  const labels = new Map<string, string>()
  if (itemIds.length > 0) {
    const rows = await db.selectFrom('vault_items').select(['id', 'label']).where('owner_id', '=', readerId).where('id', 'in', itemIds).execute()
    for (const row of rows) labels.set(row.id, row.label)
  }
  return shares.map(share => {
    const itemId = share.recipient_id === readerId ? share.received_item_id : share.sender_item_id
    return shareViewOf(readerId, share, itemId === null ? null : labels.get(itemId) ?? null)
  })
}
