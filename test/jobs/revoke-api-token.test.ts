// RevokeApiToken: an owner, or the token's creator, ends a token; /api/external/v1/auth refuses it from the next call.
import { failing, job, organizationToken, postExternal, withService } from './support/job-harness.js'

const suite = withService({ platformAdmin: true })
let organizationId: string

beforeAll(async () => { organizationId = await suite.organization('alice', 'Hill Valley Garage', { admins: ['bob'] }) })

const alicesToken = async (): Promise<{ keyid: string, secret: string }> => await organizationToken(await suite.person('alice'), organizationId)

describe('RevokeApiToken', () => {
  it('revokes the token: it shows as revoked and no longer authenticates', async () => {
    const token = await alicesToken()
    expect((await postExternal(suite.service, 'auth', token)).status).toBe(200)
    const { api_token: revoked } = await job(await suite.person('alice'), 'RevokeApiToken', { organization_id: organizationId, keyid: token.keyid })
    expect(revoked).toMatchObject({ keyid: token.keyid, status: 'revoked', revoked_at: expect.any(String) })
    expect(await postExternal(suite.service, 'auth', token)).toMatchObject({ status: 401, text: '{"error":"Invalid keyid or secret"}' })
  })

  it('refuses an admin on a token someone else created (403)', async () => {
    const token = await alicesToken()
    expect(await failing(await suite.person('bob'), 'RevokeApiToken', { organization_id: organizationId, keyid: token.keyid }))
      .toEqual({ code: 403, message: 'revoking an API token needs the owner role in this organization or to be the token\'s creator' })
  })

  it('answers an unknown key id 404', async () => {
    expect(await failing(await suite.person('alice'), 'RevokeApiToken', { organization_id: organizationId, keyid: '00000000-0000-4000-8000-000000000000' }))
      .toEqual({ code: 404, message: 'API token not found' })
  })
})
