// Members, services and agent logins over MQTT (issue 6 "Bad input"): 404 for non-members, 403 naming the
// role, 409 before validation and for the last owner, and what removing a member takes away.
import type { TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'
import { expectCode, sendJobTo, startWithPlatformAdmin, validatedOrganization } from './organizations.fixture.js'

describe('organization members and services over MQTT', () => {
  let service: TestService
  let admin: Person
  let alice: Person
  let bob: Person
  let carol: Person
  let organizationId: string
  let bobMemberId: string

  const invite = async (role: 'owner' | 'admin' = 'admin'): Promise<string> =>
    expectCode(await alice.sendJob('InviteMember', { organization_id: organizationId, role }), 201).invitation.token

  beforeAll(async () => {
    ({ service, admin } = await startWithPlatformAdmin({ vault: { connectionKeyBits: 2048 } }))
    alice = await onboardPerson(service, { username: 'alice' })
    bob = await onboardPerson(service, { username: 'bob' })
    carol = await onboardPerson(service, { username: 'carol' })
    organizationId = await validatedOrganization(alice, admin, 'SuperData Inc.')
    bobMemberId = expectCode(await bob.sendJob('AcceptMemberInvitation', { token: await invite() }), 201).member.id
  })
  afterAll(async () => {
    for (const person of [admin, alice, bob, carol]) await person?.end()
    await service?.stop()
  })

  describe('a member without the owner role', () => {
    it('is refused owner actions with 403 naming the role', async () => {
      const reply = await bob.sendJob('InviteMember', { organization_id: organizationId })
      expect(reply.metadata).toMatchObject({ code: 403, error: { message: 'inviting members needs the owner role in this organization' } })
      expect((await bob.sendJob('ListMembers', { organization_id: organizationId })).metadata.error.message).toBe('listing members needs the owner role in this organization')
      expectCode(await bob.sendJob('ChangeMemberRole', { organization_id: organizationId, member_id: bobMemberId, role: 'owner' }), 403)
      expectCode(await bob.sendJob('LoginOrganizationAgent', { organization_id: organizationId }), 403)
    })

    it('manages services', async () => {
      const { service: created } = expectCode(await bob.sendJob('CreateOrganizationService', { organization_id: organizationId, name: 'Bob\'s service' }), 201)
      expect(expectCode(await bob.sendJob('ListOrganizationServices', { organization_id: organizationId, status: 'requested' }), 200).services.map((s: any) => s.id)).toContain(created.id)
    })
  })

  describe('a person who is not a member', () => {
    it('is answered 404 on every member action', async () => {
      for (const [jobType, data] of [
        ['InviteMember', { organization_id: organizationId }],
        ['ListMembers', { organization_id: organizationId }],
        ['ListOrganizationServices', { organization_id: organizationId }],
        ['CreateOrganizationNode', { organization_id: organizationId, name: 'gw' }],
        ['LoginOrganizationAgent', { organization_id: organizationId }],
      ] as const) {
        expect({ jobType, ...(await carol.sendJob(jobType, data)).metadata }).toMatchObject({ jobType, code: 404, error: { message: 'organization not found' } })
      }
    })
  })

  describe('a member invitation', () => {
    it('is good once: a second person gets 410', async () => {
      const token = await invite()
      expectCode(await carol.sendJob('AcceptMemberInvitation', { token }), 201)
      const again = await admin.sendJob('AcceptMemberInvitation', { token })
      expect(again.metadata).toMatchObject({ code: 410, error: { message: 'invitation was already used' } })
      const { members } = expectCode(await alice.sendJob('ListMembers', { organization_id: organizationId }), 200)
      await alice.sendJob('RemoveMember', { organization_id: organizationId, member_id: members.find((m: any) => m.name === 'carol').id })
    })

    it('cannot make a member twice (409)', async () => {
      expectCode(await bob.sendJob('AcceptMemberInvitation', { token: await invite() }), 409)
    })

    it('with an unknown token is 404', async () => {
      expectCode(await carol.sendJob('AcceptMemberInvitation', { token: 'no-such-token' }), 404)
    })

    it('accepted with the vault\'s AcceptInvitation still makes a member afterwards', async () => {
      const token = await invite()
      expectCode(await carol.sendJob('AcceptInvitation', { token }), 201)
      const joined = expectCode(await carol.sendJob('AcceptMemberInvitation', { token }), 201)
      expect(joined.member).toMatchObject({ name: 'carol', role: 'admin' })
      expectCode(await alice.sendJob('RemoveMember', { organization_id: organizationId, member_id: joined.member.id }), 200)
    })
  })

  describe('an organization service', () => {
    let serviceId: string
    beforeAll(async () => {
      serviceId = expectCode(await alice.sendJob('CreateOrganizationService', { organization_id: organizationId, name: 'Records' }), 201).service.id
    })

    it('refuses invitations with 409 until it is validated', async () => {
      const reply = await alice.sendJob('CreateServiceInvitation', { organization_id: organizationId, service_id: serviceId })
      expect(reply.metadata).toMatchObject({ code: 409, error: { message: `organization service ${serviceId} is not validated yet` } })
      expectCode(await alice.sendJob('GetOrganizationService', { organization_id: organizationId, service_id: serviceId }), 404)
    })

    it('can be changed while requested and not after validation', async () => {
      const changed = expectCode(await bob.sendJob('UpdateOrganizationService', { organization_id: organizationId, service_id: serviceId, contract: { purpose: 'records' } }), 200)
      expect(changed.service.contract).toEqual({ purpose: 'records' })
      expectCode(await alice.sendJob('ValidateOrganizationService', { organization_id: organizationId, service_id: serviceId }), 403)
      expectCode(await admin.sendJob('ValidateOrganizationService', { organization_id: organizationId, service_id: serviceId }), 200)
      expectCode(await bob.sendJob('UpdateOrganizationService', { organization_id: organizationId, service_id: serviceId, name: 'Late' }), 409)
    })

    it('invites with a token that is not a member invitation (422 from AcceptMemberInvitation)', async () => {
      const { invitation } = expectCode(await alice.sendJob('CreateServiceInvitation', { organization_id: organizationId, service_id: serviceId }), 201)
      const reply = await carol.sendJob('AcceptMemberInvitation', { token: invitation.token })
      expect(reply.metadata).toMatchObject({ code: 422, error: { message: 'this invitation is not an organization member invitation' } })
    })

    it('is acted as by an admin member after login, and not by a device that did not log in', async () => {
      const login = expectCode(await bob.sendJob('LoginOrganizationAgent', { organization_id: organizationId, service_id: serviceId }), 200)
      expectCode(await sendJobTo(bob, login.agent_device_uuid, 'ListConnections', {}), 200)
      await carol.flow.client.publishAsync('message', JSON.stringify({ devices: [login.agent_device_uuid], metadata: { jobType: 'ListConnections', respondTo: 'carol' }, data: {} }), { qos: 1 })
      expect(await carol.flow.nothingWithin(300, e => e.data?.metadata?.to === 'carol')).toBe(true)
      expectCode(await bob.sendJob('LogoutOrganizationAgent', { organization_id: organizationId, service_id: serviceId }), 200)
      const whitelist = (await service.bus.registry.get(login.agent_device_uuid))?.meshblu?.whitelists?.message?.from ?? []
      expect(whitelist.map(e => e.uuid)).not.toContain(bob.flow.uuid)
    })
  })

  describe('the organization agent', () => {
    it('holds a member connection with each invited member', async () => {
      const login = expectCode(await alice.sendJob('LoginOrganizationAgent', { organization_id: organizationId }), 200)
      expect(login.acts_as).toBe('organization_agent')
      const { connections } = expectCode(await sendJobTo(alice, login.agent_device_uuid, 'ListConnections', {}), 200)
      expect(connections).toEqual([expect.objectContaining({ connection_type: 'member', integration_data: expect.objectContaining({ intent: 'member', organization_id: organizationId }) })])
    })
  })

  describe('roles', () => {
    it('let a second owner demote the first, and keep the last owner (409)', async () => {
      const owners = async (): Promise<any[]> => expectCode(await alice.sendJob('ListMembers', { organization_id: organizationId }), 200).members
      const aliceMember = (await owners()).find(m => m.role === 'owner')
      expectCode(await alice.sendJob('ChangeMemberRole', { organization_id: organizationId, member_id: bobMemberId, role: 'owner' }), 200)
      expect(expectCode(await bob.sendJob('ChangeMemberRole', { organization_id: organizationId, member_id: aliceMember.id, role: 'admin' }), 200).member.role).toBe('admin')
      const last = await bob.sendJob('ChangeMemberRole', { organization_id: organizationId, member_id: bobMemberId, role: 'admin' })
      expect(last.metadata).toMatchObject({ code: 409, error: { message: expect.stringContaining('last owner') } })
      expectCode(await bob.sendJob('RemoveMember', { organization_id: organizationId, member_id: bobMemberId }), 409)
      expectCode(await bob.sendJob('ChangeMemberRole', { organization_id: organizationId, member_id: aliceMember.id, role: 'owner' }), 200)
    })

    it('demoting an owner ends their organization agent login', async () => {
      const login = expectCode(await bob.sendJob('LoginOrganizationAgent', { organization_id: organizationId }), 200)
      expectCode(await alice.sendJob('ChangeMemberRole', { organization_id: organizationId, member_id: bobMemberId, role: 'admin' }), 200)
      const whitelist = (await service.bus.registry.get(login.agent_device_uuid))?.meshblu?.whitelists?.message?.from ?? []
      expect(whitelist.map(e => e.uuid)).not.toContain(bob.flow.uuid)
    })

    it('removing a member ends their connection with the organization agent', async () => {
      expectCode(await alice.sendJob('RemoveMember', { organization_id: organizationId, member_id: bobMemberId }), 200)
      expect(expectCode(await bob.sendJob('ListConnections', {}), 200).connections).toEqual([])
      expectCode(await bob.sendJob('ListOrganizationServices', { organization_id: organizationId }), 404)
    })
  })
})
