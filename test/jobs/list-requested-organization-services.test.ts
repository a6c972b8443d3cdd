// ListRequestedOrganizationServices: platform admins see the services waiting for their review.
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { service: 'validated' })

describe('ListRequestedOrganizationServices', () => {
  it('lists to a platform admin every requested service, and not the validated ones', async () => {
    const requested = (await job(await suite.person('alice'), 'CreateOrganizationService', { organization_id: garage.id, name: 'Upgrades' }, 201)).service
    const { services } = await job(suite.admin(), 'ListRequestedOrganizationServices', {})
    expect(services).toEqual([expect.objectContaining({ id: requested.id, organization_id: garage.id, name: 'Upgrades', status: 'requested' })])
  })

  it('is refused to a person who is no platform admin (403)', async () => {
    expect(await failing(await suite.person('alice'), 'ListRequestedOrganizationServices', {}))
      .toEqual({ code: 403, message: 'only platform admins may list requested organization services' })
  })
})
