// UpdateOrganizationService: owners and admins change a service while it is requested.
import { defineJob } from '../../core/endo/job-definition.js'
import type { UpdateOrganizationServiceMessageData, UpdateOrganizationServiceResponseData } from './types.js'

export default defineJob<UpdateOrganizationServiceMessageData, UpdateOrganizationServiceResponseData>(async ({ data, parties, services }) => {
  const { organization_id: organizationId, service_id: serviceId, ...changes } = data
  return { data: { service: await services.organizations.services.update(parties, organizationId, serviceId, changes) } }
})
