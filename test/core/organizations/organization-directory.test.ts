// The read API the ACL uses (organization-directory.ts), driven through the domain with plain parties:
// which organizations exist, who holds which role, which nodes and items an organization owns.
import { startTestService, type TestService } from '../../support/test-service.js'
import type { JobParties } from '../../../src/core/job-context.js'
import type { OrganizationsDomain } from '../../../src/core/organizations/organizations-domain.js'

const person = (name: string): JobParties => ({ senderUuid: `${name}-flow`, userUuid: `${name}-user`, credentialsUuid: `${name}-credentials` })
const admin = person('admin')
const alice = person('alice')

describe('the organizations directory', () => {
  let service: TestService
  let domain: OrganizationsDomain
  let organizationId: string
  beforeAll(async () => {
    service = await startTestService({ platformAdmins: [admin.credentialsUuid], vault: { connectionKeyBits: 2048 } })
    domain = service.endo.services.organizations
    organizationId = (await domain.organizations.create(alice, { name: 'SuperData Inc.' })).id
  })
  afterAll(async () => { await service?.stop() })

  it('knows a requested organization as not existing yet, and a validated one as existing', async () => {
    expect(await domain.directory.organizationExists(organizationId)).toBe(false)
    await domain.organizations.validate(admin, organizationId)
    expect(await domain.directory.organizationExists(organizationId)).toBe(true)
    expect(await domain.directory.organizationExists('00000000-0000-4000-8000-000000000000')).toBe(false)
  })

  it('gives a person\'s role by credentials-device uuid', async () => {
    expect(await domain.directory.roleOf(organizationId, alice.credentialsUuid)).toBe('owner')
    expect(await domain.directory.roleOf(organizationId, admin.credentialsUuid)).toBeUndefined()
  })

  describe('nodes and items', () => {
    let nodeUuid: string
    let itemUuid: string
    let vaultItemId: string
    beforeAll(async () => {
      const { node, token } = await domain.nodes.create(alice, organizationId, 'gateway')
      nodeUuid = node.uuid
      expect(await service.bus.authenticate(nodeUuid, token)).toBe(true)
      itemUuid = (await domain.nodes.createItem(alice, organizationId, nodeUuid, 'thermometer')).item.uuid
      const row = await service.store.selectFrom('organizations').select('agent_uuid').where('id', '=', organizationId).executeTakeFirstOrThrow()
      const agent = await domain.agents.vaultOwnerOf(row.agent_uuid as string)
      vaultItemId = (await service.endo.services.vault.items.create(agent, { template_name: 'custom', label: 'Price list' })).id
    })

    it('finds a node and the organization owning it', async () => {
      expect(await domain.directory.nodeOf(nodeUuid)).toEqual({ uuid: nodeUuid, organizationId, name: 'gateway' })
      expect(await domain.directory.nodesOf(organizationId)).toEqual([{ uuid: nodeUuid, organizationId, name: 'gateway' }])
    })

    it('finds a node item device with its node, and a vault item of the organization agent', async () => {
      expect(await domain.directory.itemOf(itemUuid)).toEqual({ id: itemUuid, kind: 'device', organizationId, nodeUuid, createdBy: alice.credentialsUuid })
      expect(await domain.directory.itemOf(vaultItemId)).toEqual({ id: vaultItemId, kind: 'vault-item', organizationId, nodeUuid: null, createdBy: null })
      expect((await domain.directory.itemsOf(organizationId)).map(item => item.id)).toEqual([itemUuid, vaultItemId])
    })

    it('lets the node configure the item device it hosts', async () => {
      const updated = await service.bus.update({ uuid: nodeUuid }, itemUuid, { $set: { reading: 21 } })
      expect(updated.reading).toBe(21)
      expect((await service.bus.registry.get(itemUuid))?.owner).toBe(nodeUuid)
    })

    it('forgets a deleted node and its items and says so', async () => {
      const events: string[] = []
      domain.events.on('node.deleted', e => events.push(`node ${e.nodeUuid}`))
      domain.events.on('item.deleted', e => events.push(`item ${e.itemId}`))
      await domain.nodes.remove(alice, organizationId, nodeUuid)
      expect(events).toEqual([`item ${itemUuid}`, `node ${nodeUuid}`])
      expect(await domain.directory.nodeOf(nodeUuid)).toBeUndefined()
      expect(await domain.directory.itemOf(itemUuid)).toBeUndefined()
      expect((await service.bus.registry.get(nodeUuid))).toBeUndefined()
      expect((await service.bus.registry.get(itemUuid))).toBeUndefined()
    })
  })

  it('admits platform admins listed by user-device uuid too', async () => {
    const { isPlatformAdmin } = await import('../../../src/core/organizations/platform-admins.js')
    const config = { ...service.config, platformAdmins: ['someone-user'] }
    expect(isPlatformAdmin(config, person('someone'))).toBe(true)
    expect(isPlatformAdmin(config, person('other'))).toBe(false)
  })
})
