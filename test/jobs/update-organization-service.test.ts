// UpdateOrganizationService: owners and admins change a service while it is requested, not after its review (409).
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { service: 'requested' })

describe('UpdateOrganizationService', () => {
  it('changes a requested service, keeping the fields not given', async () => {
    const { service } = await job(await suite.person('alice'), 'UpdateOrganizationService', { organization_id: garage.id, service_id: garage.serviceId, description: 'Fixes cars', contract: { purpose: 'repairs' } })
    expect(service).toMatchObject({ id: garage.serviceId, name: 'Repairs', description: 'Fixes cars', contract: { purpose: 'repairs' }, status: 'requested' })
  })

  it('refuses to change it once validated (409)', async () => {
    await job(suite.admin(), 'ValidateOrganizationService', { organization_id: garage.id, service_id: garage.serviceId })
    expect(await failing(await suite.person('alice'), 'UpdateOrganizationService', { organization_id: garage.id, service_id: garage.serviceId, name: 'Late' }))
      .toEqual({ code: 409, message: `organization service ${garage.serviceId} can be changed only while it is requested` })
  })

  it('answers a service id of no service there with 404', async () => {
    expect(await failing(await suite.person('alice'), 'UpdateOrganizationService', { organization_id: garage.id, service_id: garage.id, name: 'Ghost' }))
      .toEqual({ code: 404, message: 'organization service not found' })
  })
})
