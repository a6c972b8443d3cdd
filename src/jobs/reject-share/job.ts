// RejectShare: the recipient rejects a share; its copy is removed.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { shareReply } from '../../core/vault/shares/share-replies.js'
import type { RejectShareMessageData, RejectShareResponseData } from './types.js'

export default defineJob<RejectShareMessageData, RejectShareResponseData>(async (context) => {
  const share = await context.services.vault.shares.reject(vaultOwnerOf(context), context.data.share_id)
  return { code: 200, data: { share: shareReply(share) } }
})
