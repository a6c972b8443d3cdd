// LoginOrganizationAgent: the sending flow device may then send vault jobs to the agent's device, which
// run as the agent. Organization agent: owners only; a service's agent: owners and admins.
import { failing, job, sendJobTo, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { bob: 'admin' })

describe('LoginOrganizationAgent', () => {
  it('lets an owner act as the organization agent, whose vault holds the member connections', async () => {
    const alice = await suite.person('alice')
    const login = await job(alice, 'LoginOrganizationAgent', { organization_id: garage.id })
    expect(login).toEqual({ agent_device_uuid: expect.any(String), acts_as: 'organization_agent' })
    const reply = await sendJobTo(alice, login.agent_device_uuid, 'ListConnections', {})
    expect(reply.metadata.code).toBe(200)
    expect(reply.data.connections).toEqual([expect.objectContaining({ connection_type: 'member', integration_data: expect.objectContaining({ organization_id: garage.id }) })])
  })

  it('refuses the organization agent to an admin member, naming the owner role (403)', async () => {
    expect(await failing(await suite.person('bob'), 'LoginOrganizationAgent', { organization_id: garage.id }))
      .toEqual({ code: 403, message: 'acting as the organization needs the owner role in this organization' })
  })

  it('answers someone who is not a member as if the organization did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'LoginOrganizationAgent', { organization_id: garage.id })).toEqual({ code: 404, message: 'organization not found' })
  })
})
