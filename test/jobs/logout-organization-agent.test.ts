// LogoutOrganizationAgent: the sending flow device may no longer act as the agent; jobs it sends there go unanswered.
import { failing, job, sendJobTo, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite)

describe('LogoutOrganizationAgent', () => {
  it('ends the login: the agent device no longer takes the flow device\'s jobs', async () => {
    const alice = await suite.person('alice')
    const login = await job(alice, 'LoginOrganizationAgent', { organization_id: garage.id })
    expect((await sendJobTo(alice, login.agent_device_uuid, 'ListConnections', {})).metadata.code).toBe(200)
    expect(await job(alice, 'LogoutOrganizationAgent', { organization_id: garage.id })).toEqual(login)
    await alice.flow.client.publishAsync('message', JSON.stringify({ devices: [login.agent_device_uuid], metadata: { jobType: 'ListConnections', respondTo: 'after-logout' }, data: {} }), { qos: 1 })
    expect(await alice.flow.nothingWithin(300, e => e.data?.metadata?.to === 'after-logout')).toBe(true)
  })

  it('answers someone who is not a member as if the organization did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'LogoutOrganizationAgent', { organization_id: garage.id })).toEqual({ code: 404, message: 'organization not found' })
  })
})
