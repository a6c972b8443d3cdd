// ValidateOrganizationService: a platform admin validates a requested service; its agent is made and its
// private key kept inside, never shown.
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { service: 'requested' })

describe('ValidateOrganizationService', () => {
  it('is refused to an owner, who is no platform admin (403)', async () => {
    expect(await failing(await suite.person('alice'), 'ValidateOrganizationService', { organization_id: garage.id, service_id: garage.serviceId }))
      .toEqual({ code: 403, message: 'only platform admins may validate organization services' })
  })

  it('validates it for a platform admin, showing the agent\'s public key only', async () => {
    const reply = await suite.admin().sendJob('ValidateOrganizationService', { organization_id: garage.id, service_id: garage.serviceId })
    expect(reply.metadata.code).toBe(200)
    expect(reply.data.service).toMatchObject({ id: garage.serviceId, status: 'validated', validated_at: expect.any(String) })
    expect(reply.data.agent).toEqual({ public_key: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/), private_key: null, key_custody: expect.stringMatching(/never shown/) })
    expect(JSON.stringify(reply)).not.toMatch(/PRIVATE KEY/)
  })

  it('lets an owner log into the service\'s agent once validated', async () => {
    const login = await job(await suite.person('alice'), 'LoginOrganizationAgent', { organization_id: garage.id, service_id: garage.serviceId })
    expect(login).toEqual({ agent_device_uuid: expect.any(String), acts_as: 'service_agent' })
  })

  it('refuses to validate it twice (409)', async () => {
    expect(await failing(suite.admin(), 'ValidateOrganizationService', { organization_id: garage.id, service_id: garage.serviceId }))
      .toEqual({ code: 409, message: `organization service ${garage.serviceId} is already validated` })
  })
})
