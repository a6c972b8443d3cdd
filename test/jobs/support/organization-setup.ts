// The situation most organization per-job suites start from, made in a beforeAll registered after
// withService's: Alice's "Hill Valley Garage", validated by the platform admin; on request Bob as a member
// and a service "Repairs", requested or validated.
import { job, joinOrganization, type JobSuite } from './job-harness.js'

export interface OrganizationSetup {
  /** The validated organization's id. */
  readonly id: string
  /** Bob's member id (with `bob`). */
  readonly bobId: string
  /** The service's id (with `service`). */
  readonly serviceId: string
}

export function withOrganization (suite: JobSuite, options: { bob?: 'owner' | 'admin', service?: 'requested' | 'validated' } = {}): OrganizationSetup {
  const made: Partial<Record<keyof OrganizationSetup, string>> = {}

  beforeAll(async () => {
    const alice = await suite.person('alice')
    const id = made.id = await suite.organization('alice', 'Hill Valley Garage')
    if (options.bob !== undefined) made.bobId = await joinOrganization(alice, await suite.person('bob'), id, options.bob)
    if (options.service !== undefined) {
      const serviceId = made.serviceId = (await job(alice, 'CreateOrganizationService', { organization_id: id, name: 'Repairs' }, 201)).service.id
      if (options.service === 'validated') await job(suite.admin(), 'ValidateOrganizationService', { organization_id: id, service_id: serviceId })
    }
  })

  const value = (key: keyof OrganizationSetup): string => {
    const found = made[key]
    if (found === undefined) throw new Error(`withOrganization made no ${key}: it is made in beforeAll, and only when asked for`)
    return found
  }
  return {
    get id () { return value('id') },
    get bobId () { return value('bobId') },
    get serviceId () { return value('serviceId') },
  }
}
