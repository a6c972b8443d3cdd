// Making a share (meeco-vault §5, ShareService.shareItem): a fresh share DEK re-encrypts the chosen slots
// (values and verification keys; the owner's hashes travel unchanged), is wrapped to the recipient's connection
// public key, and the recipient gets a copy of the item in their vault (own = false, share_id set).
import { randomUUID } from 'node:crypto'
import type { Store } from '../../store/database.js'
import type { VaultConnectionRow, VaultItemRow, VaultShareRow, VaultSlotRow } from '../../store/tables/vault.js'
import { insertItem, newSlotRow } from '../item-rows.js'
import { resealSlotValue, type OpenSlotValue } from '../slot-crypto.js'
import { VaultErrors } from '../vault-errors.js'
import { futureTime } from './invitations.js'
import { Acceptance } from './share-access.js'
import { newShareKey, wrapShareKey } from './share-keys.js'

export interface ShareInput {
  connection_id: string
  slot_name?: string
  terms?: string
  expires_at?: string
  onsharing_permitted?: boolean
  acceptance_required?: boolean
}

/** A slot as the sender can read it, with the owner's slot id and hash it descends from. */
export interface SourceSlot {
  row: VaultSlotRow
  open: OpenSlotValue | null
  originalSlotId: string
  hash: string | null
}

/** What is being shared: the sender's item (own, or a received copy for an on-share) and its open slots. */
export interface ShareSource {
  ownerId: string
  originalItemId: string
  senderItem: VaultItemRow
  parentShare: VaultShareRow | null
  slots: SourceSlot[]
}

export async function createShare (store: Store, senderId: string, source: ShareSource, connection: VaultConnectionRow, input: ShareInput): Promise<VaultShareRow> {
  const recipientId = connection.other_user_id
  if (recipientId === source.ownerId) throw VaultErrors.recipientOwnsItem()
  const existing = await store.selectFrom('vault_shares').select('id').where('item_id', '=', source.originalItemId)
    .where('recipient_id', '=', recipientId).where('acceptance', '!=', Acceptance.rejected).executeTakeFirst()
  if (existing !== undefined) throw VaultErrors.alreadyShared()
  const chosen = input.slot_name === undefined ? source.slots : source.slots.filter(slot => slot.row.name === input.slot_name)
  const slotId = input.slot_name === undefined ? null : chosen[0]?.originalSlotId
  if (slotId === undefined) throw VaultErrors.slotNotFound()

  const shareKey = newShareKey()
  const now = new Date().toISOString()
  const shareId = randomUUID()
  const copy: VaultItemRow = {
    id: randomUUID(), owner_id: recipientId, template_name: source.senderItem.template_name, name: source.senderItem.name, label: source.senderItem.label,
    own: 0, share_id: shareId, original_id: source.originalItemId, shares_outdated: 0, created_at: now, updated_at: now,
  }
  const copySlots = chosen.map(slot => copySlotOf(shareKey, copy, slot, now))
  const requiresAcceptance = input.acceptance_required ?? (input.terms !== undefined && input.terms !== '')
  const share: VaultShareRow = {
    id: shareId, owner_id: source.ownerId, sender_id: senderId, recipient_id: recipientId,
    item_id: source.originalItemId, sender_item_id: source.senderItem.id,
    slot_id: slotId, slot_name: input.slot_name ?? null,
    parent_share_id: source.parentShare?.id ?? null,
    connection_id: connection.id, recipient_connection_id: connection.other_connection_id,
    public_key: connection.other_public_key, keypair_id: connection.other_keypair_id,
    encrypted_dek: wrapShareKey(connection.other_public_key, shareKey),
    acceptance: requiresAcceptance ? Acceptance.required : Acceptance.notRequired,
    terms: input.terms ?? null,
    // meeco-vault §5: only the owner may permit on-sharing; an on-share is never on-shared again.
    onsharing_permitted: source.parentShare === null && input.onsharing_permitted === true ? 1 : 0,
    expires_at: expiryOf(input.expires_at, source.parentShare),
    received_item_id: copy.id, created_at: now, updated_at: now,
  }
  await store.transaction().execute(async trx => {
    await trx.insertInto('vault_shares').values(share).execute()
    await insertItem(trx, copy, copySlots)
  })
  return share
}

export function copySlotOf (shareKey: Buffer, copy: Pick<VaultItemRow, 'id' | 'owner_id'>, slot: SourceSlot, now: string): VaultSlotRow {
  return newSlotRow({
    item_id: copy.id, owner_id: copy.owner_id, name: slot.row.name, label: slot.row.label, slot_type_name: slot.row.slot_type_name, ordinal: slot.row.ordinal,
    ...(slot.open === null ? {} : resealSlotValue(shareKey, slot.open)),
    value_verification_hash: slot.open === null ? null : slot.hash,
    original_id: slot.originalSlotId,
  }, now)
}

/** An on-share never outlives the share it came from. */
function expiryOf (requested: string | undefined, parent: VaultShareRow | null): string | null {
  const expiresAt = futureTime(requested)
  if (parent?.expires_at == null) return expiresAt
  return expiresAt === null || expiresAt > parent.expires_at ? parent.expires_at : expiresAt
}
