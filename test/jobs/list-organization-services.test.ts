// ListOrganizationServices: owners and admins list the validated services (default) or the requested ones.
import { failing, invalidMessage, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { service: 'validated' })
let requestedId: string

const idsOf = (reply: { services: Array<{ id: string }> }): string[] => reply.services.map(s => s.id)

beforeAll(async () => {
  requestedId = (await job(await suite.person('alice'), 'CreateOrganizationService', { organization_id: garage.id, name: 'Upgrades' }, 201)).service.id
})

describe('ListOrganizationServices', () => {
  it('lists the validated services by default, and the requested ones when asked', async () => {
    const alice = await suite.person('alice')
    expect(idsOf(await job(alice, 'ListOrganizationServices', { organization_id: garage.id }))).toEqual([garage.serviceId])
    expect(idsOf(await job(alice, 'ListOrganizationServices', { organization_id: garage.id, status: 'requested' }))).toEqual([requestedId])
  })

  it('answers someone who is not a member as if the organization did not exist (404)', async () => {
    expect(await failing(await suite.person('biff'), 'ListOrganizationServices', { organization_id: garage.id })).toEqual({ code: 404, message: 'organization not found' })
  })

  it('refuses a status it does not list, naming the field (422)', async () => {
    expect(await invalidMessage(await suite.person('alice'), 'ListOrganizationServices', { organization_id: garage.id, status: 'rejected' }))
      .toEqual(['message.data.status must be one of: "validated", "requested"'])
  })
})
