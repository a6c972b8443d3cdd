// CreateOrganizationNode: owners and admins register a gateway device for the organization (token shown once).
import { defineJob } from '../../core/endo/job-definition.js'
import type { CreateOrganizationNodeMessageData, CreateOrganizationNodeResponseData } from './types.js'

export default defineJob<CreateOrganizationNodeMessageData, CreateOrganizationNodeResponseData>(async ({ data, parties, services }) => {
  return { code: 201, data: await services.organizations.nodes.create(parties, data.organization_id, data.name) }
})
