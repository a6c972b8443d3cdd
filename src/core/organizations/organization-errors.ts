// The errors a person sees when acting on organizations, members, services and nodes (issue 6 "Bad input"):
// not a member → 404 (existence is not revealed), a member without the role → 403 naming the role,
// members or services on an organization that is not validated → 409, the last owner → 409.
import { Conflict, Forbidden, NotFound } from '../errors.js'
import type { MemberRole, ReviewStatus } from '../store/tables/organizations.js'

export const OrganizationText = {
  organizationNotFound: 'organization not found',
  serviceNotFound: 'organization service not found',
  memberNotFound: 'organization member not found',
  nodeNotFound: 'organization node not found',
  itemNotFound: 'organization node item not found',
  invitationNotForMembers: 'this invitation is not an organization member invitation',
  lastOwner: 'an organization keeps at least one owner: the last owner can be neither demoted nor removed',
  alreadyMember: 'you are already a member of this organization',
} as const

export function organizationNotFound (): NotFound {
  return new NotFound(OrganizationText.organizationNotFound)
}

/** 403 naming the role(s) the action needs. */
export function roleRequired (roles: readonly MemberRole[], action: string): Forbidden {
  return new Forbidden(`${action} needs the ${roles.join(' or ')} role in this organization`)
}

/** 409: the organization (or service) must be validated first. */
export function notValidated (what: 'organization' | 'organization service', id: string, status: ReviewStatus): Conflict {
  return status === 'rejected'
    ? new Conflict(`${what} ${id} was rejected by the platform admins`)
    : new Conflict(`${what} ${id} is not validated yet`)
}

export function alreadyReviewed (what: 'organization' | 'organization service', id: string, status: ReviewStatus): Conflict {
  return new Conflict(`${what} ${id} is already ${status}`)
}

export function platformAdminRequired (action: string): Forbidden {
  return new Forbidden(`only platform admins may ${action}`)
}

export function lastOwner (): Conflict {
  return new Conflict(OrganizationText.lastOwner)
}
