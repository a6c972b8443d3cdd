// Services of an organization (meeco-vault §6 "Services"): an owner or admin requests one (name,
// description, contract), may change it while requested and remove it; a platform admin validates it
// (creating the service agent) or rejects it. Members read validated services; requested ones show up
// only in the `requested` listing.
import { randomUUID } from 'node:crypto'
import type { JobParties } from '../job-context.js'
import type { OrganizationServiceRow, ReviewStatus } from '../store/tables/organizations.js'
import { OWNER_OR_ADMIN, actingMember, findService, visibleOrganization } from './organization-access.js'
import type { OrganizationAgentLogins } from './organization-agent-logins.js'
import type { OrganizationAgents } from './organization-agents.js'
import { nowIso, type OrganizationDeps } from './organization-deps.js'
import { OrganizationErrors } from './organization-errors.js'
import type { OrganizationService } from '../wire/schema-types.js'
import { serviceView } from './organization-views.js'
import { assertPlatformAdmin } from './platform-admins.js'

export interface ServiceFields {
  name: string
  description?: string | null
  contract?: Record<string, unknown>
}

export class OrganizationServices {
  constructor (
    private readonly deps: OrganizationDeps,
    private readonly agents: OrganizationAgents,
    private readonly logins: OrganizationAgentLogins
  ) {}

  async create (parties: JobParties, organizationId: string, fields: ServiceFields): Promise<OrganizationService> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'creating services')
    const now = nowIso()
    const row: OrganizationServiceRow = {
      id: randomUUID(), organization_id: organizationId, name: fields.name, description: fields.description ?? null,
      contract: JSON.stringify(fields.contract ?? {}), status: 'requested', created_by: parties.credentialsUuid,
      reviewed_by: null, reviewed_at: null, agent_uuid: null, agent_device_uuid: null, agent_public_key: null, created_at: now, updated_at: now,
    }
    await this.deps.store.insertInto('organization_services').values(row).execute()
    return serviceView(row)
  }

  async update (parties: JobParties, organizationId: string, serviceId: string, changes: Partial<ServiceFields>): Promise<OrganizationService> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'changing services')
    const service = await findService(this.deps.store, organizationId, serviceId)
    if (service.status !== 'requested') throw OrganizationErrors.serviceNotRequested(serviceId)
    const next: OrganizationServiceRow = {
      ...service,
      name: changes.name ?? service.name,
      description: changes.description === undefined ? service.description : changes.description,
      contract: changes.contract === undefined ? service.contract : JSON.stringify(changes.contract),
      updated_at: nowIso(),
    }
    await this.deps.store.updateTable('organization_services')
      .set({ name: next.name, description: next.description, contract: next.contract, updated_at: next.updated_at }).where('id', '=', serviceId).execute()
    return serviceView(next)
  }

  /** Removes the service and its agent; logins to the agent end. */
  async remove (parties: JobParties, organizationId: string, serviceId: string): Promise<void> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'removing services')
    const service = await findService(this.deps.store, organizationId, serviceId)
    await this.logins.dismissAgent(service.agent_device_uuid)
    await this.agents.remove({ agentUuid: service.agent_uuid, agentDeviceUuid: service.agent_device_uuid }, organizationId)
    await this.deps.store.deleteFrom('organization_services').where('id', '=', serviceId).execute()
  }

  /** Members: validated services (default), or the requested ones. */
  async list (parties: JobParties, organizationId: string, status: Exclude<ReviewStatus, 'rejected'> = 'validated'): Promise<OrganizationService[]> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'listing services')
    const rows = await this.deps.store.selectFrom('organization_services').selectAll()
      .where('organization_id', '=', organizationId).where('status', '=', status).orderBy('created_at').execute()
    return rows.map(serviceView)
  }

  /** Members: a validated service; 404 before validation (as Meeco answers). */
  async get (parties: JobParties, organizationId: string, serviceId: string): Promise<OrganizationService> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'reading services')
    const service = await findService(this.deps.store, organizationId, serviceId)
    if (service.status !== 'validated') throw OrganizationErrors.serviceNotFound()
    return serviceView(service)
  }

  async listRequested (parties: JobParties): Promise<OrganizationService[]> {
    assertPlatformAdmin(this.deps.config, parties, 'list requested organization services')
    const rows = await this.deps.store.selectFrom('organization_services').selectAll().where('status', '=', 'requested').orderBy('created_at').execute()
    return rows.map(serviceView)
  }

  /** Platform admins only: creates the service agent. */
  async validate (parties: JobParties, organizationId: string, serviceId: string): Promise<{ service: OrganizationService, publicKeyPem: string }> {
    assertPlatformAdmin(this.deps.config, parties, 'validate organization services')
    const service = await this.requested(parties, organizationId, serviceId)
    const agent = await this.agents.create({ kind: 'service_agent', organizationId, serviceId, name: service.name })
    const now = nowIso()
    const result = await this.deps.store.updateTable('organization_services').set({
      status: 'validated', reviewed_by: parties.credentialsUuid, reviewed_at: now, updated_at: now,
      agent_uuid: agent.agentUuid, agent_device_uuid: agent.agentDeviceUuid, agent_public_key: agent.publicKeyPem,
    }).where('id', '=', serviceId).where('status', '=', 'requested').executeTakeFirst()
    if (result.numUpdatedRows === 0n) {
      await this.agents.remove(agent, organizationId)
      throw OrganizationErrors.alreadyReviewed('organization service', serviceId, 'validated')
    }
    return { service: serviceView({ ...service, status: 'validated', reviewed_at: now, updated_at: now }), publicKeyPem: agent.publicKeyPem }
  }

  async reject (parties: JobParties, organizationId: string, serviceId: string): Promise<OrganizationService> {
    assertPlatformAdmin(this.deps.config, parties, 'reject organization services')
    const service = await this.requested(parties, organizationId, serviceId)
    const now = nowIso()
    await this.deps.store.updateTable('organization_services').set({ status: 'rejected', reviewed_by: parties.credentialsUuid, reviewed_at: now, updated_at: now })
      .where('id', '=', serviceId).execute()
    return serviceView({ ...service, status: 'rejected', reviewed_at: now, updated_at: now })
  }

  private async requested (parties: JobParties, organizationId: string, serviceId: string): Promise<OrganizationServiceRow> {
    await visibleOrganization(this.deps, organizationId, parties)
    const service = await findService(this.deps.store, organizationId, serviceId)
    if (service.status !== 'requested') throw OrganizationErrors.alreadyReviewed('organization service', serviceId, service.status)
    return service
  }
}
