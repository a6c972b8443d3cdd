// CancelInvitation: the person's own unused invitation stops working.
import { defineJob } from '../../core/endo/job-definition.js'
import { vaultOwnerOf } from '../../core/vault/vault-keys.js'
import { invitationReply } from '../../core/vault/shares/share-replies.js'
import type { CancelInvitationMessageData, CancelInvitationResponseData } from './types.js'

export default defineJob<CancelInvitationMessageData, CancelInvitationResponseData>(async (context) => {
  const invitation = await context.services.vault.invitations.cancel(vaultOwnerOf(context), context.data.invitation_id)
  return { code: 200, data: { invitation: invitationReply(invitation) } }
})
