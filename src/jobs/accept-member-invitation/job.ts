// AcceptMemberInvitation: joins an organization; the person gets a member connection with its agent.
import { defineJob } from '../../core/endo/job-definition.js'
import type { AcceptMemberInvitationMessageData, AcceptMemberInvitationResponseData } from './types.js'

export default defineJob<AcceptMemberInvitationMessageData, AcceptMemberInvitationResponseData>(async ({ data, parties, credentials, services }) => {
  return { code: 201, data: await services.organizations.invitations.acceptMember(parties, credentials, { token: data.token, name: data.name }) }
})
