// Acting as an agent (meeco-vault §6 "Agent login"): Meeco gives an owner the agent's access token,
// encrypted to the key the owner kept. Here the key stays inside, so logging in admits the caller's flow
// device (the job's sender) to the agent's user device; vault jobs sent there then run as the agent.
// Organization agent: owners only. Service agent: owners and admins. Losing the role ends the login.
import type { JobParties } from '../job-context.js'
import { OWNER, OWNER_OR_ADMIN, actingMember, validatedService } from './organization-access.js'
import type { AgentKind, OrganizationAgents } from './organization-agents.js'
import { nowIso, type OrganizationDeps } from './organization-deps.js'

export interface AgentLogin {
  /** Send vault jobs to this device to act as the agent; replies come from it. */
  agentDeviceUuid: string
  actsAs: AgentKind
}

export class OrganizationAgentLogins {
  constructor (private readonly deps: OrganizationDeps, private readonly agents: OrganizationAgents) {}

  private async agentDevice (parties: JobParties, organizationId: string, serviceId?: string): Promise<AgentLogin> {
    if (serviceId === undefined) {
      const { organization } = await actingMember(this.deps, organizationId, parties, OWNER, 'acting as the organization')
      return { agentDeviceUuid: organization.agent_device_uuid as string, actsAs: 'organization_agent' }
    }
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'acting as an organization service')
    const service = await validatedService(this.deps.store, organizationId, serviceId)
    return { agentDeviceUuid: service.agent_device_uuid, actsAs: 'service_agent' }
  }

  async login (parties: JobParties, organizationId: string, serviceId?: string): Promise<AgentLogin> {
    const login = await this.agentDevice(parties, organizationId, serviceId)
    await this.agents.admitFlow(login.agentDeviceUuid, parties.senderUuid)
    await this.deps.store.insertInto('organization_agent_logins').values({
      agent_device_uuid: login.agentDeviceUuid, flow_uuid: parties.senderUuid, organization_id: organizationId,
      credentials_uuid: parties.credentialsUuid, created_at: nowIso(),
    }).onConflict(c => c.columns(['agent_device_uuid', 'flow_uuid']).doUpdateSet({ credentials_uuid: parties.credentialsUuid })).execute()
    return login
  }

  async logout (parties: JobParties, organizationId: string, serviceId?: string): Promise<AgentLogin> {
    const login = await this.agentDevice(parties, organizationId, serviceId)
    await this.dismiss(login.agentDeviceUuid, parties.senderUuid)
    return login
  }

  /**
   * Ends a member's logins: all of them (removed), or only the organization agent's (demoted to admin).
   */
  async dismissMember (organizationId: string, credentialsUuid: string, only?: { agentDeviceUuid: string | null }): Promise<void> {
    let query = this.deps.store.selectFrom('organization_agent_logins').selectAll()
      .where('organization_id', '=', organizationId).where('credentials_uuid', '=', credentialsUuid)
    if (only !== undefined) query = query.where('agent_device_uuid', '=', only.agentDeviceUuid ?? '')
    for (const row of await query.execute()) await this.dismiss(row.agent_device_uuid, row.flow_uuid)
  }

  /** Ends every login to one agent (its service is being removed). */
  async dismissAgent (agentDeviceUuid: string | null): Promise<void> {
    if (agentDeviceUuid === null) return
    await this.deps.store.deleteFrom('organization_agent_logins').where('agent_device_uuid', '=', agentDeviceUuid).execute()
  }

  private async dismiss (agentDeviceUuid: string, flowUuid: string): Promise<void> {
    await this.agents.dismissFlow(agentDeviceUuid, flowUuid)
    await this.deps.store.deleteFrom('organization_agent_logins')
      .where('agent_device_uuid', '=', agentDeviceUuid).where('flow_uuid', '=', flowUuid).execute()
  }
}
