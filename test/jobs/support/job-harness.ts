// The per-job suites' harness (test/jobs/<folder>.test.ts): one real service per file, started before its
// tests and stopped after them (the stop runs the secret-leak scan), people onboarded on first use by name,
// and the e2e fixtures' verbs, so a per-job file holds only what its job does.
import { connectPeople, DELOREAN, job, onboardPerson, startVaultService, type Person, type TestService } from '../../e2e/vault.fixture.js'
import { expectCode, startWithPlatformAdmin, validatedOrganization } from '../../e2e/organizations.fixture.js'
import type { ConfigOverrides } from '../../../src/core/config.js'

export { job, failing, connectPeople, DELOREAN, valuesOf, type Person, type TestService } from '../../e2e/vault.fixture.js'
export { expectCode, sendJobTo } from '../../e2e/organizations.fixture.js'
export { postExternal } from '../../e2e/acl.fixture.js'

export interface JobSuite {
  /** The file's service (started in beforeAll). */
  readonly service: TestService
  /** The person onboarded under this username, onboarded on the first call. */
  person: (username: string) => Promise<Person>
  /** The platform admin; only with `withService({ platformAdmin: true })`. */
  admin: () => Person
  /** A validated organization requested by the named person (validated by the platform admin), with these people as admins. */
  organization: (ownerName: string, name: string, options?: { admins?: string[] }) => Promise<string>
}

/**
 * Registers beforeAll/afterAll for one service in this file: connection keys at 2048 bits (vault fixture's
 * default). `platformAdmin` starts it with a platform admin, which costs one more start (config is frozen).
 */
export function withService (options: { platformAdmin?: boolean, overrides?: ConfigOverrides } = {}): JobSuite {
  const overrides: ConfigOverrides = { vault: { connectionKeyBits: 2048 }, ...options.overrides }
  let service: TestService | undefined
  let admin: Person | undefined
  const people = new Map<string, Promise<Person>>()

  function started (): TestService {
    if (service === undefined) throw new Error('the service starts in beforeAll: use it inside a test or hook')
    return service
  }

  beforeAll(async () => {
    if (options.platformAdmin === true) ({ service, admin } = await startWithPlatformAdmin(overrides))
    else service = await startVaultService(overrides)
  })
  afterAll(async () => {
    // an onboarding that failed must not keep the service (and so jest) running
    const everyone = (await Promise.allSettled(people.values())).flatMap(result => result.status === 'fulfilled' ? [result.value] : [])
    try {
      await Promise.all([...everyone, ...(admin === undefined ? [] : [admin])].map(async person => { await person.end() }))
    } finally {
      await service?.stop()
    }
  })

  const suite: JobSuite = {
    get service () { return started() },
    async person (username) {
      let person = people.get(username)
      if (person === undefined) people.set(username, person = onboardPerson(started(), { username }))
      return await person
    },
    admin () {
      if (admin === undefined) throw new Error('withService({ platformAdmin: true }) starts the service with a platform admin')
      return admin
    },
    async organization (ownerName, name, { admins = [] } = {}) {
      const owner = await suite.person(ownerName)
      const organizationId = await validatedOrganization(owner, suite.admin(), name)
      for (const admin of admins) await joinOrganization(owner, await suite.person(admin), organizationId)
      return organizationId
    },
  }
  return suite
}

/**
 * Sends a message whose data fails the job's schema and returns the sentences of the 422 reply (each names
 * a field, e.g. `message.data.item_id is required`); fails unless the reply is 422 with them in its message.
 */
export async function invalidMessage (person: Person, jobType: string, data: unknown): Promise<string[]> {
  const reply = await person.sendJob(jobType, data)
  expect(reply.metadata).toMatchObject({ code: 422, status: 'Unprocessable Entity' })
  expect(reply.metadata.error.message).toBe(`Invalid message: ${(reply.data.errors as string[]).join('; ')}`)
  return reply.data.errors
}

/** `member` joins the organization with `role`, invited by `inviter` (an owner or admin); returns the member id. */
export async function joinOrganization (inviter: Person, member: Person, organizationId: string, role: 'owner' | 'admin' = 'admin'): Promise<string> {
  const { invitation } = expectCode(await inviter.sendJob('InviteMember', { organization_id: organizationId, role }), 201)
  return expectCode(await member.sendJob('AcceptMemberInvitation', { token: invitation.token }), 201).member.id
}

/** Alice owns the DeLorean (DELOREAN) and is connected with Bob: where every share job's story starts. */
export async function aliceWithDeLoreanAndBob (suite: JobSuite): Promise<{ itemId: string, aliceToBob: string, bobToAlice: string }> {
  const [alice, bob] = [await suite.person('alice'), await suite.person('bob')]
  const { inviterConnection, inviteeConnection } = await connectPeople(alice, 'Bob', bob, 'Alice')
  const { item } = await job(alice, 'CreateItem', DELOREAN, 201)
  return { itemId: item.id, aliceToBob: inviterConnection, bobToAlice: inviteeConnection }
}

/** An organization-level API token the organization's owner creates: its key id and its secret (shown once). */
export async function organizationToken (owner: Person, organizationId: string): Promise<{ keyid: string, secret: string }> {
  const created = await job(owner, 'CreateApiToken', { organization_id: organizationId, name: 'garage', acl: { cid: [organizationId] } }, 201)
  return { keyid: created.api_token.keyid, secret: created.secret }
}
