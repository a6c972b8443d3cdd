// Evaluation by the service (intercoop-auroral B5): POST /api/external/v1/authorize answers whether a token
// may use a grant type on a resource: X ∈ oid, or X's node ∈ agid, or X's organization ∈ cid, and the grant
// type applies to X. One table, in phases: as created, after deleting an item and a node (cascade), after
// rotations and within their grace period, after the grace period and an expiry, after revocation.
import { AclReason } from '../../src/core/acl/acl-decision.js'
import { expectCode, sendJobTo } from './organizations.fixture.js'
import { buildAclWorld, createToken, postExternal, type AclWorld, type IssuedToken } from './acl.fixture.js'

type TokenName = 'org' | 'node' | 'nodeN2' | 'item' | 'bobItem' | 'graceNew' | 'graceOld' | 'noGraceNew' | 'noGraceOld' | 'expiring'
type Resource = 'orgA' | 'orgB' | 'n1' | 'n2' | 'nb' | 'i1a' | 'i1b' | 'i2' | 'ib' | 'vaultItem' | 'unknown'
type GrantType = 'dataAccess' | 'serviceStore' | 'apEdit'
/** allowed / denied with a reason, or 401 (credentials no longer open the token). */
type Expected = [outcome: 'allowed' | 'denied', reason: string] | 401
type Row = [name: string, token: TokenName, resource: Resource, grantType: GrantType, expected: Expected]

