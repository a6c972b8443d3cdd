// CreateOrganization: a person requests an organization; it waits, `requested`, for a platform admin's review.
// test/e2e/organizations-lifecycle.test.ts follows it from request to deletion.
import { invalidMessage, job, withService } from './support/job-harness.js'

const suite = withService()

describe('CreateOrganization', () => {
  it('answers 201 with the requested organization and where its key will be kept', async () => {
    const alice = await suite.person('alice')
    const created = await job(alice, 'CreateOrganization', { name: 'Hill Valley Garage', description: 'Time machines', url: 'https://garage.example', email: 'doc@garage.example' }, 201)
    expect(created.organization).toEqual({
      id: expect.any(String), name: 'Hill Valley Garage', description: 'Time machines', url: 'https://garage.example', email: 'doc@garage.example',
      status: 'requested', created_at: expect.any(String), validated_at: null,
    })
    expect(created.key_custody).toMatch(/made when a platform admin validates the organization .* never shown/)
  })

  it('lists the request among its requester\'s requested organizations', async () => {
    const alice = await suite.person('alice')
    const { organization } = await job(alice, 'CreateOrganization', { name: 'Twin Pines Mall' }, 201)
    const { organizations } = await job(alice, 'ListOrganizations', { mode: 'requested' })
    expect(organizations.map((o: { id: string }) => o.id)).toContain(organization.id)
  })

  it('refuses a request without a name, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'CreateOrganization', { description: 'nameless' })).toEqual(['message.data.name is required'])
  })
})
