// DeleteOrganizationService: owners and admins remove a service and its agent.
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { service: 'validated' })

describe('DeleteOrganizationService', () => {
  it('answers someone who is not a member as if the organization did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'DeleteOrganizationService', { organization_id: garage.id, service_id: garage.serviceId }))
      .toEqual({ code: 404, message: 'organization not found' })
  })

  it('removes a validated service: no longer listed, and its agent cannot be logged into', async () => {
    const alice = await suite.person('alice')
    expect(await job(alice, 'DeleteOrganizationService', { organization_id: garage.id, service_id: garage.serviceId }))
      .toEqual({ organization_id: garage.id, service_id: garage.serviceId, deleted: true })
    expect((await job(alice, 'ListOrganizationServices', { organization_id: garage.id })).services).toEqual([])
    expect(await failing(alice, 'LoginOrganizationAgent', { organization_id: garage.id, service_id: garage.serviceId }))
      .toEqual({ code: 404, message: 'organization service not found' })
  })
})
