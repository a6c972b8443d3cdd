// CreateInvitation: a fresh connection key pair and a one-time token the person passes on out of band.
import { failing, invalidMessage, job, withService } from './support/job-harness.js'

const suite = withService()

describe('CreateInvitation', () => {
  it('answers with the invitation and a token the invitee can read it with', async () => {
    const { invitation, token } = await job(await suite.person('alice'), 'CreateInvitation', { name: 'Marty' }, 201)
    expect(invitation).toEqual({ id: expect.any(String), own: true, state: 'new', connection_type: null, integration_data: null, expires_at: null, created_at: expect.any(String) })
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await job(await suite.person('bob'), 'GetInvitation', { token })).invitation).toMatchObject({ own: false, state: 'new' })
  })

  it('keeps the expiry it is given', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString()
    const { invitation } = await job(await suite.person('alice'), 'CreateInvitation', { expires_at: expiresAt }, 201)
    expect(invitation.expires_at).toBe(expiresAt)
  })

  it('refuses an expiry in the past (422)', async () => {
    expect(await failing(await suite.person('alice'), 'CreateInvitation', { expires_at: '1955-11-12T22:04:00Z' })).toEqual({ code: 422, message: 'expires_at must be in the future' })
  })

  it('refuses an expiry that is not a date-time, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'CreateInvitation', { expires_at: 'next Saturday night' })).toEqual(['message.data.expires_at must be a valid date-time'])
  })
})
