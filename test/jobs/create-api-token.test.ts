// CreateApiToken: owners and admins make an API token under the role rules of intercoop-auroral B2; the secret
// is shown once and authenticates at /api/external/v1/auth. test/e2e/acl-tokens.test.ts walks every rule.
import { failing, job, postExternal, withService } from './support/job-harness.js'

const suite = withService({ platformAdmin: true })
let organizationId: string

beforeAll(async () => { organizationId = await suite.organization('alice', 'Hill Valley Garage', { admins: ['bob'] }) })

describe('CreateApiToken', () => {
  it('gives an owner an organization-level token whose secret, shown once, authenticates', async () => {
    const alice = await suite.person('alice')
    const created = await job(alice, 'CreateApiToken', { organization_id: organizationId, name: 'garage', acl: { cid: [organizationId] } }, 201)
    expect(created.api_token).toMatchObject({ organization_id: organizationId, name: 'garage', grant_types: ['dataAccess'], status: 'active', expires_at: null })
    const answer = await postExternal(suite.service, 'auth', { keyid: created.api_token.keyid, secret: created.secret })
    expect(answer.body).toEqual({ error: null, message: { grantType: ['dataAccess'], ACL: { cid: [organizationId], agid: [], oid: [] } } })
  })

  it('refuses an organization-level token to an admin (403)', async () => {
    expect(await failing(await suite.person('bob'), 'CreateApiToken', { organization_id: organizationId, name: 'mine', acl: { cid: [organizationId] } }))
      .toEqual({ code: 403, message: 'an organization-level API token needs the owner role in this organization' })
  })

  it('refuses to someone who is not a member as if the organization did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'CreateApiToken', { organization_id: organizationId, name: 'stolen', acl: { cid: [organizationId] } }))
      .toEqual({ code: 404, message: 'organization not found' })
  })
})
