// CancelInvitation: the person's own unused invitation stops working.
import { failing, job, withService } from './support/job-harness.js'

const suite = withService()

describe('CancelInvitation', () => {
  it('cancels the invitation: its token is then refused with 410', async () => {
    const alice = await suite.person('alice')
    const { invitation, token } = await job(alice, 'CreateInvitation', {}, 201)
    expect((await job(alice, 'CancelInvitation', { invitation_id: invitation.id })).invitation).toMatchObject({ id: invitation.id, own: true, state: 'cancelled' })
    expect(await failing(await suite.person('bob'), 'AcceptInvitation', { token })).toEqual({ code: 410, message: 'invitation was cancelled' })
    expect(await failing(alice, 'CancelInvitation', { invitation_id: invitation.id })).toEqual({ code: 410, message: 'invitation was cancelled' })
  })

  it('refuses an invitation already accepted (410)', async () => {
    const alice = await suite.person('alice')
    const { invitation, token } = await job(alice, 'CreateInvitation', {}, 201)
    await job(await suite.person('bob'), 'AcceptInvitation', { token }, 201)
    expect(await failing(alice, 'CancelInvitation', { invitation_id: invitation.id })).toEqual({ code: 410, message: 'invitation was already used' })
  })

  it('answers someone else\'s invitation as not found (404)', async () => {
    const { invitation } = await job(await suite.person('alice'), 'CreateInvitation', {}, 201)
    expect(await failing(await suite.person('biff'), 'CancelInvitation', { invitation_id: invitation.id })).toEqual({ code: 404, message: 'invitation not found' })
  })
})
