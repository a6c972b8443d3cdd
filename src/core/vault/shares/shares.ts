// Shares (meeco-vault §5): share an own item or one slot over a connection, on-share a received item where
// the owner permitted it, list incoming and outgoing, read an incoming share decrypted, accept or reject it,
// and delete it from either side.
import type { Store } from '../../store/database.js'
import type { VaultShareRow } from '../../store/tables/vault.js'
import { findItem, slotsOf } from '../item-rows.js'
import type { Item, Share } from '../../wire/schema-types.js'
import { itemWithSlots, openReceivedSlots } from '../item-views.js'
import { hasSealedValue, openSlotValue, verifySlotValue } from '../slot-crypto.js'
import type { VaultOwner } from '../vault-keys.js'
import { VaultErrors } from '../vault-errors.js'
import { findConnection } from './connections.js'
import { Acceptance, assertReadable, findIncomingShare, isExpired, readableShareKey } from './share-access.js'
import { createShare, type ShareInput, type ShareSource } from './share-create.js'
import { unwrapShareKey } from './share-keys.js'
import { removeShares } from './share-removal.js'
import { shareViewOf, shareViewsOf, type ShareDirection } from './share-views.js'

export class Shares {
  constructor (private readonly store: Store) {}

  /** The owner shares its own item (or one slot of it). */
  async shareItem (owner: VaultOwner, itemId: string, input: ShareInput): Promise<Share> {
    const item = await findItem(this.store, owner.id, itemId)
    if (item.own !== 1) throw VaultErrors.notOwnItem()
    const connection = await findConnection(this.store, owner.id, input.connection_id)
    const dataKey = await owner.keys.dataKey()
    const slots = (await slotsOf(this.store, item.id)).map(row => ({
      row,
      open: hasSealedValue(row) ? openSlotValue(dataKey, row) : null,
      originalSlotId: row.id,
      hash: row.value_verification_hash,
    }))
    const source: ShareSource = { ownerId: owner.id, originalItemId: item.id, senderItem: item, parentShare: null, slots }
    return shareViewOf(owner.id, await createShare(this.store, owner.id, source, connection, input), item.label)
  }

  /** A recipient passes on what it received, if the owner permitted on-sharing; values are verified first. */
  async onShare (recipient: VaultOwner, shareId: string, input: ShareInput): Promise<Share> {
    const parent = await findIncomingShare(this.store, recipient.id, shareId)
    assertReadable(parent)
    if (parent.onsharing_permitted !== 1) throw VaultErrors.onsharingNotPermitted()
    const connection = await findConnection(this.store, recipient.id, input.connection_id)
    const copy = await findItem(this.store, recipient.id, parent.received_item_id as string)
    const shareKey = unwrapShareKey(recipient, parent)
    const slots = (await slotsOf(this.store, copy.id)).map(row => {
      const open = hasSealedValue(row) ? openSlotValue(shareKey, row) : null
      if (open !== null) verifySlotValue(row.name, open, row.value_verification_hash)
      return { row, open, originalSlotId: row.original_id as string, hash: row.value_verification_hash }
    })
    const source: ShareSource = { ownerId: parent.owner_id, originalItemId: parent.item_id, senderItem: copy, parentShare: parent, slots }
    return shareViewOf(recipient.id, await createShare(this.store, recipient.id, source, connection, input), copy.label)
  }

  async list (reader: VaultOwner, direction: ShareDirection): Promise<Share[]> {
    const column = direction === 'incoming' ? 'recipient_id' : 'sender_id'
    const shares = await this.store.selectFrom('vault_shares').selectAll().where(column, '=', reader.id).orderBy('created_at').orderBy('id').execute()
    return await shareViewsOf(this.store, reader.id, shares)
  }

  /** The share and the recipient's copy, decrypted with the share DEK and verified slot by slot. */
  async readIncoming (recipient: VaultOwner, shareId: string): Promise<{ share: Share, item: Item }> {
    const share = await findIncomingShare(this.store, recipient.id, shareId)
    const shareKey = readableShareKey(recipient, share)
    const copy = await findItem(this.store, recipient.id, share.received_item_id as string)
    const item = itemWithSlots(copy, openReceivedSlots(shareKey, await slotsOf(this.store, copy.id)))
    return { share: shareViewOf(recipient.id, share, copy.label), item }
  }

  async accept (recipient: VaultOwner, shareId: string): Promise<Share> {
    const share = await findIncomingShare(this.store, recipient.id, shareId)
    if (share.acceptance === Acceptance.rejected) throw VaultErrors.shareRejected()
    if (isExpired(share)) throw VaultErrors.shareExpired()
    if (share.acceptance !== Acceptance.required) return await this.viewOf(recipient.id, share)
    return await this.viewOf(recipient.id, await this.setAcceptance(share, Acceptance.accepted))
  }

  /** Rejecting removes the recipient's copy (and anything on-shared from it); the sender sees `rejected`. */
  async reject (recipient: VaultOwner, shareId: string): Promise<Share> {
    const share = await findIncomingShare(this.store, recipient.id, shareId)
    if (share.acceptance === Acceptance.rejected) throw VaultErrors.shareRejected()
    const rejected = await this.store.transaction().execute(async trx => {
      const children = await trx.selectFrom('vault_shares').selectAll().where('parent_share_id', '=', share.id).execute()
      await removeShares(trx, children)
      if (share.received_item_id !== null) {
        await trx.deleteFrom('vault_slots').where('item_id', '=', share.received_item_id).execute()
        await trx.deleteFrom('vault_items').where('id', '=', share.received_item_id).execute()
      }
      const now = new Date().toISOString()
      await trx.updateTable('vault_shares').where('id', '=', share.id).set({ acceptance: Acceptance.rejected, received_item_id: null, updated_at: now }).execute()
      return { ...share, acceptance: Acceptance.rejected, received_item_id: null, updated_at: now }
    })
    return shareViewOf(recipient.id, rejected, null)
  }

  /** Its sender, its recipient or the item's owner may delete a share; the copy and on-shares go with it. */
  async delete (reader: VaultOwner, shareId: string): Promise<void> {
    const share = await this.store.selectFrom('vault_shares').selectAll().where('id', '=', shareId)
      .where(eb => eb.or([eb('sender_id', '=', reader.id), eb('recipient_id', '=', reader.id), eb('owner_id', '=', reader.id)]))
      .executeTakeFirst()
    if (share === undefined) throw VaultErrors.shareNotFound()
    await this.store.transaction().execute(async trx => { await removeShares(trx, [share]) })
  }

  private async setAcceptance (share: VaultShareRow, acceptance: string): Promise<VaultShareRow> {
    const now = new Date().toISOString()
    await this.store.updateTable('vault_shares').where('id', '=', share.id).set({ acceptance, updated_at: now }).execute()
    return { ...share, acceptance, updated_at: now }
  }

  private async viewOf (readerId: string, share: VaultShareRow): Promise<Share> {
    // shareViewsOf answers one view per share, in order: one share in, one view out
    return (await shareViewsOf(this.store, readerId, [share]))[0]!
  }
}
