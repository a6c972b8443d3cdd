// DeleteOrganizationNode: owners and admins unregister a node and the devices under it.
import { connectDevice } from '../support/mqtt-device.js'
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite)

describe('DeleteOrganizationNode', () => {
  it('removes the node and its items: no longer listed, and their tokens no longer connect', async () => {
    const alice = await suite.person('alice')
    const created = await job(alice, 'CreateOrganizationNode', { organization_id: garage.id, name: 'Garage gateway' }, 201)
    const { item, token } = await job(alice, 'CreateOrganizationNodeItem', { organization_id: garage.id, node_uuid: created.node.uuid, name: 'Thermometer' }, 201)
    expect(await job(alice, 'DeleteOrganizationNode', { organization_id: garage.id, node_uuid: created.node.uuid }))
      .toEqual({ organization_id: garage.id, node_uuid: created.node.uuid, deleted: true })
    expect((await job(alice, 'ListOrganizationNodes', { organization_id: garage.id })).nodes).toEqual([])
    await expect(connectDevice(suite.service.mqttPort, created.node.uuid, created.token)).rejects.toThrow('Connection refused: Bad username or password')
    await expect(connectDevice(suite.service.mqttPort, item.uuid, token)).rejects.toThrow('Connection refused: Bad username or password')
  })

  it('answers a node uuid of no node there with 404', async () => {
    expect(await failing(await suite.person('alice'), 'DeleteOrganizationNode', { organization_id: garage.id, node_uuid: garage.id }))
      .toEqual({ code: 404, message: 'organization node not found' })
  })
})
