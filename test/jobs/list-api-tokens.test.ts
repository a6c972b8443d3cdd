// ListApiTokens: members see their organization's API tokens with their last use, never a secret.
import { failing, job, postExternal, withService } from './support/job-harness.js'

const suite = withService({ platformAdmin: true })
let organizationId: string

beforeAll(async () => { organizationId = await suite.organization('alice', 'Hill Valley Garage', { admins: ['bob'] }) })

describe('ListApiTokens', () => {
  it('shows a member the organization\'s tokens with their last use, and never a secret', async () => {
    const created = await job(await suite.person('alice'), 'CreateApiToken', { organization_id: organizationId, name: 'garage', acl: { cid: [organizationId] } }, 201)
    await postExternal(suite.service, 'auth', { keyid: created.api_token.keyid, secret: created.secret })
    const { api_tokens: tokens } = await job(await suite.person('bob'), 'ListApiTokens', { organization_id: organizationId })
    expect(tokens).toEqual([expect.objectContaining({
      keyid: created.api_token.keyid, organization_id: organizationId, name: 'garage', status: 'active', acl: { cid: [organizationId], agid: [], oid: [] }, last_used_at: expect.any(String),
    })])
    expect(JSON.stringify(tokens)).not.toContain(created.secret)
  })

  it('answers someone who is not a member as if the organization did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'ListApiTokens', { organization_id: organizationId })).toEqual({ code: 404, message: 'organization not found' })
  })
})
