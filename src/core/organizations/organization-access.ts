// The access rules every organization job goes through, in this order (issue 6 "Bad input"):
// 1. the organization must be visible to the caller: validated ones to everyone, requested or rejected
//    ones to their requester and platform admins, otherwise 404;
// 2. acting on members or services needs it validated, otherwise 409;
// 3. the caller must be a member, otherwise 404;
// 4. with one of the roles the action needs, otherwise 403 naming the role.
import type { JobParties } from '../job-context.js'
import type { Store } from '../store/database.js'
import type { MemberRole, OrganizationMemberRow, OrganizationRow, OrganizationServiceRow } from '../store/tables/organizations.js'
import type { OrganizationDeps } from './organization-deps.js'
import { OrganizationErrors, notValidated } from './organization-errors.js'
import { isPlatformAdmin } from './platform-admins.js'

export const OWNER: readonly MemberRole[] = ['owner']
export const OWNER_OR_ADMIN: readonly MemberRole[] = ['owner', 'admin']

export async function findOrganization (store: Store, id: string): Promise<OrganizationRow | undefined> {
  return await store.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findMember (store: Store, organizationId: string, credentialsUuid: string): Promise<OrganizationMemberRow | undefined> {
  return await store.selectFrom('organization_members').selectAll()
    .where('organization_id', '=', organizationId).where('credentials_uuid', '=', credentialsUuid).executeTakeFirst()
}

export function isVisibleTo (deps: Pick<OrganizationDeps, 'config'>, organization: OrganizationRow, parties: JobParties): boolean {
  return organization.status === 'validated' || organization.requestor_uuid === parties.credentialsUuid || isPlatformAdmin(deps.config, parties)
}

/** Rule 1: the organization if the caller may see it; 404 otherwise. */
export async function visibleOrganization (deps: Pick<OrganizationDeps, 'store' | 'config'>, id: string, parties: JobParties): Promise<OrganizationRow> {
  const organization = await findOrganization(deps.store, id)
  if (organization === undefined || !isVisibleTo(deps, organization, parties)) throw OrganizationErrors.organizationNotFound()
  return organization
}

/** Rules 1–4: a validated organization and the caller's membership with one of `roles`. */
export async function actingMember (
  deps: Pick<OrganizationDeps, 'store' | 'config'>, id: string, parties: JobParties, roles: readonly MemberRole[], action: string
): Promise<{ organization: OrganizationRow, member: OrganizationMemberRow }> {
  const organization = await visibleOrganization(deps, id, parties)
  if (organization.status !== 'validated') throw notValidated('organization', id, organization.status)
  const member = await findMember(deps.store, id, parties.credentialsUuid)
  if (member === undefined) throw OrganizationErrors.organizationNotFound()
  if (!roles.includes(member.role)) throw OrganizationErrors.roleRequired(roles, action)
  return { organization, member }
}

/** A service of the organization; 404 when it does not exist there. */
export async function findService (store: Store, organizationId: string, serviceId: string): Promise<OrganizationServiceRow> {
  const service = await store.selectFrom('organization_services').selectAll()
    .where('organization_id', '=', organizationId).where('id', '=', serviceId).executeTakeFirst()
  if (service === undefined) throw OrganizationErrors.serviceNotFound()
  return service
}

/** A validated service (with its agent); 409 while it is requested or after it was rejected. */
export async function validatedService (store: Store, organizationId: string, serviceId: string): Promise<OrganizationServiceRow & { agent_uuid: string, agent_device_uuid: string }> {
  const service = await findService(store, organizationId, serviceId)
  if (service.status !== 'validated' || service.agent_uuid === null || service.agent_device_uuid === null) throw notValidated('organization service', serviceId, service.status)
  return service as OrganizationServiceRow & { agent_uuid: string, agent_device_uuid: string }
}
