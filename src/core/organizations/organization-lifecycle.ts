// Organizations from request to removal (meeco-vault §6): a person requests one (status requested,
// visible only to them and platform admins), may change or delete it while requested; a platform admin
// validates it (creating its agent; the requester becomes its first owner) or rejects it.
import { randomUUID } from 'node:crypto'
import type { JobParties } from '../job-context.js'
import type { OrganizationRow } from '../store/tables/organizations.js'
import { OWNER, actingMember, findMember, visibleOrganization } from './organization-access.js'
import type { OrganizationAgents } from './organization-agents.js'
import { nowIso, type OrganizationDeps } from './organization-deps.js'
import { OrganizationErrors } from './organization-errors.js'
import type { OrganizationNodes } from './organization-nodes.js'
import { assertPlatformAdmin } from './platform-admins.js'
import type { Organization } from '../wire/schema-types.js'
import { organizationView } from './organization-views.js'

export interface OrganizationFields {
  name: string
  description?: string | null
  url?: string | null
  email?: string | null
}

export type OrganizationListMode = 'validated' | 'requested' | 'member'

export class OrganizationLifecycle {
  constructor (
    private readonly deps: OrganizationDeps,
    private readonly agents: OrganizationAgents,
    private readonly nodes: OrganizationNodes
  ) {}

  async create (parties: JobParties, fields: OrganizationFields, requestorName: string | null = null): Promise<Organization> {
    const now = nowIso()
    const row: OrganizationRow = {
      id: randomUUID(),
      name: fields.name,
      description: fields.description ?? null,
      url: fields.url ?? null,
      email: fields.email ?? null,
      status: 'requested',
      requestor_uuid: parties.credentialsUuid,
      requestor_name: requestorName,
      reviewed_by: null,
      reviewed_at: null,
      agent_uuid: null,
      agent_device_uuid: null,
      agent_public_key: null,
      created_at: now,
      updated_at: now,
    }
    await this.deps.store.insertInto('organizations').values(row).execute()
    return organizationView(row)
  }

  /** Its requester while it is requested (or rejected); an owner once validated. */
  private async changeable (parties: JobParties, id: string): Promise<OrganizationRow> {
    const organization = await visibleOrganization(this.deps, id, parties)
    if (organization.status === 'validated') return (await actingMember(this.deps, id, parties, OWNER, 'changing an organization')).organization
    if (organization.requestor_uuid !== parties.credentialsUuid) throw OrganizationErrors.requesterOnly()
    return organization
  }

