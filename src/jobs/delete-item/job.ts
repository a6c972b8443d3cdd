// DeleteItem: an own item with all its shares, or a received copy with its share.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import type { DeleteItemMessageData, DeleteItemResponseData } from './types.js'

export default defineJob<DeleteItemMessageData, DeleteItemResponseData>(async (context) => {
  await context.services.vault.items.delete(vaultOwnerOf(context), context.data.item_id)
  return { code: 200, data: { item_id: context.data.item_id, deleted: true } }
})
