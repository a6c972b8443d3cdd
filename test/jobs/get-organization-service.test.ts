// GetOrganizationService: owners and admins read a validated service; before validation it is not found (404).
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { service: 'requested' })

describe('GetOrganizationService', () => {
  it('answers a requested service with 404', async () => {
    expect(await failing(await suite.person('alice'), 'GetOrganizationService', { organization_id: garage.id, service_id: garage.serviceId }))
      .toEqual({ code: 404, message: 'organization service not found' })
  })

  it('shows a validated service to an owner', async () => {
    await job(suite.admin(), 'ValidateOrganizationService', { organization_id: garage.id, service_id: garage.serviceId })
    const { service } = await job(await suite.person('alice'), 'GetOrganizationService', { organization_id: garage.id, service_id: garage.serviceId })
    expect(service).toMatchObject({ id: garage.serviceId, organization_id: garage.id, name: 'Repairs', status: 'validated', validated_at: expect.any(String) })
  })

  it('answers someone who is not a member as if the organization did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'GetOrganizationService', { organization_id: garage.id, service_id: garage.serviceId }))
      .toEqual({ code: 404, message: 'organization not found' })
  })
})
