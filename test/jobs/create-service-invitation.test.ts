// CreateServiceInvitation: an owner or admin has a validated organization service's agent invite a person;
// accepting connects the person with the service. test/e2e/organizations-walkthrough.test.ts goes on from there.
import { failing, job, withService } from './support/job-harness.js'

const suite = withService({ platformAdmin: true })
let organizationId: string, serviceId: string

beforeAll(async () => {
  organizationId = await suite.organization('alice', 'Hill Valley Garage')
  serviceId = (await job(await suite.person('alice'), 'CreateOrganizationService', { organization_id: organizationId, name: 'Repairs' }, 201)).service.id
})

describe('CreateServiceInvitation', () => {
  it('refuses a service that is not validated yet (409)', async () => {
    expect(await failing(await suite.person('alice'), 'CreateServiceInvitation', { organization_id: organizationId, service_id: serviceId }))
      .toEqual({ code: 409, message: `organization service ${serviceId} is not validated yet` })
  })

  it('gives a token whose acceptance connects the person with the service', async () => {
    await job(suite.admin(), 'ValidateOrganizationService', { organization_id: organizationId, service_id: serviceId })
    const { invitation } = await job(await suite.person('alice'), 'CreateServiceInvitation', { organization_id: organizationId, service_id: serviceId, name: 'Marty', expires_in_days: 7 }, 201)
    expect(invitation).toEqual({ id: expect.any(String), token: expect.any(String), organization_id: organizationId, service_id: serviceId, expires_at: expect.any(String) })
    const { connection } = await job(await suite.person('marty'), 'AcceptInvitation', { token: invitation.token, name: 'Repairs' }, 201)
    expect(connection).toMatchObject({ name: 'Repairs', connection_type: 'service', integration_data: { intent: 'service', organization_id: organizationId, service_id: serviceId } })
  })

  it('answers someone who is not a member as if the organization did not exist (404)', async () => {
    expect((await failing(await suite.person('biff'), 'CreateServiceInvitation', { organization_id: organizationId, service_id: serviceId })).code).toBe(404)
  })
})
