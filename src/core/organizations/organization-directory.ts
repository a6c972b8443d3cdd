// The read API other domains use (the ACL of issue 8): does an organization exist, what role does a
// person hold in it, which nodes and items belong to it. Read-only; no access checks (callers decide).
// - organization: validated organizations only (requested or rejected ones do not exist yet);
// - node (agid): a gateway device on the bus created with CreateOrganizationNode;
// - item (oid): a bus device created under a node with CreateOrganizationNodeItem, or a vault item owned
//   by the organization's agent or by one of its services' agents (own items, not received copies).
import type { MemberRole } from '../store/tables/organizations.js'
import type { OrganizationDeps } from './organization-deps.js'

export interface DirectoryNode { uuid: string, organizationId: string, name: string }

export interface DirectoryItem {
  id: string
  kind: 'device' | 'vault-item'
  organizationId: string
  /** The node a device item sits under; null for vault items. */
  nodeUuid: string | null
  /** Credentials uuid of the member who created a device item; null for vault items (the agent owns them). */
  createdBy: string | null
}

export class OrganizationDirectory {
  constructor (private readonly deps: Pick<OrganizationDeps, 'store'>) {}

  async organizationExists (id: string): Promise<boolean> {
    const row = await this.deps.store.selectFrom('organizations').select('id').where('id', '=', id).where('status', '=', 'validated').executeTakeFirst()
    return row !== undefined
  }

  /** The person's role; `credentialsUuid` is their credentials device (JobParties.credentialsUuid). */
  async roleOf (organizationId: string, credentialsUuid: string): Promise<MemberRole | undefined> {
    const row = await this.deps.store.selectFrom('organization_members').select('role')
      .where('organization_id', '=', organizationId).where('credentials_uuid', '=', credentialsUuid).executeTakeFirst()
    return row?.role
  }

  async nodeOf (uuid: string): Promise<DirectoryNode | undefined> {
    const row = await this.deps.store.selectFrom('organization_nodes').selectAll().where('uuid', '=', uuid).executeTakeFirst()
    return row === undefined ? undefined : { uuid: row.uuid, organizationId: row.organization_id, name: row.name }
  }

  async nodesOf (organizationId: string): Promise<DirectoryNode[]> {
    const rows = await this.deps.store.selectFrom('organization_nodes').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').execute()
    return rows.map(row => ({ uuid: row.uuid, organizationId: row.organization_id, name: row.name }))
  }

  /** A node item device or an organization-owned vault item, by id. */
  async itemOf (id: string): Promise<DirectoryItem | undefined> {
    const store = this.deps.store
    const device = await store.selectFrom('organization_node_items').selectAll().where('uuid', '=', id).executeTakeFirst()
    if (device !== undefined) return { id, kind: 'device', organizationId: device.organization_id, nodeUuid: device.node_uuid, createdBy: device.created_by }
    const item = await store.selectFrom('vault_items').select('owner_id').where('id', '=', id).where('own', '=', 1).executeTakeFirst()
    if (item === undefined) return undefined
    const organizationId = await this.organizationOfAgent(item.owner_id)
    return organizationId === undefined ? undefined : { id, kind: 'vault-item', organizationId, nodeUuid: null, createdBy: null }
  }

  /** Every item of an organization: node item devices, then its agents' own vault items. */
  async itemsOf (organizationId: string): Promise<DirectoryItem[]> {
    const store = this.deps.store
    const devices = await store.selectFrom('organization_node_items').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').execute()
    const agents = await this.agentsOf(organizationId)
    const vaultItems = agents.length === 0
      ? []
      : await store.selectFrom('vault_items').select('id').where('owner_id', 'in', agents).where('own', '=', 1).orderBy('created_at').execute()
    return [
      ...devices.map(d => ({ id: d.uuid, kind: 'device' as const, organizationId, nodeUuid: d.node_uuid, createdBy: d.created_by })),
      ...vaultItems.map(v => ({ id: v.id, kind: 'vault-item' as const, organizationId, nodeUuid: null, createdBy: null })),
    ]
  }

  /** The organization an agent (credentials uuid) acts for: its own agent or one of its services'. */
  async organizationOfAgent (agentUuid: string): Promise<string | undefined> {
    const store = this.deps.store
    const organization = await store.selectFrom('organizations').select('id').where('agent_uuid', '=', agentUuid).executeTakeFirst()
    if (organization !== undefined) return organization.id
    const service = await store.selectFrom('organization_services').select('organization_id').where('agent_uuid', '=', agentUuid).executeTakeFirst()
    return service?.organization_id
  }

  private async agentsOf (organizationId: string): Promise<string[]> {
    const store = this.deps.store
    const organization = await store.selectFrom('organizations').select('agent_uuid').where('id', '=', organizationId).executeTakeFirst()
    const services = await store.selectFrom('organization_services').select('agent_uuid').where('organization_id', '=', organizationId).execute()
    return [organization?.agent_uuid, ...services.map(s => s.agent_uuid)].filter((uuid): uuid is string => typeof uuid === 'string')
  }
}
