// ShareItem: the owner shares an item (or one slot) over a connection.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { shareReply } from '../../core/vault/shares/share-replies.js'
import type { ShareItemMessageData, ShareItemResponseData } from './types.js'

export default defineJob<ShareItemMessageData, ShareItemResponseData>(async (context) => {
  const { item_id: itemId, ...options } = context.data
  const share = await context.services.vault.shares.shareItem(vaultOwnerOf(context), itemId, options)
  return { code: 201, data: { share: shareReply(share) } }
})
