// RemoveMember: owners remove a member, whose connection with the organization agent ends; the last owner stays (409).
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { bob: 'admin' })

describe('RemoveMember', () => {
  it('removes a member: gone from the list, no longer a member, connection with the organization ended', async () => {
    const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
    expect(await job(alice, 'RemoveMember', { organization_id: garage.id, member_id: garage.bobId })).toEqual({ organization_id: garage.id, member_id: garage.bobId, deleted: true })
    expect((await job(alice, 'ListMembers', { organization_id: garage.id })).members.map((m: { name: string }) => m.name)).toEqual(['alice'])
    expect((await job(bob, 'ListOrganizations', { mode: 'member' })).organizations).toEqual([])
    expect((await job(bob, 'ListConnections', {})).connections).toEqual([])
  })

  it('refuses to remove the last owner (409)', async () => {
    const alice = await suite.person('alice')
    const [owner] = (await job(alice, 'ListMembers', { organization_id: garage.id })).members
    expect(await failing(alice, 'RemoveMember', { organization_id: garage.id, member_id: owner.id }))
      .toEqual({ code: 409, message: 'an organization keeps at least one owner: the last owner can be neither demoted nor removed' })
  })

  it('answers a member id not in the organization with 404', async () => {
    expect(await failing(await suite.person('alice'), 'RemoveMember', { organization_id: garage.id, member_id: garage.id }))
      .toEqual({ code: 404, message: 'organization member not found' })
  })
})
