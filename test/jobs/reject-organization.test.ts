// RejectOrganization: a platform admin rejects a requested organization; it can then be neither validated nor used.
import { failing, job, withService } from './support/job-harness.js'

const suite = withService({ platformAdmin: true })
let organizationId: string

beforeAll(async () => {
  organizationId = (await job(await suite.person('biff'), 'CreateOrganization', { name: 'Biff Co.' }, 201)).organization.id
})

describe('RejectOrganization', () => {
  it('is refused to a person who is no platform admin (403)', async () => {
    expect(await failing(await suite.person('biff'), 'RejectOrganization', { organization_id: organizationId }))
      .toEqual({ code: 403, message: 'only platform admins may reject organizations' })
  })

  it('rejects it for a platform admin, and its requester sees it rejected', async () => {
    const { organization } = await job(suite.admin(), 'RejectOrganization', { organization_id: organizationId })
    expect(organization).toMatchObject({ id: organizationId, status: 'rejected', validated_at: null })
    expect((await job(await suite.person('biff'), 'GetOrganization', { organization_id: organizationId })).organization.status).toBe('rejected')
  })

  it('leaves it rejected: no validation (409) and no services (409)', async () => {
    expect(await failing(suite.admin(), 'ValidateOrganization', { organization_id: organizationId }))
      .toEqual({ code: 409, message: `organization ${organizationId} is already rejected` })
    expect(await failing(await suite.person('biff'), 'CreateOrganizationService', { organization_id: organizationId, name: 'Sports almanac' }))
      .toEqual({ code: 409, message: `organization ${organizationId} was rejected by the platform admins` })
  })
})
