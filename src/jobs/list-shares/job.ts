// ListShares: incoming (received) or outgoing (made) shares.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { shareReply } from '../../core/vault/shares/share-replies.js'
import type { ListSharesMessageData, ListSharesResponseData } from './types.js'

export default defineJob<ListSharesMessageData, ListSharesResponseData>(async (context) => {
  const shares = await context.services.vault.shares.list(vaultOwnerOf(context), context.data.direction ?? 'incoming')
  return { code: 200, data: { shares: shares.map(shareReply) } }
})
