// The B5 rule as a pure function: reach by oid, agid or cid, then whether the grant type applies.
import { AclReason, decide, type AclTarget } from '../../../src/core/acl/acl-decision.js'
import { secretOpens, statusOf, type ApiToken } from '../../../src/core/acl/acl-model.js'

const ORG = 'org-a'
const token = (acl: Partial<ApiToken['acl']>, grantTypes: ApiToken['grantTypes'] = ['dataAccess', 'serviceStore', 'apEdit']): Pick<ApiToken, 'organizationId' | 'grantTypes' | 'acl'> =>
  ({ organizationId: ORG, grantTypes, acl: { cid: [], agid: [], oid: [], ...acl } })
const item: AclTarget = { id: 'item-1', kind: 'device-item', organizationId: ORG, nodeUuid: 'node-1' }
const node: AclTarget = { id: 'node-1', kind: 'node', organizationId: ORG, nodeUuid: 'node-1' }
const organization: AclTarget = { id: ORG, kind: 'organization', organizationId: ORG, nodeUuid: null }

describe('the ACL decision (B5)', () => {
  it('allows an item named in oid, under a node named in agid, or in an organization named in cid', () => {
    expect(decide(token({ oid: ['item-1'] }), item, 'dataAccess')).toEqual({ allowed: true, reason: AclReason.inOid })
    expect(decide(token({ agid: ['node-1'] }), item, 'dataAccess')).toEqual({ allowed: true, reason: AclReason.nodeInAgid })
    expect(decide(token({ cid: [ORG] }), item, 'dataAccess')).toEqual({ allowed: true, reason: AclReason.organizationInCid })
  })

  it('does not let oid name a node or agid name an organization', () => {
    expect(decide(token({ oid: ['node-1'] }), node, 'dataAccess').allowed).toBe(false)
    expect(decide(token({ agid: [ORG] }), organization, 'apEdit').allowed).toBe(false)
  })

  it('never reaches another organization, even when its id is listed', () => {
    const foreign: AclTarget = { ...item, organizationId: 'org-b' }
    expect(decide(token({ cid: ['org-b'], oid: ['item-1'] }), foreign, 'dataAccess')).toEqual({ allowed: false, reason: AclReason.outsideAcl })
  })

  it('gives unknown resources the reason of foreign ones', () => {
    expect(decide(token({ cid: [ORG] }), undefined, 'dataAccess')).toEqual({ allowed: false, reason: AclReason.outsideAcl })
  })

  it('checks the grant type is the token\'s before anything else, and that it applies to the resource', () => {
    expect(decide(token({ cid: [ORG] }, ['dataAccess']), undefined, 'apEdit')).toEqual({ allowed: false, reason: AclReason.notGranted('apEdit') })
    expect(decide(token({ cid: [ORG] }), organization, 'dataAccess')).toEqual({ allowed: false, reason: AclReason.grantDoesNotApply('dataAccess', 'organization') })
    expect(decide(token({ cid: [ORG] }), item, 'apEdit')).toEqual({ allowed: false, reason: AclReason.grantDoesNotApply('apEdit', 'device-item') })
    expect(decide(token({ cid: [ORG] }), node, 'serviceStore').allowed).toBe(false)
  })
})

describe('a token\'s secrets over time', () => {
  const base: ApiToken = {
    keyid: 'k', organizationId: ORG, name: 'n', grantTypes: ['dataAccess'], acl: { cid: [ORG], agid: [], oid: [] },
    secretHash: 'new', previousSecretHash: 'old', previousSecretValidUntil: 2000, expiresAt: null,
    lastUsedAt: null, createdBy: 'c', createdAt: '2020-01-01T00:00:00.000Z', revokedAt: null,
  }

  it('opens with the previous secret strictly before the end of its grace period', () => {
    expect(secretOpens(base, 'old', 1999)).toBe(true)
    expect(secretOpens(base, 'old', 2000)).toBe(false)
    expect(secretOpens(base, 'new', 10_000)).toBe(true)
  })

  it('opens with no secret once expired or revoked', () => {
    expect(statusOf({ ...base, expiresAt: 5000 }, 5000)).toBe('expired')
    expect(secretOpens({ ...base, expiresAt: 5000 }, 'new', 5000)).toBe(false)
    expect(secretOpens({ ...base, revokedAt: '2020-01-02T00:00:00.000Z' }, 'new', 0)).toBe(false)
  })
})
