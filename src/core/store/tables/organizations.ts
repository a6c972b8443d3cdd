// Tables owned by the organizations domain (created by migrations/004-organizations.ts).
// `*_uuid` person columns hold credentials-device uuids: a person's stable identity on the bus.

export type ReviewStatus = 'requested' | 'validated' | 'rejected'
export type MemberRole = 'owner' | 'admin'

/** Columns an organization and a service share: review state and, once validated, the agent. */
interface ReviewedRow {
  status: ReviewStatus
  /** Credentials uuid of the platform admin who validated or rejected it. */
  reviewed_by: string | null
  reviewed_at: string | null
  /** The agent's credentials device: its envelope holds the agent key pair and vault keys. */
  agent_uuid: string | null
  /** The agent's user device: jobs sent to it run as the agent. */
  agent_device_uuid: string | null
  /** SPKI PEM of the agent key pair (the private key stays in the envelope). */
  agent_public_key: string | null
  created_at: string
  updated_at: string
}

export interface OrganizationRow extends ReviewedRow {
  id: string
  name: string
  description: string | null
  url: string | null
  email: string | null
  requestor_uuid: string
  /** The requester's account name (their member name once the organization is validated). */
  requestor_name: string | null
}

export interface OrganizationMemberRow {
  id: string
  organization_id: string
  credentials_uuid: string
  role: MemberRole
  /** The provider username of the member when they joined (shown to owners). */
  name: string | null
  /** The member's own connection record with the organization agent (null for the requester). */
  connection_id: string | null
  created_at: string
  updated_at: string
}

export interface OrganizationServiceRow extends ReviewedRow {
  id: string
  organization_id: string
  name: string
  description: string | null
  /** JSON object. */
  contract: string
  created_by: string
}

/** A flow device allowed to send jobs to an agent's user device (an "agent login"). */
export interface OrganizationAgentLoginRow {
  agent_device_uuid: string
  flow_uuid: string
  organization_id: string
  credentials_uuid: string
  created_at: string
}

/** A gateway device on the bus owned by an organization (the ACL's agid). */
export interface OrganizationNodeRow {
  uuid: string
  organization_id: string
  name: string
  created_by: string
  created_at: string
}

/** A bus device registered under a node (an ACL oid). */
export interface OrganizationNodeItemRow {
  uuid: string
  node_uuid: string
  organization_id: string
  name: string
  created_by: string
  created_at: string
}

export interface OrganizationTables {
  organizations: OrganizationRow
  organization_members: OrganizationMemberRow
  organization_services: OrganizationServiceRow
  organization_agent_logins: OrganizationAgentLoginRow
  organization_nodes: OrganizationNodeRow
  organization_node_items: OrganizationNodeItemRow
}
