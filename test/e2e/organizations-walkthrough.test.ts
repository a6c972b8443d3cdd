// Issue 6 acceptance: the seed's organization walkthrough (meeco-vault §7) over MQTT. Alice creates
// "SuperData Inc.", an admin validates it, Alice invites Bob as a member, Bob accepts and appears in the
// member list, Alice creates "Data Sharing Service", the admin validates it, the service invites Dave,
// Dave accepts, the service shares an item with Dave and Dave shares one back; each side reads what it got.
import { allDevices } from '../support/all-devices.js'
import type { TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'
import { expectCode, sendJobTo, startWithPlatformAdmin } from './organizations.fixture.js'

describe('meeco-vault §6–§7: the organization walkthrough', () => {
  let service: TestService
  let admin: Person
  let alice: Person
  let bob: Person
  let dave: Person
  const state: Record<string, any> = {}
  const asService = async (jobType: string, data: unknown): Promise<any> => await sendJobTo(alice, state.serviceAgentDevice, jobType, data)

  beforeAll(async () => {
    ({ service, admin } = await startWithPlatformAdmin({ vault: { connectionKeyBits: 2048 } }))
    alice = await onboardPerson(service, { username: 'alice' })
    bob = await onboardPerson(service, { username: 'bob' })
    dave = await onboardPerson(service, { username: 'dave' })
  })
  afterAll(async () => {
    for (const person of [admin, alice, bob, dave]) await person?.end()
    await service?.stop()
  })

  it('1. Alice creates "SuperData Inc." and it waits for review', async () => {
    const data = expectCode(await alice.sendJob('CreateOrganization', { name: 'SuperData Inc.', description: 'We share data', url: 'https://superdata.example', email: 'hi@superdata.example' }), 201)
    expect(data.organization).toMatchObject({ name: 'SuperData Inc.', status: 'requested' })
    state.organizationId = data.organization.id
    const waiting = expectCode(await admin.sendJob('ListRequestedOrganizations', {}), 200).organizations
    expect(waiting.map((o: any) => o.name)).toEqual(['SuperData Inc.'])
  })

  it('2. the platform admin validates it', async () => {
    const data = expectCode(await admin.sendJob('ValidateOrganization', { organization_id: state.organizationId }), 200)
    expect(data.organization.status).toBe('validated')
    expect(data.agent).toMatchObject({ public_key: expect.stringMatching(/PUBLIC KEY/), private_key: null })
  })

  it('3. Alice invites Bob as a member and Bob accepts with the token', async () => {
    const { invitation } = expectCode(await alice.sendJob('InviteMember', { organization_id: state.organizationId, role: 'admin' }), 201)
    expect(invitation).toMatchObject({ organization_id: state.organizationId, role: 'admin', token: expect.any(String) })
    const joined = expectCode(await bob.sendJob('AcceptMemberInvitation', { token: invitation.token, name: 'SuperData' }), 201)
    expect(joined.organization).toMatchObject({ id: state.organizationId, role: 'admin' })
    expect(joined.connection).toEqual({
      id: expect.any(String),
      connection_type: 'member',
      integration_data: { intent: 'member', organization_id: state.organizationId, organization_member_role: 'admin', organization_member_id: joined.member.id },
    })
    const bobsConnections = expectCode(await bob.sendJob('ListConnections', {}), 200).connections
    expect(bobsConnections).toEqual([expect.objectContaining({ id: joined.connection.id, name: 'SuperData', connection_type: 'member' })])
  })

  it('4. Bob appears in the member list', async () => {
    const { members } = expectCode(await alice.sendJob('ListMembers', { organization_id: state.organizationId }), 200)
    expect(members.map((m: any) => [m.name, m.role])).toEqual([['alice', 'owner'], ['bob', 'admin']])
    expect(expectCode(await bob.sendJob('ListOrganizations', { mode: 'member' }), 200).organizations).toEqual([expect.objectContaining({ name: 'SuperData Inc.', role: 'admin' })])
  })

  it('5. Alice creates "Data Sharing Service" and the platform admin validates it', async () => {
    const created = expectCode(await alice.sendJob('CreateOrganizationService', {
      organization_id: state.organizationId, name: 'Data Sharing Service', description: 'Shares your records with you', contract: { purpose: 'record keeping', retention_days: 30 },
    }), 201)
    expect(created.service).toMatchObject({ status: 'requested', contract: { purpose: 'record keeping', retention_days: 30 } })
    state.serviceId = created.service.id
    expect(expectCode(await bob.sendJob('ListOrganizationServices', { organization_id: state.organizationId }), 200).services).toEqual([])
    expect(expectCode(await admin.sendJob('ListRequestedOrganizationServices', {}), 200).services.map((s: any) => s.id)).toEqual([state.serviceId])
    const validated = expectCode(await admin.sendJob('ValidateOrganizationService', { organization_id: state.organizationId, service_id: state.serviceId }), 200)
    expect(validated.service.status).toBe('validated')
    expect(validated.agent.private_key).toBeNull()
    const seenByBob = expectCode(await bob.sendJob('GetOrganizationService', { organization_id: state.organizationId, service_id: state.serviceId }), 200)
    expect(seenByBob.service).toMatchObject({ name: 'Data Sharing Service', status: 'validated' })
  })

  it('6. the service invites Dave and Dave accepts: both sides hold a service connection', async () => {
    const { invitation } = expectCode(await alice.sendJob('CreateServiceInvitation', { organization_id: state.organizationId, service_id: state.serviceId, name: 'Dave' }), 201)
    const accepted = expectCode(await dave.sendJob('AcceptInvitation', { token: invitation.token, name: 'Data Sharing Service' }), 201)
    const integration = { intent: 'service', organization_id: state.organizationId, service_id: state.serviceId }
    expect(accepted.connection).toMatchObject({ connection_type: 'service', integration_data: integration })
    state.daveConnection = accepted.connection.id

    const login = expectCode(await alice.sendJob('LoginOrganizationAgent', { organization_id: state.organizationId, service_id: state.serviceId }), 200)
    expect(login.acts_as).toBe('service_agent')
    state.serviceAgentDevice = login.agent_device_uuid
    const reply = await asService('ListConnections', {})
    expect(reply.fromUuid).toBe(state.serviceAgentDevice)
    const [connection] = expectCode(reply, 200).connections
    expect(connection).toMatchObject({ name: 'Dave', connection_type: 'service', integration_data: integration })
    state.serviceConnection = connection.id
  })

  it('7. the service shares an item with Dave and Dave reads it', async () => {
    const { item } = expectCode(await asService('CreateItem', { template_name: 'custom', label: 'Loyalty card', slots: [{ name: 'member_number', value: 'SD-0042' }] }), 201)
    expectCode(await asService('ShareItem', { item_id: item.id, connection_id: state.serviceConnection }), 201)
    const [incoming] = expectCode(await dave.sendJob('ListShares', { direction: 'incoming' }), 200).shares
    expect(incoming).toMatchObject({ label: 'Loyalty card', connection_id: state.daveConnection })
    const read = expectCode(await dave.sendJob('GetIncomingShare', { share_id: incoming.id }), 200)
    expect(read.item.slots).toEqual([expect.objectContaining({ name: 'member_number', value: 'SD-0042', value_verified: true })])
  })

  it('8. Dave shares an item back and the service reads it', async () => {
    const { item } = expectCode(await dave.sendJob('CreateItem', { template_name: 'custom', label: 'Postal address', slots: [{ name: 'street', value: '1 Data Lane' }] }), 201)
    expectCode(await dave.sendJob('ShareItem', { item_id: item.id, connection_id: state.daveConnection }), 201)
    const [incoming] = expectCode(await asService('ListShares', { direction: 'incoming' }), 200).shares
    expect(incoming).toMatchObject({ label: 'Postal address', connection_id: state.serviceConnection })
    const read = expectCode(await asService('GetIncomingShare', { share_id: incoming.id }), 200)
    expect(read.item.slots).toEqual([expect.objectContaining({ name: 'street', value: '1 Data Lane', value_verified: true })])
  })

  it('9. deleting the service ends Dave\'s connection, the shares both ways and the service\'s items', async () => {
    const deletedItems: string[] = []
    service.endo.services.organizations.events.on('item.deleted', e => deletedItems.push(e.itemId))
    expectCode(await alice.sendJob('DeleteOrganizationService', { organization_id: state.organizationId, service_id: state.serviceId }), 200)
    expect(expectCode(await dave.sendJob('ListConnections', {}), 200).connections).toEqual([])
    expect(expectCode(await dave.sendJob('ListShares', { direction: 'incoming' }), 200).shares).toEqual([])
    expect(expectCode(await dave.sendJob('ListShares', { direction: 'outgoing' }), 200).shares).toEqual([])
    expect(deletedItems).toHaveLength(1)
    expect((await service.bus.registry.get(state.serviceAgentDevice))).toBeUndefined()
  })

  it('leaves no agent private key in any reply or device document (the leak scan covers the database)', async () => {
    const documents = JSON.stringify(await allDevices(service.bus))
    expect(documents).not.toMatch(/PRIVATE KEY/)
  })
})
