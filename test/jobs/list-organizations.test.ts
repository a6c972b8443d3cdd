// ListOrganizations: the validated organizations (default), the caller's own requests, or those the caller is a member of.
import { invalidMessage, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite)
let requestedId: string

const idsOf = (reply: { organizations: Array<{ id: string }> }): string[] => reply.organizations.map(o => o.id)

beforeAll(async () => {
  requestedId = (await job(await suite.person('alice'), 'CreateOrganization', { name: 'Twin Pines Mall' }, 201)).organization.id
})

describe('ListOrganizations', () => {
  it('lists validated organizations to anyone by default', async () => {
    expect(idsOf(await job(await suite.person('biff'), 'ListOrganizations', {}))).toEqual([garage.id])
  })

  it('lists the caller\'s own requests in requested mode, and no one else\'s', async () => {
    expect(idsOf(await job(await suite.person('alice'), 'ListOrganizations', { mode: 'requested' }))).toEqual([requestedId])
    expect(idsOf(await job(await suite.person('biff'), 'ListOrganizations', { mode: 'requested' }))).toEqual([])
  })

  it('lists where the caller is a member, with the caller\'s role, in member mode', async () => {
    const { organizations } = await job(await suite.person('alice'), 'ListOrganizations', { mode: 'member' })
    expect(organizations).toEqual([expect.objectContaining({ id: garage.id, status: 'validated', role: 'owner' })])
  })

  it('refuses an unknown mode, naming the ones it knows (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'ListOrganizations', { mode: 'all' }))
      .toEqual(['message.data.mode must be one of: "validated", "requested", "member"'])
  })
})
