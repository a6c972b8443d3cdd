// ListOrganizationNodes: owners and admins see the organization's nodes and the devices under each, never their tokens.
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite)

describe('ListOrganizationNodes', () => {
  it('lists each node with its items, and no token', async () => {
    const alice = await suite.person('alice')
    const created = await job(alice, 'CreateOrganizationNode', { organization_id: garage.id, name: 'Garage gateway' }, 201)
    const { item, token } = await job(alice, 'CreateOrganizationNodeItem', { organization_id: garage.id, node_uuid: created.node.uuid, name: 'Thermometer' }, 201)
    const { nodes } = await job(alice, 'ListOrganizationNodes', { organization_id: garage.id })
    expect(nodes).toEqual([{ ...created.node, items: [item] }])
    for (const secret of [created.token, token]) expect(JSON.stringify(nodes)).not.toContain(secret)
  })

  it('answers someone who is not a member as if the organization did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'ListOrganizationNodes', { organization_id: garage.id })).toEqual({ code: 404, message: 'organization not found' })
  })
})
