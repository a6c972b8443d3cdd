// Invitations made as an agent (meeco-vault §4, §6): an owner has the organization agent invite a person as a
// member, or an owner or admin has a service agent invite a person. The vault's own invitations carry the
// connection type and integration data, and accepting copies both onto the two connection records.
// A member invitation is accepted with AcceptMemberInvitation, which also records the membership; a service
// invitation with the vault's AcceptInvitation (nothing to record: the connection is the relationship).
import { randomUUID } from 'node:crypto'
import type { JobCredentials, JobParties } from '../job-context.js'
import type { MemberRole, OrganizationMemberRow } from '../store/tables/organizations.js'
import type { VaultInvitationRow } from '../store/tables/vault.js'
import { assertUsable } from '../vault/shares/invitations.js'
import { vaultOwnerOf } from '../vault/vault-keys.js'
import { OWNER, OWNER_OR_ADMIN, actingMember, findMember, findOrganization, validatedService } from './organization-access.js'
import type { OrganizationAgents } from './organization-agents.js'
import { nowIso, type OrganizationDeps } from './organization-deps.js'
import { OrganizationErrors } from './organization-errors.js'
import type { Organization, OrganizationAgentConnection, OrganizationMember } from '../wire/schema-types.js'
import { memberView, organizationView } from './organization-views.js'

export interface AgentInvitation { id: string, token: string, expires_at: string | null }

const DAY_MS = 24 * 60 * 60 * 1000

function expiryIn (days: number | undefined): string | undefined {
  return days === undefined ? undefined : new Date(Date.now() + days * DAY_MS).toISOString()
}

export class OrganizationInvitations {
  constructor (private readonly deps: OrganizationDeps, private readonly agents: OrganizationAgents) {}

  async inviteMember (parties: JobParties, organizationId: string, options: { role?: MemberRole, name?: string, expiresInDays?: number }): Promise<AgentInvitation & { role: MemberRole }> {
    const { organization } = await actingMember(this.deps, organizationId, parties, OWNER, 'inviting members')
    const role = options.role ?? 'admin'
    const invitation = await this.invite(organization.agent_uuid as string, options, 'member', { intent: 'member', organization_id: organizationId, organization_member_role: role })
    return { ...invitation, role }
  }

  async inviteToService (parties: JobParties, organizationId: string, serviceId: string, options: { name?: string, expiresInDays?: number }): Promise<AgentInvitation> {
    await actingMember(this.deps, organizationId, parties, OWNER_OR_ADMIN, 'inviting people to a service')
    const service = await validatedService(this.deps.store, organizationId, serviceId)
    return await this.invite(service.agent_uuid, options, 'service', { intent: 'service', organization_id: organizationId, service_id: serviceId })
  }

  /** Connects the person with the organization agent and records them as a member with the invited role. */
  async acceptMember (parties: JobParties, credentials: JobCredentials, input: { token: string, name?: string }): Promise<{ organization: Organization, member: OrganizationMember, connection: OrganizationAgentConnection }> {
    const { vault, store } = this.deps
    const invitation = await vault.invitations.byToken(input.token)
    const integration = invitation.integration_data === null ? {} : JSON.parse(invitation.integration_data) as Record<string, unknown>
    if (invitation.connection_type !== 'member' || integration.intent !== 'member') throw OrganizationErrors.invitationNotForMembers()
    const organization = await findOrganization(store, String(integration.organization_id))
    if (organization?.status !== 'validated' || organization.agent_uuid !== invitation.owner_id) throw OrganizationErrors.organizationNotFound()
    if (await findMember(store, organization.id, parties.credentialsUuid) !== undefined) throw OrganizationErrors.alreadyMember()
    const connectionId = await this.acceptedConnection(parties, credentials, invitation, input)
    const role = integration.organization_member_role === 'owner' ? 'owner' : 'admin'
    const now = nowIso()
    const row: OrganizationMemberRow = {
      id: randomUUID(), organization_id: organization.id, credentials_uuid: parties.credentialsUuid, role,
      name: credentials.blob.username ?? null, connection_id: connectionId, created_at: now, updated_at: now,
    }
    await store.insertInto('organization_members').values(row).execute()
    return {
      organization: organizationView(organization, role),
      member: memberView(row),
      connection: { id: connectionId, connection_type: 'member', integration_data: { ...integration, organization_member_id: row.id } },
    }
  }

  /** Ends a removed member's connection with the organization agent (both records, and shares over it). */
  async endMemberConnection (agentUuid: string | null, member: OrganizationMemberRow): Promise<void> {
    if (agentUuid === null || member.connection_id === null) return
    const mine = await this.deps.store.selectFrom('vault_connections').select('other_connection_id')
      .where('id', '=', member.connection_id).where('owner_id', '=', member.credentials_uuid).executeTakeFirst()
    if (mine !== undefined) await this.deps.vault.connections.delete(await this.agents.vaultOwnerOf(agentUuid), mine.other_connection_id)
  }

  private async invite (agentUuid: string, options: { name?: string, expiresInDays?: number }, connectionType: 'member' | 'service', integration: Record<string, unknown>): Promise<AgentInvitation> {
    const { invitation, token } = await this.deps.vault.invitations.create(await this.agents.vaultOwnerOf(agentUuid), {
      name: options.name, expires_at: expiryIn(options.expiresInDays), connection_type: connectionType, integration_data: integration,
    })
    return { id: invitation.id as string, token, expires_at: invitation.expires_at }
  }

  /**
   * The person's connection made from this invitation: accepted now, or earlier with the vault's AcceptInvitation
   * (then the membership is recorded now). A token used by someone else is a 410, as the vault answers.
   */
  private async acceptedConnection (parties: JobParties, credentials: JobCredentials, invitation: VaultInvitationRow, input: { token: string, name?: string }): Promise<string> {
    const earlier = await this.deps.store.selectFrom('vault_connections').select('id')
      .where('owner_id', '=', parties.credentialsUuid).where('invitation_id', '=', invitation.id).executeTakeFirst()
    if (earlier !== undefined) return earlier.id
    assertUsable(invitation)
    const { connection } = await this.deps.vault.connections.accept(vaultOwnerOf({ parties, credentials }), input)
    return connection.id
  }
}
