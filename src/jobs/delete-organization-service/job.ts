// DeleteOrganizationService: owners and admins remove a service and its agent.
import { defineJob } from '../../core/endo/job-definition.js'
import type { DeleteOrganizationServiceMessageData, DeleteOrganizationServiceResponseData } from './types.js'

export default defineJob<DeleteOrganizationServiceMessageData, DeleteOrganizationServiceResponseData>(async ({ data, parties, services }) => {
  await services.organizations.services.remove(parties, data.organization_id, data.service_id)
  return { data: { organization_id: data.organization_id, service_id: data.service_id, deleted: true } }
})
