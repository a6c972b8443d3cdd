// ListRequestedOrganizations: platform admins see what waits for review.
import { defineJob } from '../../core/endo/job-definition.js'
import type { ListRequestedOrganizationsMessageData, ListRequestedOrganizationsResponseData } from './types.js'

export default defineJob<ListRequestedOrganizationsMessageData, ListRequestedOrganizationsResponseData>(async ({ parties, services }) => {
  return { data: { organizations: await services.organizations.organizations.listRequested(parties) } }
})
