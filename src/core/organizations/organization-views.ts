// What replies show of organizations, members, services and nodes (schemas/Organization*.json): whitelisted fields only.
// Agent credentials uuids, reviewers and private keys never appear.
import type {
  MemberRole, OrganizationMemberRow, OrganizationNodeItemRow, OrganizationNodeRow, OrganizationRow, OrganizationServiceRow,
} from '../store/tables/organizations.js'
import type {
  Organization, OrganizationAgentKey, OrganizationMember, OrganizationNode, OrganizationNodeItem, OrganizationService,
} from '../wire/schema-types.js'

export function organizationView (row: OrganizationRow, role?: MemberRole): Organization {
  const view: Organization = {
    id: row.id,
    name: row.name,
    description: row.description,
    url: row.url,
    email: row.email,
    status: row.status,
    created_at: row.created_at,
    validated_at: row.status === 'validated' ? row.reviewed_at : null,
  }
  if (role !== undefined) view.role = role
  return view
}

export function memberView (row: OrganizationMemberRow): OrganizationMember {
  return { id: row.id, name: row.name, role: row.role, joined_at: row.created_at }
}

export function serviceView (row: OrganizationServiceRow): OrganizationService {
  return {
    id: row.id,
    organization_id: row.organization_id,
    name: row.name,
    description: row.description,
    contract: JSON.parse(row.contract) as Record<string, unknown>,
    status: row.status,
    created_at: row.created_at,
    validated_at: row.status === 'validated' ? row.reviewed_at : null,
  }
}

export function nodeItemView (row: OrganizationNodeItemRow): OrganizationNodeItem {
  return { uuid: row.uuid, node_uuid: row.node_uuid, name: row.name, created_at: row.created_at }
}

export function nodeView (row: OrganizationNodeRow, items: OrganizationNodeItemRow[]): OrganizationNode {
  return { uuid: row.uuid, organization_id: row.organization_id, name: row.name, created_at: row.created_at, items: items.map(nodeItemView) }
}

/** Where Meeco prints an agent's private key for the user to keep, endo-vault keeps it and says so. */
export const KEY_CUSTODY = 'The private key is kept inside endo-vault in an encrypted envelope under the service key and is never shown. ' +
  'Act as the agent with the LoginOrganizationAgent job.'
export const ORGANIZATION_KEY_CUSTODY = 'The organization key pair is made when a platform admin validates the organization and is kept inside ' +
  'endo-vault in an encrypted envelope; its private key is never shown.'
export const SERVICE_KEY_CUSTODY = 'The service key pair is made when a platform admin validates the service and is kept inside ' +
  'endo-vault in an encrypted envelope; its private key is never shown.'

export function agentKeyView (publicKeyPem: string): OrganizationAgentKey {
  return { public_key: publicKeyPem, private_key: null, key_custody: KEY_CUSTODY }
}
