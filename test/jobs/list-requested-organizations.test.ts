// ListRequestedOrganizations: platform admins see the organizations waiting for their review.
import { failing, job, withService } from './support/job-harness.js'

const suite = withService({ platformAdmin: true })

describe('ListRequestedOrganizations', () => {
  it('lists to a platform admin every request waiting for review, and not the validated ones', async () => {
    const validatedId = await suite.organization('alice', 'Hill Valley Garage')
    const { organization } = await job(await suite.person('biff'), 'CreateOrganization', { name: 'Biff Co.' }, 201)
    const { organizations } = await job(suite.admin(), 'ListRequestedOrganizations', {})
    expect(organizations).toEqual([expect.objectContaining({ id: organization.id, name: 'Biff Co.', status: 'requested' })])
    expect(organizations.map((o: { id: string }) => o.id)).not.toContain(validatedId)
  })

  it('is refused to a person who is no platform admin (403)', async () => {
    expect(await failing(await suite.person('biff'), 'ListRequestedOrganizations', {}))
      .toEqual({ code: 403, message: 'only platform admins may list requested organizations' })
  })
})
