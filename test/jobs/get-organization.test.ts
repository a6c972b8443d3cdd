// GetOrganization: a validated organization to anyone; a requested one only to its requester and platform admins.
import { failing, invalidMessage, job, withService } from './support/job-harness.js'

const suite = withService()
let organizationId: string

beforeAll(async () => {
  organizationId = (await job(await suite.person('alice'), 'CreateOrganization', { name: 'Hill Valley Garage' }, 201)).organization.id
})

describe('GetOrganization', () => {
  it('shows its requester the organization while it waits for review', async () => {
    const { organization } = await job(await suite.person('alice'), 'GetOrganization', { organization_id: organizationId })
    expect(organization).toMatchObject({ id: organizationId, name: 'Hill Valley Garage', status: 'requested', validated_at: null })
  })

  it('answers anyone else as if it did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'GetOrganization', { organization_id: organizationId })).toEqual({ code: 404, message: 'organization not found' })
  })

  it('refuses an id that is not a uuid, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'GetOrganization', { organization_id: 'garage' })).toEqual(['message.data.organization_id must be a valid uuid'])
  })
})
