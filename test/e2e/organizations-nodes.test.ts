// Organization nodes and node items over MQTT (the ACL's agid and oid): a gateway device the organization
// owns, devices under it, their tokens shown once, and the node reaching the devices it hosts.
import type { TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'
import { connectDevice } from '../support/mqtt-device.js'
import { expectCode, startWithPlatformAdmin, validatedOrganization } from './organizations.fixture.js'

describe('organization nodes over MQTT', () => {
  let service: TestService
  let admin: Person
  let alice: Person
  let carol: Person
  let organizationId: string
  beforeAll(async () => {
    ({ service, admin } = await startWithPlatformAdmin({ vault: { connectionKeyBits: 2048 } }))
    alice = await onboardPerson(service, { username: 'alice' })
    carol = await onboardPerson(service, { username: 'carol' })
    organizationId = await validatedOrganization(alice, admin, 'SuperData Inc.')
  })
  afterAll(async () => {
    for (const person of [admin, alice, carol]) await person?.end()
    await service?.stop()
  })

  it('a node and a device under it connect with their tokens, and the node messages the device', async () => {
    const created = expectCode(await alice.sendJob('CreateOrganizationNode', { organization_id: organizationId, name: 'Factory gateway' }), 201)
    expect(created.node).toMatchObject({ organization_id: organizationId, name: 'Factory gateway', items: [] })
    const { item, token } = expectCode(await alice.sendJob('CreateOrganizationNodeItem', { organization_id: organizationId, node_uuid: created.node.uuid, name: 'Thermometer' }), 201)
    expect(item).toMatchObject({ node_uuid: created.node.uuid, name: 'Thermometer' })

    const node = await connectDevice(service.mqttPort, created.node.uuid, created.token)
    const device = await connectDevice(service.mqttPort, item.uuid, token)
    await node.client.publishAsync('message', JSON.stringify({ devices: [item.uuid], data: { read: 'temperature' } }), { qos: 1 })
    const received = await device.next(e => e.topic === 'message')
    expect(received.data).toMatchObject({ fromUuid: created.node.uuid, data: { read: 'temperature' } })
    await node.end()
    await device.end()

    const { nodes } = expectCode(await alice.sendJob('ListOrganizationNodes', { organization_id: organizationId }), 200)
    expect(nodes).toEqual([expect.objectContaining({ uuid: created.node.uuid, items: [expect.objectContaining({ uuid: item.uuid })] })])
    expect(JSON.stringify(nodes)).not.toContain(created.token)
  })

  it('an item on a node of no such organization is 404', async () => {
    const reply = await alice.sendJob('CreateOrganizationNodeItem', { organization_id: organizationId, node_uuid: '00000000-0000-4000-8000-000000000000', name: 'x' })
    expect(reply.metadata).toMatchObject({ code: 404, error: { message: 'organization node not found' } })
  })

  it('a person who is not a member cannot create or list nodes (404)', async () => {
    expectCode(await carol.sendJob('CreateOrganizationNode', { organization_id: organizationId, name: 'Mine' }), 404)
    expectCode(await carol.sendJob('ListOrganizationNodes', { organization_id: organizationId }), 404)
  })

  it('deleting a node item and a node unregisters their devices', async () => {
    const [node] = expectCode(await alice.sendJob('ListOrganizationNodes', { organization_id: organizationId }), 200).nodes
    const itemUuid = node.items[0].uuid
    expectCode(await alice.sendJob('DeleteOrganizationNodeItem', { organization_id: organizationId, item_uuid: itemUuid }), 200)
    expect((await service.bus.registry.get(itemUuid))).toBeUndefined()
    expectCode(await alice.sendJob('DeleteOrganizationNode', { organization_id: organizationId, node_uuid: node.uuid }), 200)
    expect((await service.bus.registry.get(node.uuid))).toBeUndefined()
    expect(expectCode(await alice.sendJob('ListOrganizationNodes', { organization_id: organizationId }), 200).nodes).toEqual([])
  })
})