  async update (parties: JobParties, id: string, changes: Partial<OrganizationFields>): Promise<Organization> {
    const organization = await this.changeable(parties, id)
    const next: OrganizationRow = { ...organization, updated_at: nowIso() }
    for (const key of ['name', 'description', 'url', 'email'] as const) {
      if (changes[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = changes[key]
    }
    const { name, description, url, email, updated_at: updatedAt } = next
    await this.deps.store.updateTable('organizations').set({ name, description, url, email, updated_at: updatedAt }).where('id', '=', id).execute()
    return organizationView(next, (await findMember(this.deps.store, id, parties.credentialsUuid))?.role)
  }

  /** Removes the organization, its agents, services, members, nodes and node items. */
  async remove (parties: JobParties, id: string): Promise<void> {
    const organization = await this.changeable(parties, id)
    const services = await this.deps.store.selectFrom('organization_services').select(['agent_uuid', 'agent_device_uuid']).where('organization_id', '=', id).execute()
    await this.nodes.removeAllOf(id)
    for (const agent of [...services, { agent_uuid: organization.agent_uuid, agent_device_uuid: organization.agent_device_uuid }]) {
      await this.agents.remove({ agentUuid: agent.agent_uuid, agentDeviceUuid: agent.agent_device_uuid }, id)
    }
    await this.deps.store.deleteFrom('organizations').where('id', '=', id).execute()
    this.deps.events.emit('organization.deleted', { organizationId: id })
  }

  /** validated (default): every validated organization; requested: the caller's own requests; member: where the caller is a member. */
  async list (parties: JobParties, mode: OrganizationListMode = 'validated'): Promise<Organization[]> {
    const store = this.deps.store
    if (mode === 'member') {
      const rows = await store.selectFrom('organizations')
        .innerJoin('organization_members', 'organization_members.organization_id', 'organizations.id')
        .selectAll('organizations').select('organization_members.role as member_role')
        .where('organization_members.credentials_uuid', '=', parties.credentialsUuid)
        .orderBy('organizations.created_at').execute()
      return rows.map(({ member_role: role, ...row }) => organizationView(row, role))
    }
    let query = store.selectFrom('organizations').selectAll().where('status', '=', mode)
    if (mode === 'requested') query = query.where('requestor_uuid', '=', parties.credentialsUuid)
    return (await query.orderBy('created_at').execute()).map(row => organizationView(row))
  }

  async get (parties: JobParties, id: string): Promise<Organization> {
    const organization = await visibleOrganization(this.deps, id, parties)
    return organizationView(organization, (await findMember(this.deps.store, id, parties.credentialsUuid))?.role)
  }

  async listRequested (parties: JobParties): Promise<Organization[]> {
    assertPlatformAdmin(this.deps.config, parties, 'list requested organizations')
    const rows = await this.deps.store.selectFrom('organizations').selectAll().where('status', '=', 'requested').orderBy('created_at').execute()
    return rows.map(row => organizationView(row))
  }

  /** Platform admins only: creates the organization agent; the requester becomes the first owner. */
  async validate (parties: JobParties, id: string): Promise<{ organization: Organization, publicKeyPem: string }> {
    assertPlatformAdmin(this.deps.config, parties, 'validate organizations')
    const organization = await this.requested(parties, id)
    const agent = await this.agents.create({ kind: 'organization_agent', organizationId: id, name: organization.name })
    const now = nowIso()
    const claimed = await this.deps.store.transaction().execute(async trx => {
      const result = await trx.updateTable('organizations').set({
        status: 'validated', reviewed_by: parties.credentialsUuid, reviewed_at: now, updated_at: now,
        agent_uuid: agent.agentUuid, agent_device_uuid: agent.agentDeviceUuid, agent_public_key: agent.publicKeyPem,
      }).where('id', '=', id).where('status', '=', 'requested').executeTakeFirst()
      if (result.numUpdatedRows === 0n) return false
      await trx.insertInto('organization_members').values({
        id: randomUUID(), organization_id: id, credentials_uuid: organization.requestor_uuid, role: 'owner', name: organization.requestor_name,
        connection_id: null, created_at: now, updated_at: now,
      }).execute()
      return true
    })
    if (!claimed) {
      await this.agents.remove(agent, id)
      throw OrganizationErrors.alreadyReviewed('organization', id, 'validated')
    }
    const validated: OrganizationRow = { ...organization, status: 'validated', reviewed_at: now, updated_at: now }
    return { organization: organizationView(validated), publicKeyPem: agent.publicKeyPem }
  }

  async reject (parties: JobParties, id: string): Promise<Organization> {
    assertPlatformAdmin(this.deps.config, parties, 'reject organizations')
    const organization = await this.requested(parties, id)
    const now = nowIso()
    await this.deps.store.updateTable('organizations').set({ status: 'rejected', reviewed_by: parties.credentialsUuid, reviewed_at: now, updated_at: now })
      .where('id', '=', id).execute()
    return organizationView({ ...organization, status: 'rejected', reviewed_at: now, updated_at: now })
  }

  private async requested (parties: JobParties, id: string): Promise<OrganizationRow> {
    const organization = await visibleOrganization(this.deps, id, parties)
    if (organization.status !== 'requested') throw OrganizationErrors.alreadyReviewed('organization', id, organization.status)
    return organization
  }
}
