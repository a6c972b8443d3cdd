// InviteMember: an owner has the organization agent invite a person with a role; the token is shown once.
// test/e2e/organizations-members.test.ts walks what members may do.
import { failing, invalidMessage, job, joinOrganization, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite)

describe('InviteMember', () => {
  it('gives an owner an invitation with the role and expiry asked for, whose token makes a member', async () => {
    const before = Date.now()
    const { invitation } = await job(await suite.person('alice'), 'InviteMember', { organization_id: garage.id, role: 'owner', expires_in_days: 7 }, 201)
    expect(invitation).toEqual({ id: expect.any(String), token: expect.any(String), organization_id: garage.id, role: 'owner', expires_at: expect.any(String) })
    expect(Date.parse(invitation.expires_at) - before).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000)
    const joined = await job(await suite.person('marty'), 'AcceptMemberInvitation', { token: invitation.token }, 201)
    expect(joined.member).toMatchObject({ name: 'marty', role: 'owner' })
  })

  it('is refused to an admin member, naming the owner role (403)', async () => {
    await joinOrganization(await suite.person('alice'), await suite.person('bob'), garage.id, 'admin')
    expect(await failing(await suite.person('bob'), 'InviteMember', { organization_id: garage.id }))
      .toEqual({ code: 403, message: 'inviting members needs the owner role in this organization' })
  })

  it('refuses an expiry under a day, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'InviteMember', { organization_id: garage.id, expires_in_days: 0 }))
      .toEqual(['message.data.expires_in_days must be >= 1'])
  })
})
