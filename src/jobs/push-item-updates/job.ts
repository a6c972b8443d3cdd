// PushItemUpdates: the owner's current values to every share of the item, under one fresh share DEK.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import type { PushItemUpdatesMessageData, PushItemUpdatesResponseData } from './types.js'

export default defineJob<PushItemUpdatesMessageData, PushItemUpdatesResponseData>(async (context) => {
  const { pushed } = await context.services.vault.pushItemUpdates(vaultOwnerOf(context), context.data.item_id)
  return { code: 200, data: { item_id: context.data.item_id, pushed } }
})
