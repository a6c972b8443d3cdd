// DeleteOrganization: an owner removes a validated organization with its agents, services, members and nodes.
// test/e2e/organizations-lifecycle.test.ts also checks its devices leave the registry.
import { connectDevice } from '../support/mqtt-device.js'
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { bob: 'admin' })

describe('DeleteOrganization', () => {
  it('is refused to an admin member, naming the owner role (403)', async () => {
    expect(await failing(await suite.person('bob'), 'DeleteOrganization', { organization_id: garage.id }))
      .toEqual({ code: 403, message: 'changing an organization needs the owner role in this organization' })
  })

  it('removes the organization for an owner: it is gone, and so are its members and its nodes\' devices', async () => {
    const alice = await suite.person('alice')
    const { node, token } = await job(alice, 'CreateOrganizationNode', { organization_id: garage.id, name: 'Garage gateway' }, 201)
    expect(await job(alice, 'DeleteOrganization', { organization_id: garage.id })).toEqual({ organization_id: garage.id, deleted: true })
    expect(await failing(alice, 'GetOrganization', { organization_id: garage.id })).toEqual({ code: 404, message: 'organization not found' })
    expect((await job(await suite.person('bob'), 'ListOrganizations', { mode: 'member' })).organizations).toEqual([])
    await expect(connectDevice(suite.service.mqttPort, node.uuid, token)).rejects.toThrow('Connection refused: Bad username or password')
  })

  it('answers an organization that no longer exists with 404', async () => {
    expect(await failing(await suite.person('alice'), 'DeleteOrganization', { organization_id: garage.id })).toEqual({ code: 404, message: 'organization not found' })
  })
})
