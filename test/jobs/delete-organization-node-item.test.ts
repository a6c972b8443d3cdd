// DeleteOrganizationNodeItem: owners and admins unregister a device under a node; the node stays.
import { connectDevice } from '../support/mqtt-device.js'
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite)

describe('DeleteOrganizationNodeItem', () => {
  it('removes the item from its node, and its token no longer connects', async () => {
    const alice = await suite.person('alice')
    const created = await job(alice, 'CreateOrganizationNode', { organization_id: garage.id, name: 'Garage gateway' }, 201)
    const { item, token } = await job(alice, 'CreateOrganizationNodeItem', { organization_id: garage.id, node_uuid: created.node.uuid, name: 'Thermometer' }, 201)
    expect(await job(alice, 'DeleteOrganizationNodeItem', { organization_id: garage.id, item_uuid: item.uuid }))
      .toEqual({ organization_id: garage.id, item_uuid: item.uuid, deleted: true })
    expect((await job(alice, 'ListOrganizationNodes', { organization_id: garage.id })).nodes).toEqual([created.node])
    await expect(connectDevice(suite.service.mqttPort, item.uuid, token)).rejects.toThrow('Connection refused: Bad username or password')
  })

  it('answers an item uuid of no item there with 404', async () => {
    expect(await failing(await suite.person('alice'), 'DeleteOrganizationNodeItem', { organization_id: garage.id, item_uuid: garage.id }))
      .toEqual({ code: 404, message: 'organization node item not found' })
  })
})
