// CreateOrganizationService: owners and admins request a service of a validated organization; it waits,
// `requested`, for a platform admin. test/e2e/organizations-members.test.ts follows a service to its agent.
import { failing, job, withService } from './support/job-harness.js'

const suite = withService({ platformAdmin: true })

describe('CreateOrganizationService', () => {
  it('answers an owner 201 with the requested service and where its key will be kept', async () => {
    const organizationId = await suite.organization('alice', 'Hill Valley Garage')
    const created = await job(await suite.person('alice'), 'CreateOrganizationService', { organization_id: organizationId, name: 'Repairs', description: 'Fixes cars', contract: { purpose: 'repairs' } }, 201)
    expect(created.service).toEqual({
      id: expect.any(String), organization_id: organizationId, name: 'Repairs', description: 'Fixes cars', contract: { purpose: 'repairs' },
      status: 'requested', created_at: expect.any(String), validated_at: null,
    })
    expect(created.key_custody).toMatch(/made when a platform admin validates the service .* never shown/)
  })

  it('refuses a service of an organization not validated yet (409)', async () => {
    const { organization } = await job(await suite.person('alice'), 'CreateOrganization', { name: 'Twin Pines Mall' }, 201)
    expect(await failing(await suite.person('alice'), 'CreateOrganizationService', { organization_id: organization.id, name: 'Too early' }))
      .toEqual({ code: 409, message: `organization ${organization.id} is not validated yet` })
  })
})
