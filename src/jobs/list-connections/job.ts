// ListConnections: the person's connections with the names they gave them.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { connectionReply } from '../../core/vault/shares/share-replies.js'
import type { ListConnectionsMessageData, ListConnectionsResponseData } from './types.js'

export default defineJob<ListConnectionsMessageData, ListConnectionsResponseData>(async (context) => {
  const connections = await context.services.vault.connections.list(vaultOwnerOf(context))
  return { code: 200, data: { connections: connections.map(connectionReply) } }
})
