// OnShareItem: a recipient passes on a received item where its owner permitted on-sharing (else 403).
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { shareReply } from '../../core/vault/shares/share-replies.js'
import type { OnShareItemMessageData, OnShareItemResponseData } from './types.js'

export default defineJob<OnShareItemMessageData, OnShareItemResponseData>(async (context) => {
  const { share_id: shareId, ...options } = context.data
  const share = await context.services.vault.shares.onShare(vaultOwnerOf(context), shareId, options)
  return { code: 201, data: { share: shareReply(share) } }
})
