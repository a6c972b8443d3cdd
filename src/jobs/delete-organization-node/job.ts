// DeleteOrganizationNode: owners and admins unregister a node and its items.
import { defineJob } from '../../core/endo/job-definition.js'
import type { DeleteOrganizationNodeMessageData, DeleteOrganizationNodeResponseData } from './types.js'

export default defineJob<DeleteOrganizationNodeMessageData, DeleteOrganizationNodeResponseData>(async ({ data, parties, services }) => {
  await services.organizations.nodes.remove(parties, data.organization_id, data.node_uuid)
  return { data: { organization_id: data.organization_id, node_uuid: data.node_uuid, deleted: true } }
})
