// DeleteOrganization: removes an organization with its agents, services, members, nodes and node items.
import { defineJob } from '../../core/endo/job-definition.js'
import type { DeleteOrganizationMessageData, DeleteOrganizationResponseData } from './types.js'

export default defineJob<DeleteOrganizationMessageData, DeleteOrganizationResponseData>(async ({ data, parties, services }) => {
  await services.organizations.organizations.remove(parties, data.organization_id)
  return { data: { organization_id: data.organization_id, deleted: true } }
})
