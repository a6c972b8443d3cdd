// What a resource id names, from the organizations directory: a node (agid), an item (oid: a node item
// device or an organization-owned vault item) or an organization (cid); undefined when it names nothing.
import type { OrganizationDirectory } from '../organizations/organization-directory.js'
import type { AclTarget } from './acl-decision.js'

export async function targetOf (directory: Pick<OrganizationDirectory, 'nodeOf' | 'itemOf' | 'organizationExists'>, id: string): Promise<AclTarget | undefined> {
  const node = await directory.nodeOf(id)
  if (node !== undefined) return { id, kind: 'node', organizationId: node.organizationId, nodeUuid: node.uuid }
  const item = await directory.itemOf(id)
  if (item !== undefined) return { id, kind: item.kind === 'device' ? 'device-item' : 'vault-item', organizationId: item.organizationId, nodeUuid: item.nodeUuid }
  if (await directory.organizationExists(id)) return { id, kind: 'organization', organizationId: id, nodeUuid: null }
  return undefined
}