const outside = AclReason.outsideAcl
const AS_CREATED: Row[] = [
  ['an organization token reads an item on a node of its organization', 'org', 'i1a', 'dataAccess', ['allowed', AclReason.organizationInCid]],
  ['an organization token reads an item another member created', 'org', 'i1b', 'dataAccess', ['allowed', AclReason.organizationInCid]],
  ['an organization token reads the organization\'s vault item', 'org', 'vaultItem', 'dataAccess', ['allowed', AclReason.organizationInCid]],
  ['an organization token manages a node of its organization', 'org', 'n1', 'apEdit', ['allowed', AclReason.organizationInCid]],
  ['an organization token creates nodes in its organization', 'org', 'orgA', 'apEdit', ['allowed', AclReason.organizationInCid]],
  ['dataAccess does not apply to an organization itself', 'org', 'orgA', 'dataAccess', ['denied', AclReason.grantDoesNotApply('dataAccess', 'organization')]],
  ['an organization token without serviceStore cannot use it', 'org', 'i1a', 'serviceStore', ['denied', AclReason.notGranted('serviceStore')]],
  ['an organization token does not reach another organization\'s item', 'org', 'ib', 'dataAccess', ['denied', outside]],
  ['an organization token does not reach another organization\'s node', 'org', 'nb', 'apEdit', ['denied', outside]],
  ['an organization token does not reach another organization', 'org', 'orgB', 'apEdit', ['denied', outside]],
  ['an unknown resource is outside the ACL, like a foreign one', 'org', 'unknown', 'dataAccess', ['denied', outside]],
  ['a node token reads its node', 'node', 'n1', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
  ['a node token reads an item on its node', 'node', 'i1a', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
  ['a node token reads another member\'s item on its node', 'node', 'i1b', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
  ['a node token does not reach an item on another node', 'node', 'i2', 'dataAccess', ['denied', outside]],
  ['a node token does not reach another node', 'node', 'n2', 'dataAccess', ['denied', outside]],
  ['a node token does not reach a vault item (it has no node)', 'node', 'vaultItem', 'dataAccess', ['denied', outside]],
  ['a node token does not reach its organization', 'node', 'orgA', 'dataAccess', ['denied', outside]],
  ['a node token without apEdit cannot manage its node', 'node', 'n1', 'apEdit', ['denied', AclReason.notGranted('apEdit')]],
  ['an item token reads its item', 'item', 'i1a', 'dataAccess', ['allowed', AclReason.inOid]],
  ['an item token uses the service store for its vault item', 'item', 'vaultItem', 'serviceStore', ['allowed', AclReason.inOid]],
  ['an item token does not reach a sibling item on the same node', 'item', 'i1b', 'dataAccess', ['denied', outside]],
  ['an item token does not reach its item\'s node', 'item', 'n1', 'dataAccess', ['denied', outside]],
  ['an item token does not reach its organization', 'item', 'orgA', 'serviceStore', ['denied', outside]],
  ['an item token without apEdit cannot use it', 'item', 'i1a', 'apEdit', ['denied', AclReason.notGranted('apEdit')]],
  ['a second node token reads an item on its node', 'nodeN2', 'i2', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
  ['an admin\'s item token reads the admin\'s item', 'bobItem', 'i1b', 'dataAccess', ['allowed', AclReason.inOid]],
]
const AFTER_ITEM_DELETED: Row[] = [
  ['after its item is deleted, an item token reaches nothing', 'bobItem', 'i1b', 'dataAccess', ['denied', outside]],
  ['after an item is deleted, its node\'s token no longer reaches it', 'node', 'i1b', 'dataAccess', ['denied', outside]],
  ['after an item is deleted, its organization\'s token no longer reaches it', 'org', 'i1b', 'dataAccess', ['denied', outside]],
  ['after an item is deleted, its sibling stays reachable', 'node', 'i1a', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
]
const AFTER_NODE_DELETED: Row[] = [
  ['after its node is deleted, a node token does not reach it', 'nodeN2', 'n2', 'dataAccess', ['denied', outside]],
  ['after its node is deleted, a node token does not reach its former items', 'nodeN2', 'i2', 'dataAccess', ['denied', outside]],
  ['after a node is deleted, its organization\'s token does not reach its items', 'org', 'i2', 'dataAccess', ['denied', outside]],
  ['after a node is deleted, the other nodes stay manageable', 'org', 'n1', 'apEdit', ['allowed', AclReason.organizationInCid]],
]
const AFTER_VAULT_ITEM_DELETED: Row[] = [
  ['after the agent deletes its vault item, an item token no longer reaches it', 'item', 'vaultItem', 'serviceStore', ['denied', outside]],
  ['after the agent deletes its vault item, the organization\'s token no longer reaches it', 'org', 'vaultItem', 'dataAccess', ['denied', outside]],
  ['after the agent deletes its vault item, the token\'s other item stays reachable', 'item', 'i1a', 'dataAccess', ['allowed', AclReason.inOid]],
]
const IN_GRACE: Row[] = [
  ['after a rotation, the new secret works', 'graceNew', 'i1a', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
  ['during the grace period, the old secret still works', 'graceOld', 'i1a', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
  ['after a rotation without grace, the old secret fails at once', 'noGraceOld', 'i1a', 'dataAccess', 401],
  ['after a rotation without grace, the new secret works', 'noGraceNew', 'i1a', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
  ['before its expiry, a token works', 'expiring', 'i1a', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
]
const AFTER_GRACE_AND_EXPIRY: Row[] = [
  ['after the grace period, the old secret fails', 'graceOld', 'i1a', 'dataAccess', 401],
  ['after the grace period, the new secret still works', 'graceNew', 'i1a', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
  ['after its expiry, a token fails on the next call', 'expiring', 'i1a', 'dataAccess', 401],
]
const AFTER_REVOCATION: Row[] = [
  ['a revoked organization token fails on the next call', 'org', 'i1a', 'dataAccess', 401],
  ['a revoked item token fails on the next call', 'item', 'i1a', 'dataAccess', 401],
  ['a token that was not revoked keeps working', 'node', 'i1a', 'dataAccess', ['allowed', AclReason.nodeInAgid]],
]

describe('ACL evaluation by the service (B5)', () => {
  let world: AclWorld
  const tokens = {} as Record<TokenName, IssuedToken>
  const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
  const resourceId = (resource: Resource): string => resource === 'unknown'
    ? '00000000-0000-4000-8000-000000000000'
    : typeof world[resource] === 'string' ? world[resource] as string : (world[resource] as { uuid: string }).uuid
  const listed = async (keyid: string): Promise<any> =>
    expectCode(await world.alice.sendJob('ListApiTokens', { organization_id: world.orgA }), 200).api_tokens.find((t: any) => t.keyid === keyid)
  const rotate = async (token: IssuedToken, graceSeconds: number): Promise<IssuedToken> => {
    const rotated = expectCode(await world.alice.sendJob('RotateApiTokenSecret', { organization_id: world.orgA, keyid: token.keyid, grace_seconds: graceSeconds }), 200)
    return { keyid: token.keyid, secret: rotated.secret, view: rotated.api_token }
  }

  const check = (rows: Row[]): void => {
    it.each(rows)('%s', async (_name, tokenName, resource, grantType, expected) => {
      const { keyid, secret } = tokens[tokenName]
      const answer = await postExternal(world.service, 'authorize', { keyid, secret, resource: resourceId(resource), grantType })
      if (expected === 401) {
        expect({ status: answer.status, body: answer.body }).toEqual({ status: 401, body: { error: 'Invalid keyid or secret' } })
      } else {
        expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { allowed: expected[0] === 'allowed', reason: expected[1] } })
      }
    })
  }

  beforeAll(async () => {
    world = await buildAclWorld()
    const { alice, bob, orgA } = world
    tokens.org = await createToken(alice, { organization_id: orgA, grant_types: ['dataAccess', 'apEdit'], acl: { cid: [orgA] } })
    tokens.node = await createToken(bob, { organization_id: orgA, acl: { agid: [world.n1.uuid] } })
    tokens.nodeN2 = await createToken(alice, { organization_id: orgA, acl: { agid: [world.n2.uuid] } })
    tokens.item = await createToken(alice, { organization_id: orgA, grant_types: ['dataAccess', 'serviceStore'], acl: { oid: [world.i1a.uuid, world.vaultItem] } })
    tokens.bobItem = await createToken(bob, { organization_id: orgA, acl: { oid: [world.i1b.uuid] } })
  }, 120_000)
  afterAll(async () => { await world?.end() })

  describe('as created', () => { check(AS_CREATED) })

  describe('after deleting an item', () => {
    beforeAll(async () => {
      expectCode(await world.bob.sendJob('DeleteOrganizationNodeItem', { organization_id: world.orgA, item_uuid: world.i1b.uuid }), 200)
    })
    check(AFTER_ITEM_DELETED)
    it('the item is gone from the ACL that named it', async () => {
      expect((await listed(tokens.bobItem.keyid)).acl).toEqual({ cid: [], agid: [], oid: [] })
    })
  })

  describe('after deleting a node', () => {
    beforeAll(async () => {
      expectCode(await world.alice.sendJob('DeleteOrganizationNode', { organization_id: world.orgA, node_uuid: world.n2.uuid }), 200)
    })
    check(AFTER_NODE_DELETED)
    it('the node is gone from the ACL that named it', async () => {
      expect((await listed(tokens.nodeN2.keyid)).acl).toEqual({ cid: [], agid: [], oid: [] })
    })
  })

  describe('after the organization agent deletes its vault item (DeleteItem)', () => {
    beforeAll(async () => {
      const login = expectCode(await world.alice.sendJob('LoginOrganizationAgent', { organization_id: world.orgA }), 200)
      expectCode(await sendJobTo(world.alice, login.agent_device_uuid, 'DeleteItem', { item_id: world.vaultItem }), 200)
      expectCode(await world.alice.sendJob('LogoutOrganizationAgent', { organization_id: world.orgA }), 200)
    })
    check(AFTER_VAULT_ITEM_DELETED)
    it('the vault item is gone from the ACL that named it, the node item stays', async () => {
      expect((await listed(tokens.item.keyid)).acl).toEqual({ cid: [], agid: [], oid: [world.i1a.uuid] })
    })
  })

  describe('after rotations, within the grace period', () => {
    let graceEndsAt = 0
    beforeAll(async () => {
      tokens.graceOld = await createToken(world.alice, { organization_id: world.orgA, acl: { agid: [world.n1.uuid] } })
      tokens.noGraceOld = await createToken(world.alice, { organization_id: world.orgA, acl: { agid: [world.n1.uuid] } })
      tokens.expiring = await createToken(world.alice, { organization_id: world.orgA, acl: { agid: [world.n1.uuid] }, expires_at: new Date(Date.now() + 2500).toISOString() })
      tokens.graceNew = await rotate(tokens.graceOld, 2)
      tokens.noGraceNew = await rotate(tokens.noGraceOld, 0)
      graceEndsAt = Date.parse(tokens.graceNew.view.previous_secret_valid_until)
    })
    check(IN_GRACE)

    describe('after the grace period and the expiry', () => {
      beforeAll(async () => {
        await sleep(Math.max(graceEndsAt, Date.parse(tokens.expiring.view.expires_at)) - Date.now() + 100)
      })
      check(AFTER_GRACE_AND_EXPIRY)
      it('the expired token is listed as expired', async () => {
        expect((await listed(tokens.expiring.keyid)).status).toBe('expired')
      })
    })
  })

  describe('after revocation', () => {
    beforeAll(async () => {
      for (const name of ['org', 'item'] as const) {
        expectCode(await world.alice.sendJob('RevokeApiToken', { organization_id: world.orgA, keyid: tokens[name].keyid }), 200)
      }
    })
    check(AFTER_REVOCATION)
  })
})
