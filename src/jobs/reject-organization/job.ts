// RejectOrganization: platform admins reject a requested organization.
import { defineJob } from '../../core/endo/job-definition.js'
import type { RejectOrganizationMessageData, RejectOrganizationResponseData } from './types.js'

export default defineJob<RejectOrganizationMessageData, RejectOrganizationResponseData>(async ({ data, parties, services }) => {
  return { data: { organization: await services.organizations.organizations.reject(parties, data.organization_id) } }
})
