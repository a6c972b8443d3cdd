// UpdateOrganization: its requester changes it while it is requested; once validated, only an owner may.
import { failing, job, withService } from './support/job-harness.js'
import { withOrganization } from './support/organization-setup.js'

const suite = withService({ platformAdmin: true })
const garage = withOrganization(suite, { bob: 'admin' })

describe('UpdateOrganization', () => {
  it('lets the requester change a requested organization, keeping the fields not given', async () => {
    const alice = await suite.person('alice')
    const { organization } = await job(alice, 'CreateOrganization', { name: 'Twin Pines Mall', url: 'https://twinpines.example' }, 201)
    const changed = await job(alice, 'UpdateOrganization', { organization_id: organization.id, name: 'Lone Pine Mall', description: null })
    expect(changed.organization).toMatchObject({ id: organization.id, name: 'Lone Pine Mall', description: null, url: 'https://twinpines.example', status: 'requested' })
    expect((await job(alice, 'GetOrganization', { organization_id: organization.id })).organization.name).toBe('Lone Pine Mall')
  })

  describe('a validated organization', () => {
    it('is changed by an owner', async () => {
      const { organization } = await job(await suite.person('alice'), 'UpdateOrganization', { organization_id: garage.id, email: 'doc@garage.example' })
      expect(organization).toMatchObject({ id: garage.id, email: 'doc@garage.example', status: 'validated', role: 'owner' })
    })

    it('is refused to an admin member, naming the owner role (403)', async () => {
      expect(await failing(await suite.person('bob'), 'UpdateOrganization', { organization_id: garage.id, name: 'Bob\'s Garage' }))
        .toEqual({ code: 403, message: 'changing an organization needs the owner role in this organization' })
    })

    it('is refused to someone who is not a member as if it did not exist (404)', async () => {
      expect(await failing(await suite.person('biff'), 'UpdateOrganization', { organization_id: garage.id, name: 'Biff\'s Garage' }))
        .toEqual({ code: 404, message: 'organization not found' })
    })
  })
})
