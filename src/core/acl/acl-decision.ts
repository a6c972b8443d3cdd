// The ACL rule of intercoop-auroral B5, evaluated by the service (not left to each caller):
// access to X is allowed iff X ∈ oid, or X's node ∈ agid, or X's organization ∈ cid, and the grant type
// fits the operation. One pure function, used by POST /api/external/v1/authorize and the MQTT broker alike.
import type { ApiToken, GrantType } from './acl-model.js'

/** What the service knows about a resource: its kind, its organization and (for devices) its node. */
export interface AclTarget {
  id: string
  kind: 'organization' | 'node' | 'device-item' | 'vault-item'
  organizationId: string
  /** A node item's node; a node's own uuid; null for organizations and vault items. */
  nodeUuid: string | null
}

/**
 * Which resources each grant type is about (B3/B5):
 * - dataAccess: data coming from items, and from the gateway devices (nodes) that carry them;
 * - serviceStore: the organization's service store and the items published in it;
 * - apEdit: access-point management: nodes, and creating nodes in an organization (B4 `POST /node`).
 */
export const GRANT_APPLIES_TO: Record<GrantType, ReadonlyArray<AclTarget['kind']>> = {
  dataAccess: ['device-item', 'vault-item', 'node'],
  serviceStore: ['organization', 'device-item', 'vault-item'],
  apEdit: ['organization', 'node'],
}

export const AclReason = {
  inOid: 'the resource is in the ACL oid',
  nodeInAgid: 'the resource\'s node is in the ACL agid',
  organizationInCid: 'the resource\'s organization is in the ACL cid',
  notGranted: (grantType: GrantType) => `the token does not have the ${grantType} grant type`,
  grantDoesNotApply: (grantType: GrantType, kind: AclTarget['kind']) => `the ${grantType} grant type does not apply to ${kindText[kind]}`,
  /** Unknown resources get this reason too, so a token cannot probe which ids exist elsewhere. */
  outsideAcl: 'the resource is outside the token\'s ACL',
} as const

const kindText: Record<AclTarget['kind'], string> = {
  organization: 'an organization',
  node: 'a node',
  'device-item': 'an item',
  'vault-item': 'an item',
}

export interface AclDecision { allowed: boolean, reason: string }

/** The decision for an active token (the caller has checked its secret, expiry and revocation). */
export function decide (token: Pick<ApiToken, 'organizationId' | 'grantTypes' | 'acl'>, target: AclTarget | undefined, grantType: GrantType): AclDecision {
  if (!token.grantTypes.includes(grantType)) return { allowed: false, reason: AclReason.notGranted(grantType) }
  // Tokens only ever reach their own organization's resources (B5, inferred; enforced here too).
  if (target === undefined || target.organizationId !== token.organizationId) return { allowed: false, reason: AclReason.outsideAcl }
  const reach = reasonOfReach(token.acl, target)
  if (reach === undefined) return { allowed: false, reason: AclReason.outsideAcl }
  if (!GRANT_APPLIES_TO[grantType].includes(target.kind)) return { allowed: false, reason: AclReason.grantDoesNotApply(grantType, target.kind) }
  return { allowed: true, reason: reach }
}

function reasonOfReach (acl: ApiToken['acl'], target: AclTarget): string | undefined {
  if ((target.kind === 'device-item' || target.kind === 'vault-item') && acl.oid.includes(target.id)) return AclReason.inOid
  if (target.nodeUuid !== null && acl.agid.includes(target.nodeUuid)) return AclReason.nodeInAgid
  if (acl.cid.includes(target.organizationId)) return AclReason.organizationInCid
  return undefined
}
