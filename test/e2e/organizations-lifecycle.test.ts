// Organizations from request to deletion over MQTT (issue 6): visibility, platform-admin review, the agent
// key kept inside, and the bad-input codes that need no members.
import type { TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'
import { expectCode, startWithPlatformAdmin, validatedOrganization } from './organizations.fixture.js'

describe('organizations over MQTT', () => {
  let service: TestService
  let admin: Person
  let alice: Person
  let mallory: Person
  beforeAll(async () => {
    ({ service, admin } = await startWithPlatformAdmin({ vault: { connectionKeyBits: 2048 } }))
    alice = await onboardPerson(service, { username: 'alice' })
    mallory = await onboardPerson(service, { username: 'mallory' })
  })
  afterAll(async () => {
    for (const person of [admin, alice, mallory]) await person?.end()
    await service?.stop()
  })

  describe('a requested organization', () => {
    let id: string
    beforeAll(async () => {
      const data = expectCode(await alice.sendJob('CreateOrganization', { name: 'SuperData Inc.', description: 'Data', url: 'https://superdata.example', email: 'hello@superdata.example' }), 201)
      id = data.organization.id
      expect(data.organization).toMatchObject({ name: 'SuperData Inc.', status: 'requested', validated_at: null })
      expect(data.key_custody).toMatch(/kept inside endo-vault/)
    })

    it('is visible to its requester and platform admins only', async () => {
      expect(expectCode(await alice.sendJob('GetOrganization', { organization_id: id }), 200).organization.status).toBe('requested')
      expectCode(await admin.sendJob('GetOrganization', { organization_id: id }), 200)
      expect((await mallory.sendJob('GetOrganization', { organization_id: id })).metadata).toMatchObject({ code: 404, error: { message: 'organization not found' } })
    })

    it('is listed in its requester\'s requested mode and not among validated organizations', async () => {
      const requested = expectCode(await alice.sendJob('ListOrganizations', { mode: 'requested' }), 200).organizations
      expect(requested.map((o: any) => o.id)).toContain(id)
      expect(expectCode(await alice.sendJob('ListOrganizations', {}), 200).organizations.map((o: any) => o.id)).not.toContain(id)
      expect(expectCode(await mallory.sendJob('ListOrganizations', { mode: 'requested' }), 200).organizations).toEqual([])
    })

    it('can be changed by its requester and by nobody else', async () => {
      expect(expectCode(await alice.sendJob('UpdateOrganization', { organization_id: id, description: 'Data, shared' }), 200).organization.description).toBe('Data, shared')
      expectCode(await mallory.sendJob('UpdateOrganization', { organization_id: id, name: 'Mine' }), 404)
    })

    it('refuses services and members with 409 saying it is not validated yet', async () => {
      const service = await alice.sendJob('CreateOrganizationService', { organization_id: id, name: 'Too early' })
      expect(service.metadata).toMatchObject({ code: 409, error: { message: `organization ${id} is not validated yet` } })
      expect((await alice.sendJob('ListMembers', { organization_id: id })).metadata).toMatchObject({ code: 409, error: { message: `organization ${id} is not validated yet` } })
    })

    it('cannot be reviewed by a person who is not a platform admin (403)', async () => {
      expect((await alice.sendJob('ValidateOrganization', { organization_id: id })).metadata).toMatchObject({ code: 403, error: { message: 'only platform admins may validate organizations' } })
      expectCode(await mallory.sendJob('RejectOrganization', { organization_id: id }), 403)
      expectCode(await alice.sendJob('ListRequestedOrganizations', {}), 403)
    })

    it('is listed for platform admins as waiting for review', async () => {
      expect(expectCode(await admin.sendJob('ListRequestedOrganizations', {}), 200).organizations.map((o: any) => o.id)).toContain(id)
    })

    describe('once a platform admin validates it', () => {
      let validation: any
      beforeAll(async () => { validation = await admin.sendJob('ValidateOrganization', { organization_id: id }) })

      it('is validated, with an agent whose private key is kept inside and never shown', () => {
        const data = expectCode(validation, 200)
        expect(data.organization).toMatchObject({ id, status: 'validated' })
        expect(data.organization.validated_at).toEqual(expect.any(String))
        expect(data.agent.public_key).toMatch(/^-----BEGIN PUBLIC KEY-----/)
        expect(data.agent.private_key).toBeNull()
        expect(data.agent.key_custody).toMatch(/kept inside endo-vault .* never shown/)
        expect(JSON.stringify(validation)).not.toMatch(/PRIVATE KEY/)
      })

      it('keeps the agent key pair in an encrypted envelope on the agent credentials device', async () => {
        const row = await service.store.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
        const document = JSON.stringify((await service.bus.registry.get(row.agent_uuid as string)))
        expect(document).not.toMatch(/PRIVATE KEY/)
        const blob = (await service.endo.credentials.open(row.agent_uuid as string)) as any
        expect(blob.secrets.agentPrivateKey).toMatch(/BEGIN RSA PRIVATE KEY/)
        expect(blob.agent.public_key).toBe(row.agent_public_key)
      })

      it('makes its requester the first owner', async () => {
        const mine = expectCode(await alice.sendJob('ListOrganizations', { mode: 'member' }), 200).organizations
        expect(mine).toEqual([expect.objectContaining({ id, role: 'owner', status: 'validated' })])
        const { members } = expectCode(await alice.sendJob('ListMembers', { organization_id: id }), 200)
        expect(members).toEqual([{ id: expect.any(String), name: 'alice', role: 'owner', joined_at: expect.any(String) }])
      })

      it('is visible to everyone', async () => {
        expect(expectCode(await mallory.sendJob('ListOrganizations', {}), 200).organizations.map((o: any) => o.id)).toContain(id)
      })

      it('cannot be validated twice (409)', async () => {
        expectCode(await admin.sendJob('ValidateOrganization', { organization_id: id }), 409)
      })

      it('answers a person who is not a member with 404', async () => {
        expect((await mallory.sendJob('ListMembers', { organization_id: id })).metadata).toMatchObject({ code: 404, error: { message: 'organization not found' } })
        expectCode(await mallory.sendJob('CreateOrganizationService', { organization_id: id, name: 'Not mine' }), 404)
        expectCode(await mallory.sendJob('DeleteOrganization', { organization_id: id }), 404)
      })

      it('refuses to demote or remove its last owner (409)', async () => {
        const [owner] = expectCode(await alice.sendJob('ListMembers', { organization_id: id }), 200).members
        const demote = await alice.sendJob('ChangeMemberRole', { organization_id: id, member_id: owner.id, role: 'admin' })
        expect(demote.metadata).toMatchObject({ code: 409, error: { message: expect.stringMatching(/last owner/) } })
        expectCode(await alice.sendJob('RemoveMember', { organization_id: id, member_id: owner.id }), 409)
      })
    })
  })

  describe('a rejected organization', () => {
    it('is rejected and refuses services with 409', async () => {
      const { organization } = expectCode(await mallory.sendJob('CreateOrganization', { name: 'Shady Ltd' }), 201)
      expect(expectCode(await admin.sendJob('RejectOrganization', { organization_id: organization.id }), 200).organization.status).toBe('rejected')
      expectCode(await mallory.sendJob('CreateOrganizationService', { organization_id: organization.id, name: 'x' }), 409)
      expectCode(await admin.sendJob('ValidateOrganization', { organization_id: organization.id }), 409)
    })
  })

  describe('deleting an organization', () => {
    it('removes it, its agent devices and its nodes', async () => {
      const id = await validatedOrganization(alice, admin, 'Short Lived')
      const row = await service.store.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      const { node } = expectCode(await alice.sendJob('CreateOrganizationNode', { organization_id: id, name: 'gw' }), 201)
      const deleted: string[] = []
      service.endo.services.organizations.events.on('organization.deleted', e => deleted.push(e.organizationId))
      expect(expectCode(await alice.sendJob('DeleteOrganization', { organization_id: id }), 200)).toEqual({ organization_id: id, deleted: true })
      expectCode(await alice.sendJob('GetOrganization', { organization_id: id }), 404)
      for (const uuid of [row.agent_uuid, row.agent_device_uuid, node.uuid]) expect((await service.bus.registry.get(uuid as string))).toBeUndefined()
      expect(deleted).toEqual([id])
    })
  })
})
