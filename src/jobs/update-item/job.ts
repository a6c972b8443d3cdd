// UpdateItem: sets, adds and removes slots of the person's own item; shares wait for PushItemUpdates.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { itemReply } from '../../core/vault/item-reply.js'
import type { UpdateItemMessageData, UpdateItemResponseData } from './types.js'

export default defineJob<UpdateItemMessageData, UpdateItemResponseData>(async (context) => {
  const { item_id: itemId, label, slots } = context.data
  const change = await context.services.vault.items.update(vaultOwnerOf(context), { item_id: itemId, label, slots })
  return { code: 200, data: { item: itemReply(change.item), outstanding_share_updates: change.outstandingShareUpdates } }
})
