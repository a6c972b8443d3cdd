// GetIncomingShare: a received share with its item decrypted and verified (403 before a required acceptance).
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { itemReply } from '../../core/vault/item-reply.js'
import { shareReply } from '../../core/vault/shares/share-replies.js'
import type { GetIncomingShareMessageData, GetIncomingShareResponseData } from './types.js'

export default defineJob<GetIncomingShareMessageData, GetIncomingShareResponseData>(async (context) => {
  const { share, item } = await context.services.vault.shares.readIncoming(vaultOwnerOf(context), context.data.share_id)
  return { code: 200, data: { share: shareReply(share), item: itemReply(item) } }
})
