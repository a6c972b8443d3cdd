// ListOrganizations: validated ones (default), the caller's requests, or where the caller is a member.
import { defineJob } from '../../core/endo/job-definition.js'
import type { ListOrganizationsMessageData, ListOrganizationsResponseData } from './types.js'

export default defineJob<ListOrganizationsMessageData, ListOrganizationsResponseData>(async ({ data, parties, services }) => {
  return { data: { organizations: await services.organizations.organizations.list(parties, data.mode) } }
})
