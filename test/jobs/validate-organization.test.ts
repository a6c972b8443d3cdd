// ValidateOrganization: a platform admin validates a requested organization; its agent is made, the agent's
// private key kept inside (never shown), and the requester becomes the first owner.
import { failing, job, withService } from './support/job-harness.js'

const suite = withService({ platformAdmin: true })
let organizationId: string

beforeAll(async () => {
  organizationId = (await job(await suite.person('alice'), 'CreateOrganization', { name: 'Hill Valley Garage' }, 201)).organization.id
})

describe('ValidateOrganization', () => {
  it('is refused to the requester, who is no platform admin (403)', async () => {
    expect(await failing(await suite.person('alice'), 'ValidateOrganization', { organization_id: organizationId }))
      .toEqual({ code: 403, message: 'only platform admins may validate organizations' })
  })

  it('validates it for a platform admin, showing the agent\'s public key only', async () => {
    const reply = await suite.admin().sendJob('ValidateOrganization', { organization_id: organizationId })
    expect(reply.metadata.code).toBe(200)
    expect(reply.data.organization).toMatchObject({ id: organizationId, status: 'validated', validated_at: expect.any(String) })
    expect(reply.data.agent).toEqual({ public_key: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/), private_key: null, key_custody: expect.stringMatching(/never shown/) })
    expect(JSON.stringify(reply)).not.toMatch(/PRIVATE KEY/)
  })

  it('makes the requester its first owner', async () => {
    const { members } = await job(await suite.person('alice'), 'ListMembers', { organization_id: organizationId })
    expect(members).toEqual([{ id: expect.any(String), name: 'alice', role: 'owner', joined_at: expect.any(String) }])
  })

  it('refuses to validate it twice (409)', async () => {
    expect(await failing(suite.admin(), 'ValidateOrganization', { organization_id: organizationId }))
      .toEqual({ code: 409, message: `organization ${organizationId} is already validated` })
  })
})
