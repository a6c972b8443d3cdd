// AcceptMemberInvitation: a person joins an organization with an invitation token and gets a member
// connection with the organization agent. test/e2e/organizations-members.test.ts covers the other tokens.
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite)

const invitationToken = async (): Promise<string> =>
  (await job(await suite.person('alice'), 'InviteMember', { organization_id: garage.id, role: 'admin' }, 201)).invitation.token

describe('AcceptMemberInvitation', () => {
  let token: string

  it('makes the person a member with the invited role and a member connection named as they chose', async () => {
    const bob = await suite.person('bob')
    token = await invitationToken()
    const joined = await job(bob, 'AcceptMemberInvitation', { token, name: 'The garage' }, 201)
    expect(joined.organization).toMatchObject({ id: garage.id, name: 'Hill Valley Garage', role: 'admin' })
    expect(joined.member).toEqual({ id: expect.any(String), name: 'bob', role: 'admin', joined_at: expect.any(String) })
    expect(joined.connection).toEqual({
      id: expect.any(String),
      connection_type: 'member',
      integration_data: { intent: 'member', organization_id: garage.id, organization_member_role: 'admin', organization_member_id: joined.member.id },
    })
    expect((await job(bob, 'ListConnections', {})).connections).toEqual([expect.objectContaining({ id: joined.connection.id, name: 'The garage' })])
  })

  it('refuses a token already used (410)', async () => {
    expect(await failing(await suite.person('biff'), 'AcceptMemberInvitation', { token })).toEqual({ code: 410, message: 'invitation was already used' })
  })

  it('refuses a member a second membership (409)', async () => {
    expect(await failing(await suite.person('bob'), 'AcceptMemberInvitation', { token: await invitationToken() }))
      .toEqual({ code: 409, message: 'you are already a member of this organization' })
  })

  it('answers an unknown token with 404', async () => {
    expect(await failing(await suite.person('biff'), 'AcceptMemberInvitation', { token: 'no-such-token' })).toEqual({ code: 404, message: 'invitation not found' })
  })
})
