// ListOrganizationNodes: members see the nodes and their items.
import { defineJob } from '../../core/endo/job-definition.js'
import type { ListOrganizationNodesMessageData, ListOrganizationNodesResponseData } from './types.js'

export default defineJob<ListOrganizationNodesMessageData, ListOrganizationNodesResponseData>(async ({ data, parties, services }) => {
  return { data: { nodes: await services.organizations.nodes.list(parties, data.organization_id) } }
})
