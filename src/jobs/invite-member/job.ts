// InviteMember: owners have the organization agent invite a person with a role; the token is shown once.
import { defineJob } from '../../core/endo/job-definition.js'
import type { InviteMemberMessageData, InviteMemberResponseData } from './types.js'

export default defineJob<InviteMemberMessageData, InviteMemberResponseData>(async ({ data, parties, services }) => {
  const invitation = await services.organizations.invitations.inviteMember(parties, data.organization_id, { role: data.role, name: data.name, expiresInDays: data.expires_in_days })
  return { code: 201, data: { invitation: { id: invitation.id, token: invitation.token, organization_id: data.organization_id, role: invitation.role, expires_at: invitation.expires_at } } }
})
