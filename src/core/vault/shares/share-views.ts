// Shares as a job sees them, from the reader's side: ids the reader can use (its own item and connection),
// never the other party's user id, keys or ciphertext.
import type { VaultShareRow } from '../../store/tables/vault.js'
import type { Db } from '../item-rows.js'

export type ShareDirection = 'incoming' | 'outgoing'

export interface ShareView {
  id: string
  direction: ShareDirection
  /** The reader's item: the received copy (incoming) or the item the reader shared (outgoing); null once rejected. */
  item_id: string | null
  label: string | null
  slot_name: string | null
  /** The reader's connection to the other party. */
  connection_id: string
  acceptance: string
  terms: string | null
  onsharing_permitted: boolean
  on_share: boolean
  expires_at: string | null
  created_at: string
  updated_at: string
}

export function shareViewOf (readerId: string, share: VaultShareRow, label: string | null): ShareView {
  const direction: ShareDirection = share.recipient_id === readerId ? 'incoming' : 'outgoing'
  return {
    id: share.id,
    direction,
    item_id: direction === 'incoming' ? share.received_item_id : share.sender_item_id,
    label,
    slot_name: share.slot_name,
    connection_id: direction === 'incoming' ? share.recipient_connection_id : share.connection_id,
    acceptance: share.acceptance,
    terms: share.terms,
    onsharing_permitted: share.onsharing_permitted === 1,
    on_share: share.parent_share_id !== null,
    expires_at: share.expires_at,
    created_at: share.created_at,
    updated_at: share.updated_at,
  }
}

/** Views of several shares, with the labels of the reader's items looked up in one query. */
export async function shareViewsOf (db: Db, readerId: string, shares: VaultShareRow[]): Promise<ShareView[]> {
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
