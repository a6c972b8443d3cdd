// GetOrganizationService: members read a validated service (404 before validation).
import { defineJob } from '../../core/endo/job-definition.js'
import type { GetOrganizationServiceMessageData, GetOrganizationServiceResponseData } from './types.js'

export default defineJob<GetOrganizationServiceMessageData, GetOrganizationServiceResponseData>(async ({ data, parties, services }) => {
  return { data: { service: await services.organizations.services.get(parties, data.organization_id, data.service_id) } }
})
