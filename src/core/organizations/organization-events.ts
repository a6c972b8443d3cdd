// Events the organizations domain emits when something another domain may reference goes away
// (the ACL removes deleted organizations, nodes and items from every API token that names them).
import { EventEmitter } from 'node:events'

export interface OrganizationEventMap {
  'organization.deleted': [{ organizationId: string }]
  'node.deleted': [{ organizationId: string, nodeUuid: string }]
  'item.deleted': [{ organizationId: string, itemId: string }]
}

export class OrganizationEvents extends EventEmitter<OrganizationEventMap> {}
