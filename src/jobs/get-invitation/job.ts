// GetInvitation: the invitation behind a token (410 when used, cancelled or expired).
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { invitationReply } from '../../core/vault/shares/share-replies.js'
import type { GetInvitationMessageData, GetInvitationResponseData } from './types.js'

export default defineJob<GetInvitationMessageData, GetInvitationResponseData>(async (context) => {
  const invitation = await context.services.vault.invitations.read(vaultOwnerOf(context), context.data.token)
  return { code: 200, data: { invitation: invitationReply(invitation) } }
})
