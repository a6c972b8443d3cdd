// Members of a validated organization (meeco-vault §6 "Members"): owners list them, change roles and
// remove them; an organization always keeps an owner. Joining goes through member invitations
// (organization-invitations.ts).
import type { JobParties } from '../job-context.js'
import type { MemberRole, OrganizationMemberRow } from '../store/tables/organizations.js'
import type { Store } from '../store/database.js'
import { OWNER, actingMember } from './organization-access.js'
import type { OrganizationAgentLogins } from './organization-agent-logins.js'
import type { OrganizationInvitations } from './organization-invitations.js'
import { nowIso, type OrganizationDeps } from './organization-deps.js'
import { OrganizationErrors } from './organization-errors.js'
import type { Organization, OrganizationMember } from '../wire/schema-types.js'
import { memberView, organizationView } from './organization-views.js'

async function memberById (store: Store, organizationId: string, memberId: string): Promise<OrganizationMemberRow> {
  const member = await store.selectFrom('organization_members').selectAll()
    .where('organization_id', '=', organizationId).where('id', '=', memberId).executeTakeFirst()
  if (member === undefined) throw OrganizationErrors.memberNotFound()
  return member
}

async function ownerCount (store: Store, organizationId: string): Promise<number> {
  const { count } = await store.selectFrom('organization_members').select(eb => eb.fn.countAll<number>().as('count'))
    .where('organization_id', '=', organizationId).where('role', '=', 'owner').executeTakeFirstOrThrow()
  return Number(count)
}

export class OrganizationMembers {
  constructor (
    private readonly deps: OrganizationDeps,
    private readonly logins: OrganizationAgentLogins,
    private readonly invitations: OrganizationInvitations
  ) {}

  async list (parties: JobParties, organizationId: string): Promise<{ organization: Organization, members: OrganizationMember[] }> {
    const { organization, member } = await actingMember(this.deps, organizationId, parties, OWNER, 'listing members')
    const rows = await this.deps.store.selectFrom('organization_members').selectAll()
      .where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').execute()
    return { organization: organizationView(organization, member.role), members: rows.map(memberView) }
  }

  async changeRole (parties: JobParties, organizationId: string, memberId: string, role: MemberRole): Promise<OrganizationMember> {
    const { organization } = await actingMember(this.deps, organizationId, parties, OWNER, 'changing member roles')
    const target = await memberById(this.deps.store, organizationId, memberId)
    if (target.role === role) return memberView(target)
    const updatedAt = nowIso()
    await this.whileAnOwnerRemains(target, async store => {
      await store.updateTable('organization_members').set({ role, updated_at: updatedAt }).where('id', '=', memberId).execute()
    })
    if (target.role === 'owner') await this.logins.dismissMember(organizationId, target.credentials_uuid, { agentDeviceUuid: organization.agent_device_uuid })
    return memberView({ ...target, role, updated_at: updatedAt })
  }

  /** Removes the member, ends their agent logins and their connection with the organization agent. */
  async remove (parties: JobParties, organizationId: string, memberId: string): Promise<void> {
    const { organization } = await actingMember(this.deps, organizationId, parties, OWNER, 'removing members')
    const target = await memberById(this.deps.store, organizationId, memberId)
    await this.whileAnOwnerRemains(target, async store => {
      await store.deleteFrom('organization_members').where('id', '=', memberId).execute()
    })
    await this.logins.dismissMember(organizationId, target.credentials_uuid)
    await this.invitations.endMemberConnection(organization.agent_uuid, target)
  }

  /** Runs a change that takes `target` out of the owners only if another owner remains (409 otherwise). */
  private async whileAnOwnerRemains (target: OrganizationMemberRow, change: (store: Store) => Promise<void>): Promise<void> {
    await this.deps.store.transaction().execute(async trx => {
      if (target.role === 'owner' && await ownerCount(trx, target.organization_id) <= 1) throw OrganizationErrors.lastOwner()
      await change(trx)
    })
  }
}
