// RotateApiTokenSecret: a new secret for the same key id; the old one keeps working for the chosen grace period.
import { failing, invalidMessage, job, organizationToken, postExternal, withService } from './support/job-harness.js'

const suite = withService({ platformAdmin: true })
let organizationId: string

beforeAll(async () => { organizationId = await suite.organization('alice', 'Hill Valley Garage') })

const alicesToken = async (): Promise<{ keyid: string, secret: string }> => await organizationToken(await suite.person('alice'), organizationId)

describe('RotateApiTokenSecret', () => {
  it('gives a new secret; with a grace period both secrets authenticate', async () => {
    const token = await alicesToken()
    const rotated = await job(await suite.person('alice'), 'RotateApiTokenSecret', { organization_id: organizationId, keyid: token.keyid, grace_seconds: 60 })
    expect(rotated.secret).not.toBe(token.secret)
    expect(rotated.api_token).toMatchObject({ keyid: token.keyid, status: 'active', previous_secret_valid_until: expect.any(String) })
    expect((await postExternal(suite.service, 'auth', { keyid: token.keyid, secret: rotated.secret })).status).toBe(200)
    expect((await postExternal(suite.service, 'auth', token)).status).toBe(200)
  })

  it('with no grace period, the old secret stops at once', async () => {
    const token = await alicesToken()
    const rotated = await job(await suite.person('alice'), 'RotateApiTokenSecret', { organization_id: organizationId, keyid: token.keyid, grace_seconds: 0 })
    expect((await postExternal(suite.service, 'auth', token)).status).toBe(401)
    expect((await postExternal(suite.service, 'auth', { keyid: token.keyid, secret: rotated.secret })).status).toBe(200)
  })

  it('refuses a revoked token (409)', async () => {
    const alice = await suite.person('alice')
    const token = await alicesToken()
    await job(alice, 'RevokeApiToken', { organization_id: organizationId, keyid: token.keyid })
    expect(await failing(alice, 'RotateApiTokenSecret', { organization_id: organizationId, keyid: token.keyid, grace_seconds: 0 })).toEqual({ code: 409, message: 'this API token is revoked' })
  })

  it('refuses a grace period over 30 days, naming the field (422)', async () => {
    const data = { organization_id: organizationId, keyid: '00000000-0000-4000-8000-000000000000', grace_seconds: 2_592_001 }
    expect(await invalidMessage(await suite.person('alice'), 'RotateApiTokenSecret', data)).toEqual(['message.data.grace_seconds must be <= 2592000'])
  })
})
