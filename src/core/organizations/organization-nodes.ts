// Nodes and node items (the ACL's agid and oid, intercoop-auroral B5): a node is a gateway device on the
// bus owned by an organization; a node item is a bus device registered under a node. Owners and admins
// create and remove them; the device's token is shown once, in the creation reply. Any member lists them.
import type { JobParties } from '../job-context.js'
import type { OrganizationNodeItemRow, OrganizationNodeRow } from '../store/tables/organizations.js'
import { OWNER_OR_ADMIN, actingMember } from './organization-access.js'
import { nowIso, type OrganizationDeps } from './organization-deps.js'
import { OrganizationErrors } from './organization-errors.js'
import type { OrganizationNode, OrganizationNodeItem } from '../wire/schema-types.js'
import { nodeItemView, nodeView } from './organization-views.js'

export const NODE_DEVICE_TYPE = 'endo:organization-node'
export const NODE_ITEM_DEVICE_TYPE = 'endo:organization-node-item'

const list = (...uuids: string[]): Array<{ uuid: string }> => uuids.map(uuid => ({ uuid }))

export class OrganizationNodes {
  constructor (private readonly deps: OrganizationDeps) {}

  async create (parties: JobParties, organizationId: string, name: string): Promise<{ node: OrganizationNode, token: string }> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'creating nodes')
    const service = this.deps.serviceUuid
    const { device, token } = await this.deps.bus.register({
      type: NODE_DEVICE_TYPE,
      name,
      organization: { id: organizationId },
      meshblu: { version: '2.0.0', whitelists: { discover: { view: list(service) }, configure: { update: list(service) } } },
    })
    const row: OrganizationNodeRow = { uuid: device.uuid, organization_id: organizationId, name, created_by: parties.credentialsUuid, created_at: nowIso() }
    await this.deps.store.insertInto('organization_nodes').values(row).execute()
    return { node: nodeView(row, []), token }
  }

  async list (parties: JobParties, organizationId: string): Promise<OrganizationNode[]> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'listing nodes')
    const store = this.deps.store
    const nodes = await store.selectFrom('organization_nodes').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').execute()
    const items = await store.selectFrom('organization_node_items').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').execute()
    return nodes.map(node => nodeView(node, items.filter(item => item.node_uuid === node.uuid)))
  }

  async remove (parties: JobParties, organizationId: string, nodeUuid: string): Promise<void> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'removing nodes')
    await this.removeNode(await this.nodeOf(organizationId, nodeUuid))
  }

  /** A bus device under the node: the node may see, configure, message and act as it. */
  async createItem (parties: JobParties, organizationId: string, nodeUuid: string, name: string): Promise<{ item: OrganizationNodeItem, token: string }> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'creating node items')
    await this.nodeOf(organizationId, nodeUuid)
    const node = nodeUuid
    const service = this.deps.serviceUuid
    const { device, token } = await this.deps.bus.register({
      type: NODE_ITEM_DEVICE_TYPE,
      name,
      owner: node,
      organization: { id: organizationId },
      node: { uuid: node },
      meshblu: {
        version: '2.0.0',
        whitelists: {
          discover: { view: list(node, service), as: list(node) },
          configure: { update: list(node, service), as: list(node), sent: list(node) },
          message: { from: list(node), as: list(node), sent: list(node) },
          broadcast: { as: list(node), sent: list(node) },
        },
      },
    })
    const row: OrganizationNodeItemRow = { uuid: device.uuid, node_uuid: node, organization_id: organizationId, name, created_by: parties.credentialsUuid, created_at: nowIso() }
    await this.deps.store.insertInto('organization_node_items').values(row).execute()
    return { item: nodeItemView(row), token }
  }

  async removeItem (parties: JobParties, organizationId: string, itemUuid: string): Promise<void> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'removing node items')
    const item = await this.deps.store.selectFrom('organization_node_items').selectAll()
      .where('organization_id', '=', organizationId).where('uuid', '=', itemUuid).executeTakeFirst()
    if (item === undefined) throw OrganizationErrors.itemNotFound()
    await this.unregister(item.uuid)
    await this.deps.store.deleteFrom('organization_node_items').where('uuid', '=', item.uuid).execute()
    this.deps.events.emit('item.deleted', { organizationId, itemId: item.uuid })
  }

  /** Every node of a deleted organization, with its items. */
  async removeAllOf (organizationId: string): Promise<void> {
    const nodes = await this.deps.store.selectFrom('organization_nodes').selectAll().where('organization_id', '=', organizationId).execute()
    for (const node of nodes) await this.removeNode(node)
  }

  private async nodeOf (organizationId: string, nodeUuid: string): Promise<OrganizationNodeRow> {
    const node = await this.deps.store.selectFrom('organization_nodes').selectAll()
      .where('organization_id', '=', organizationId).where('uuid', '=', nodeUuid).executeTakeFirst()
    if (node === undefined) throw OrganizationErrors.nodeNotFound()
    return node
  }

  private async removeNode (node: OrganizationNodeRow): Promise<void> {
    const store = this.deps.store
    const items = await store.selectFrom('organization_node_items').select('uuid').where('node_uuid', '=', node.uuid).execute()
    for (const item of items) await this.unregister(item.uuid)
    await this.unregister(node.uuid)
    await store.deleteFrom('organization_nodes').where('uuid', '=', node.uuid).execute()
    for (const item of items) this.deps.events.emit('item.deleted', { organizationId: node.organization_id, itemId: item.uuid })
    this.deps.events.emit('node.deleted', { organizationId: node.organization_id, nodeUuid: node.uuid })
  }

  private async unregister (uuid: string): Promise<void> {
    if (await this.deps.bus.registry.get(uuid) !== undefined) await this.deps.bus.unregister({ uuid: this.deps.serviceUuid }, uuid)
  }
}
