// GetItem: one item decrypted (a received one verified against its owner's hashes).
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { itemReply } from '../../core/vault/item-reply.js'
import type { GetItemMessageData, GetItemResponseData } from './types.js'

export default defineJob<GetItemMessageData, GetItemResponseData>(async (context) => {
  const item = await context.services.vault.items.get(vaultOwnerOf(context), context.data.item_id)
  return { code: 200, data: { item: itemReply(item) } }
})
