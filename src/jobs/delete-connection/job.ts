// DeleteConnection: ends the connection for both sides with the shares made over it.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import type { DeleteConnectionMessageData, DeleteConnectionResponseData } from './types.js'

export default defineJob<DeleteConnectionMessageData, DeleteConnectionResponseData>(async (context) => {
  await context.services.vault.connections.delete(vaultOwnerOf(context), context.data.connection_id)
  return { code: 200, data: { connection_id: context.data.connection_id, deleted: true } }
})
