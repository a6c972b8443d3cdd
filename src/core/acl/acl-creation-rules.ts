// Who may create a token with which ACL (intercoop-auroral B2, adapted to owner/admin roles):
// - the caller must be a member of the (validated) organization, else 404;
// - organization level (cid): owner, and only the own organization ("Invalid CID", 403);
// - node level (agid): owner or admin; each node must exist and belong to the organization (404);
// - item level (oid): each item must exist and belong to the organization (404) and be the caller's:
//   a node item device they created, or (organization-owned vault items) the caller is an owner (403).
// A level counts when its list is non-empty (AURORAL entered a branch for `[]` too). Duplicates are removed.
import type { JobParties } from '../job-context.js'
import type { OrganizationDirectory } from '../organizations/organization-directory.js'
import type { MemberRole } from '../store/tables/organizations.js'
import type { Acl, GrantType } from './acl-model.js'
import { AclErrors } from './acl-errors.js'

export type Directory = Pick<OrganizationDirectory, 'organizationExists' | 'roleOf' | 'nodeOf' | 'itemOf'>

const unique = (values: readonly string[] = []): string[] => [...new Set(values)]

/** The caller's role in a validated organization; 404 when it does not exist or they are not a member. */
export async function memberRole (directory: Directory, organizationId: string, parties: JobParties): Promise<MemberRole> {
  const role = await directory.organizationExists(organizationId) ? await directory.roleOf(organizationId, parties.credentialsUuid) : undefined
  if (role === undefined) throw AclErrors.organizationNotFound()
  return role
}

/** Checks the ACL against the B2 rules and returns it without duplicates. */
export async function checkedAcl (
  directory: Directory, organizationId: string, parties: JobParties, given: Partial<Acl>, grantTypes: readonly GrantType[]
): Promise<Acl> {
  const role = await memberRole(directory, organizationId, parties)
  const acl: Acl = { cid: unique(given.cid), agid: unique(given.agid), oid: unique(given.oid) }
  if (acl.cid.length + acl.agid.length + acl.oid.length === 0) throw AclErrors.emptyAcl()
  if (grantTypes.includes('apEdit') && acl.cid.length + acl.agid.length === 0) throw AclErrors.apEditNeedsScope()

  if (acl.cid.length > 0) {
    if (role !== 'owner') throw AclErrors.levelNeedsRole('organization', 'owner')
    if (acl.cid.some(cid => cid !== organizationId)) throw AclErrors.ownCidOnly()
  }
  if (acl.agid.length > 0 && role !== 'owner' && role !== 'admin') throw AclErrors.levelNeedsRole('node', 'owner or admin')
  for (const uuid of acl.agid) {
    const node = await directory.nodeOf(uuid)
    if (node === undefined || node.organizationId !== organizationId) throw AclErrors.notInOrganization('node', uuid)
  }
  for (const id of acl.oid) {
    const item = await directory.itemOf(id)
    if (item === undefined || item.organizationId !== organizationId) throw AclErrors.notInOrganization('item', id)
    const owned = item.kind === 'device' ? item.createdBy === parties.credentialsUuid : role === 'owner'
    if (!owned) throw AclErrors.notYourItem(id)
  }
  return acl
}
