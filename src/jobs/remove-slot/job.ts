// RemoveSlot: removes a slot of the person's own item.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import type { RemoveSlotMessageData, RemoveSlotResponseData } from './types.js'

export default defineJob<RemoveSlotMessageData, RemoveSlotResponseData>(async (context) => {
  const result = await context.services.vault.items.removeSlot(vaultOwnerOf(context), context.data.slot_id)
  return { code: 200, data: { item_id: result.itemId, outstanding_share_updates: result.outstandingShareUpdates } }
})
