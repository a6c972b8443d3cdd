// ChangeMemberRole: owners change a member's role; the last owner is never demoted (409).
import { failing, invalidMessage, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { bob: 'admin' })

describe('ChangeMemberRole', () => {
  it('is refused to an admin member, naming the owner role (403)', async () => {
    expect(await failing(await suite.person('bob'), 'ChangeMemberRole', { organization_id: garage.id, member_id: garage.bobId, role: 'owner' }))
      .toEqual({ code: 403, message: 'changing member roles needs the owner role in this organization' })
  })

  it('lets an owner make an admin an owner, who may then act as one', async () => {
    const { member } = await job(await suite.person('alice'), 'ChangeMemberRole', { organization_id: garage.id, member_id: garage.bobId, role: 'owner' })
    expect(member).toEqual({ id: garage.bobId, name: 'bob', role: 'owner', joined_at: expect.any(String) })
    expect((await job(await suite.person('bob'), 'ListMembers', { organization_id: garage.id })).members).toHaveLength(2)
  })

  it('refuses to demote the last owner (409)', async () => {
    const alice = await suite.person('alice')
    const aliceId = (await job(alice, 'ListMembers', { organization_id: garage.id })).members.find((m: { name: string }) => m.name === 'alice').id
    await job(alice, 'ChangeMemberRole', { organization_id: garage.id, member_id: garage.bobId, role: 'admin' })
    expect(await failing(alice, 'ChangeMemberRole', { organization_id: garage.id, member_id: aliceId, role: 'admin' }))
      .toEqual({ code: 409, message: 'an organization keeps at least one owner: the last owner can be neither demoted nor removed' })
  })

  it('answers a member id not in the organization with 404', async () => {
    expect(await failing(await suite.person('alice'), 'ChangeMemberRole', { organization_id: garage.id, member_id: garage.id, role: 'admin' }))
      .toEqual({ code: 404, message: 'organization member not found' })
  })

  it('refuses a role it does not know, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'ChangeMemberRole', { organization_id: garage.id, member_id: garage.bobId, role: 'member' }))
      .toEqual(['message.data.role must be one of: "owner", "admin"'])
  })
})
