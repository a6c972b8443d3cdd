// CreateInvitation: a fresh connection key pair and a one-time token to pass on out of band.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { invitationReply } from '../../core/vault/shares/share-replies.js'
import type { CreateInvitationMessageData, CreateInvitationResponseData } from './types.js'

export default defineJob<CreateInvitationMessageData, CreateInvitationResponseData>(async (context) => {
  const { name, expires_at: expiresAt } = context.data
  const { invitation, token } = await context.services.vault.invitations.create(vaultOwnerOf(context), { name, expires_at: expiresAt })
  return { code: 201, data: { invitation: invitationReply(invitation), token } }
})
