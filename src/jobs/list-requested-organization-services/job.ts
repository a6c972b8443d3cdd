// ListRequestedOrganizationServices: platform admins see services waiting for review.
import { defineJob } from '../../core/endo/job-definition.js'
import type { ListRequestedOrganizationServicesMessageData, ListRequestedOrganizationServicesResponseData } from './types.js'

export default defineJob<ListRequestedOrganizationServicesMessageData, ListRequestedOrganizationServicesResponseData>(async ({ parties, services }) => {
  return { data: { services: await services.organizations.services.listRequested(parties) } }
})
