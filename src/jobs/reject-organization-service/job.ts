// RejectOrganizationService: platform admins reject a requested service.
import { defineJob } from '../../core/endo/job-definition.js'
import type { RejectOrganizationServiceMessageData, RejectOrganizationServiceResponseData } from './types.js'

export default defineJob<RejectOrganizationServiceMessageData, RejectOrganizationServiceResponseData>(async ({ data, parties, services }) => {
  return { data: { service: await services.organizations.services.reject(parties, data.organization_id, data.service_id) } }
})
