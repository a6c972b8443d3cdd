// DeleteOrganizationNodeItem: owners and admins unregister a node item device.
import { defineJob } from '../../core/endo/job-definition.js'
import type { DeleteOrganizationNodeItemMessageData, DeleteOrganizationNodeItemResponseData } from './types.js'

export default defineJob<DeleteOrganizationNodeItemMessageData, DeleteOrganizationNodeItemResponseData>(async ({ data, parties, services }) => {
  await services.organizations.nodes.removeItem(parties, data.organization_id, data.item_uuid)
  return { data: { organization_id: data.organization_id, item_uuid: data.item_uuid, deleted: true } }
})
