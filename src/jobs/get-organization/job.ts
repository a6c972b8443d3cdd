// GetOrganization: a validated organization, or a requested one to its requester and platform admins.
import { defineJob } from '../../core/endo/job-definition.js'
import type { GetOrganizationMessageData, GetOrganizationResponseData } from './types.js'

export default defineJob<GetOrganizationMessageData, GetOrganizationResponseData>(async ({ data, parties, services }) => {
  return { data: { organization: await services.organizations.organizations.get(parties, data.organization_id) } }
})
