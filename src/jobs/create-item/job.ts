// CreateItem: an item from a template, its values encrypted with the person's DEK.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { itemReply } from '../../core/vault/item-reply.js'
import type { CreateItemMessageData, CreateItemResponseData } from './types.js'

export default defineJob<CreateItemMessageData, CreateItemResponseData>(async (context) => {
  const { template_name: templateName, label, slots } = context.data
  const item = await context.services.vault.items.create(vaultOwnerOf(context), { template_name: templateName, label, slots })
  return { code: 201, data: { item: itemReply(item) } }
})
