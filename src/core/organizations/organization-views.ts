// What replies show of organizations, members, services and nodes: whitelisted fields only.
// Agent credentials uuids, reviewers and private keys never appear.
import type {
  MemberRole, OrganizationMemberRow, OrganizationNodeItemRow, OrganizationNodeRow, OrganizationRow, OrganizationServiceRow,
} from '../store/tables/organizations.js'

export interface OrganizationView {
  id: string
  name: string
  description: string | null
  url: string | null
  email: string | null
  status: OrganizationRow['status']
  created_at: string
  validated_at: string | null
  role?: MemberRole
}

export function organizationView (row: OrganizationRow, role?: MemberRole): OrganizationView {
  const view: OrganizationView = {
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

export interface MemberView { id: string, name: string | null, role: MemberRole, joined_at: string }

export function memberView (row: OrganizationMemberRow): MemberView {
  return { id: row.id, name: row.name, role: row.role, joined_at: row.created_at }
}

export interface ServiceView {
  id: string
  organization_id: string
  name: string
  description: string | null
  contract: Record<string, unknown>
  status: OrganizationServiceRow['status']
  created_at: string
  validated_at: string | null
}

export function serviceView (row: OrganizationServiceRow): ServiceView {
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

export interface NodeItemView { uuid: string, node_uuid: string, name: string, created_at: string }
export interface NodeView { uuid: string, organization_id: string, name: string, created_at: string, items: NodeItemView[] }

export function nodeItemView (row: OrganizationNodeItemRow): NodeItemView {
  return { uuid: row.uuid, node_uuid: row.node_uuid, name: row.name, created_at: row.created_at }
}

export function nodeView (row: OrganizationNodeRow, items: OrganizationNodeItemRow[]): NodeView {
  return { uuid: row.uuid, organization_id: row.organization_id, name: row.name, created_at: row.created_at, items: items.map(nodeItemView) }
}

/** Where Meeco prints an agent's private key for the user to keep, endo-vault keeps it and says so. */
export const KEY_CUSTODY = 'The private key is kept inside endo-vault in an encrypted envelope under the service key and is never shown. ' +
  'Act as the agent with the LoginOrganizationAgent job.'
export const ORGANIZATION_KEY_CUSTODY = 'The organization key pair is made when a platform admin validates the organization and is kept inside ' +
  'endo-vault in an encrypted envelope; its private key is never shown.'
export const SERVICE_KEY_CUSTODY = 'The service key pair is made when a platform admin validates the service and is kept inside ' +
  'endo-vault in an encrypted envelope; its private key is never shown.'

export interface AgentKeyView { public_key: string, private_key: null, key_custody: string }

export function agentKeyView (publicKeyPem: string): AgentKeyView {
  return { public_key: publicKeyPem, private_key: null, key_custody: KEY_CUSTODY }
}
