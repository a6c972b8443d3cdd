// ListItems: the person's items without values, filtered and paged.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { itemReply } from '../../core/vault/item-reply.js'
import type { ListItemsMessageData, ListItemsResponseData } from './types.js'

export default defineJob<ListItemsMessageData, ListItemsResponseData>(async (context) => {
  const { template_name: templateName, own, label, next_page_after: after, per_page: perPage } = context.data
  const page = await context.services.vault.listItems(vaultOwnerOf(context), { template_name: templateName, own, label, next_page_after: after, per_page: perPage })
  return { code: 200, data: { items: page.items.map(itemReply), next_page_after: page.next_page_after } }
})
