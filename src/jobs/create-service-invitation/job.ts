// CreateServiceInvitation: owners and admins have a validated service's agent invite a person.
import { defineJob } from '../../core/endo/job-definition.js'
import type { CreateServiceInvitationMessageData, CreateServiceInvitationResponseData } from './types.js'

export default defineJob<CreateServiceInvitationMessageData, CreateServiceInvitationResponseData>(async ({ data, parties, services }) => {
  const invitation = await services.organizations.invitations.inviteToService(parties, data.organization_id, data.service_id, { name: data.name, expiresInDays: data.expires_in_days })
  return { code: 201, data: { invitation: { ...invitation, organization_id: data.organization_id, service_id: data.service_id } } }
})
