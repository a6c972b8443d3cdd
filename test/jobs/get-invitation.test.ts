// GetInvitation: the invitation behind a token; its inviter sees it in any state, others only while usable (410 after).
import { failing, job, withService } from './support/job-harness.js'

const suite = withService()
let token: string, invitationId: string

beforeAll(async () => { ({ token, invitation: { id: invitationId } } = await job(await suite.person('alice'), 'CreateInvitation', {}, 201)) })

describe('GetInvitation', () => {
  it('shows the invitee the invitation without its id, and the inviter with it', async () => {
    const { invitation } = await job(await suite.person('bob'), 'GetInvitation', { token })
    expect(invitation).toEqual({ own: false, state: 'new', connection_type: null, integration_data: null, expires_at: null, created_at: expect.any(String) })
    expect((await job(await suite.person('alice'), 'GetInvitation', { token })).invitation).toMatchObject({ id: invitationId, own: true, state: 'new' })
  })

  it('answers an unknown token 404', async () => {
    expect(await failing(await suite.person('bob'), 'GetInvitation', { token: 'not-a-token' })).toEqual({ code: 404, message: 'invitation not found' })
  })

  it('answers others 410 once the token was used; the inviter sees it accepted', async () => {
    await job(await suite.person('bob'), 'AcceptInvitation', { token }, 201)
    expect(await failing(await suite.person('biff'), 'GetInvitation', { token })).toEqual({ code: 410, message: 'invitation was already used' })
    expect((await job(await suite.person('alice'), 'GetInvitation', { token })).invitation.state).toBe('accepted')
  })
})
