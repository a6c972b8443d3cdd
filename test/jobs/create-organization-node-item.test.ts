// CreateOrganizationNodeItem: owners and admins register a device under a node; its token, shown once,
// connects it, and the node may message it.
import { connectDevice } from '../support/mqtt-device.js'
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite)

describe('CreateOrganizationNodeItem', () => {
  it('answers 201 with the item and a token that connects it; its node reaches it', async () => {
    const alice = await suite.person('alice')
    const created = await job(alice, 'CreateOrganizationNode', { organization_id: garage.id, name: 'Garage gateway' }, 201)
    const { item, token } = await job(alice, 'CreateOrganizationNodeItem', { organization_id: garage.id, node_uuid: created.node.uuid, name: 'Thermometer' }, 201)
    expect(item).toEqual({ uuid: expect.any(String), node_uuid: created.node.uuid, name: 'Thermometer', created_at: expect.any(String) })

    const [node, device] = await Promise.all([
      connectDevice(suite.service.mqttPort, created.node.uuid, created.token),
      connectDevice(suite.service.mqttPort, item.uuid, token),
    ])
    try {
      await node.client.publishAsync('message', JSON.stringify({ devices: [item.uuid], data: { read: 'temperature' } }), { qos: 1 })
      expect((await device.next(e => e.topic === 'message')).data).toMatchObject({ fromUuid: created.node.uuid, data: { read: 'temperature' } })
    } finally {
      await Promise.all([node.end(), device.end()])
    }
  })

  it('answers a node uuid of no node there with 404', async () => {
    expect(await failing(await suite.person('alice'), 'CreateOrganizationNodeItem', { organization_id: garage.id, node_uuid: garage.id, name: 'Stray' }))
      .toEqual({ code: 404, message: 'organization node not found' })
  })
})
