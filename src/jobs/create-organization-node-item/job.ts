// CreateOrganizationNodeItem: owners and admins register a device under a node (token shown once).
import { defineJob } from '../../core/endo/job-definition.js'
import type { CreateOrganizationNodeItemMessageData, CreateOrganizationNodeItemResponseData } from './types.js'

export default defineJob<CreateOrganizationNodeItemMessageData, CreateOrganizationNodeItemResponseData>(async ({ data, parties, services }) => {
  return { code: 201, data: await services.organizations.nodes.createItem(parties, data.organization_id, data.node_uuid, data.name) }
})
