// ListOrganizationServices: members see validated services (default) or requested ones.
import { defineJob } from '../../core/endo/job-definition.js'
import type { ListOrganizationServicesMessageData, ListOrganizationServicesResponseData } from './types.js'

export default defineJob<ListOrganizationServicesMessageData, ListOrganizationServicesResponseData>(async ({ data, parties, services }) => {
  return { data: { services: await services.organizations.services.list(parties, data.organization_id, data.status) } }
})
