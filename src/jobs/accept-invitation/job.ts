// AcceptInvitation: both sides get a connection record; the acceptor a fresh key pair.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { connectionReply } from '../../core/vault/shares/share-replies.js'
import type { AcceptInvitationMessageData, AcceptInvitationResponseData } from './types.js'

export default defineJob<AcceptInvitationMessageData, AcceptInvitationResponseData>(async (context) => {
  const { connection, existedAlready } = await context.services.vault.connections.accept(vaultOwnerOf(context), { token: context.data.token, name: context.data.name })
  return { code: existedAlready ? 200 : 201, data: { connection: connectionReply(connection), connection_existed_already: existedAlready } }
})
