// ListMembers: owners see the organization's members and their roles.
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { bob: 'admin' })

describe('ListMembers', () => {
  it('shows an owner the organization and each member with their role, in the order they joined', async () => {
    const listed = await job(await suite.person('alice'), 'ListMembers', { organization_id: garage.id })
    expect(listed.organization).toMatchObject({ id: garage.id, role: 'owner' })
    expect(listed.members.map((m: { name: string, role: string }) => [m.name, m.role])).toEqual([['alice', 'owner'], ['bob', 'admin']])
  })

  it('is refused to an admin member, naming the owner role (403)', async () => {
    expect(await failing(await suite.person('bob'), 'ListMembers', { organization_id: garage.id }))
      .toEqual({ code: 403, message: 'listing members needs the owner role in this organization' })
  })

  it('answers someone who is not a member as if the organization did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'ListMembers', { organization_id: garage.id })).toEqual({ code: 404, message: 'organization not found' })
  })
})
