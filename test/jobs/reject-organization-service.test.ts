// RejectOrganizationService: a platform admin rejects a requested service; it gets no agent.
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { service: 'requested' })

describe('RejectOrganizationService', () => {
  it('is refused to an owner, who is no platform admin (403)', async () => {
    expect(await failing(await suite.person('alice'), 'RejectOrganizationService', { organization_id: garage.id, service_id: garage.serviceId }))
      .toEqual({ code: 403, message: 'only platform admins may reject organization services' })
  })

  it('rejects it for a platform admin', async () => {
    const { service } = await job(suite.admin(), 'RejectOrganizationService', { organization_id: garage.id, service_id: garage.serviceId })
    expect(service).toMatchObject({ id: garage.serviceId, status: 'rejected', validated_at: null })
  })

  it('leaves it without an agent to log into (409) and closed to review (409)', async () => {
    expect(await failing(await suite.person('alice'), 'LoginOrganizationAgent', { organization_id: garage.id, service_id: garage.serviceId }))
      .toEqual({ code: 409, message: `organization service ${garage.serviceId} was rejected by the platform admins` })
    expect(await failing(suite.admin(), 'ValidateOrganizationService', { organization_id: garage.id, service_id: garage.serviceId }))
      .toEqual({ code: 409, message: `organization service ${garage.serviceId} is already rejected` })
  })
})
