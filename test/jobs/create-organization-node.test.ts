// CreateOrganizationNode: owners and admins register a gateway device for the organization; its token,
// shown once, connects it. test/e2e/organizations-nodes.test.ts has the node message its devices.
import { connectDevice } from '../support/mqtt-device.js'
import { failing, invalidMessage, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite)

describe('CreateOrganizationNode', () => {
  it('answers 201 with the node and a token that connects it over MQTT', async () => {
    const created = await job(await suite.person('alice'), 'CreateOrganizationNode', { organization_id: garage.id, name: 'Garage gateway' }, 201)
    expect(created.node).toEqual({ uuid: expect.any(String), organization_id: garage.id, name: 'Garage gateway', created_at: expect.any(String), items: [] })
    const node = await connectDevice(suite.service.mqttPort, created.node.uuid, created.token)
    await node.end()
  })

  it('answers someone who is not a member as if the organization did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'CreateOrganizationNode', { organization_id: garage.id, name: 'Biff\'s gateway' }))
      .toEqual({ code: 404, message: 'organization not found' })
  })

  it('refuses a node without a name, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'CreateOrganizationNode', { organization_id: garage.id })).toEqual(['message.data.name is required'])
  })
})
