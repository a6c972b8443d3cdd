// AcceptShare: the recipient accepts a share (and its terms).
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { shareReply } from '../../core/vault/shares/share-replies.js'
import type { AcceptShareMessageData, AcceptShareResponseData } from './types.js'

export default defineJob<AcceptShareMessageData, AcceptShareResponseData>(async (context) => {
  const share = await context.services.vault.shares.accept(vaultOwnerOf(context), context.data.share_id)
  return { code: 200, data: { share: shareReply(share) } }
})
