// DeleteShare: its sender, recipient or the item's owner deletes a share, with the copy and its on-shares.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import type { DeleteShareMessageData, DeleteShareResponseData } from './types.js'

export default defineJob<DeleteShareMessageData, DeleteShareResponseData>(async (context) => {
  await context.services.vault.shares.delete(vaultOwnerOf(context), context.data.share_id)
  return { code: 200, data: { share_id: context.data.share_id, deleted: true } }
})
