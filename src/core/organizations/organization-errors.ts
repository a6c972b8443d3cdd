// The errors a person sees when acting on organizations, members, services and nodes (issue 6 "Bad input"):
// not a member → 404 (existence is not revealed), a member without the role → 403 naming the role,
// members or services on an organization that is not validated → 409, the last owner → 409.
import { defineCatalogue, type Conflict } from '../errors.js'
import type { MemberRole, ReviewStatus } from '../store/tables/organizations.js'

type Reviewed = 'organization' | 'organization service'

export const OrganizationErrors = defineCatalogue('organizations', {
  organizationNotFound: { code: 404, text: 'organization not found', when: 'the organization does not exist, is not validated and not yours, or you are not a member of it' },
  serviceNotFound: { code: 404, text: 'organization service not found', when: 'the organization has no such service, or GetOrganizationService of one not validated yet' },
  memberNotFound: { code: 404, text: 'organization member not found', when: 'changing the role of, or removing, someone who is not a member' },
  nodeNotFound: { code: 404, text: 'organization node not found', when: 'the organization has no such node' },
  itemNotFound: { code: 404, text: 'organization node item not found', when: 'the organization has no such node item' },
  invitationNotForMembers: { code: 422, text: 'this invitation is not an organization member invitation', when: 'AcceptMemberInvitation with an invitation of another kind' },
  alreadyMember: { code: 409, text: 'you are already a member of this organization', when: 'accepting a member invitation of an organization you belong to' },
  lastOwner: { code: 409, text: 'an organization keeps at least one owner: the last owner can be neither demoted nor removed', when: 'demoting or removing the only owner' },
  roleRequired: {
    code: 403,
    text: (roles: readonly MemberRole[], action: string) => `${action} needs the ${roles.join(' or ')} role in this organization`,
    example: [['owner', 'admin'], 'changing services'],
    when: 'a member whose role does not allow the action; the text names the action and the roles that do',
  },
  notValidated: {
    code: 409,
    text: (what: Reviewed, id: string) => `${what} ${id} is not validated yet`,
    example: ['organization', '0b6f3a52-91c4-4d1e-8f0a-3c2d7e9b1a45'],
    when: 'members, services or nodes of an organization (or the use of a service) before the platform admins validated it',
  },
  rejected: {
    code: 409,
    text: (what: Reviewed, id: string) => `${what} ${id} was rejected by the platform admins`,
    example: ['organization service', '0b6f3a52-91c4-4d1e-8f0a-3c2d7e9b1a45'],
    when: 'the same, after the platform admins rejected it',
  },
  alreadyReviewed: {
    code: 409,
    text: (what: Reviewed, id: string, status: ReviewStatus) => `${what} ${id} is already ${status}`,
    example: ['organization', '0b6f3a52-91c4-4d1e-8f0a-3c2d7e9b1a45', 'validated'],
    when: 'validating or rejecting what was validated or rejected before',
  },
  serviceNotRequested: {
    code: 409,
    text: (serviceId: string) => `organization service ${serviceId} can be changed only while it is requested`,
    example: ['0b6f3a52-91c4-4d1e-8f0a-3c2d7e9b1a45'],
    when: 'UpdateOrganizationService after the platform admins reviewed the service',
  },
  requesterOnly: { code: 403, text: 'only its requester may change an organization that is not validated', when: 'changing a requested or rejected organization as someone other than its requester' },
  platformAdminRequired: {
    code: 403,
    text: (action: string) => `only platform admins may ${action}`,
    example: ['validate organizations'],
    when: 'the review jobs (list requested, validate, reject) run by someone who is not a platform admin (`PLATFORM_ADMINS`)',
  },
})

/** 409: the organization (or service) must be validated first; the text says whether it was rejected. */
export function notValidated (what: Reviewed, id: string, status: ReviewStatus): Conflict {
  return status === 'rejected' ? OrganizationErrors.rejected(what, id) : OrganizationErrors.notValidated(what, id)
}
