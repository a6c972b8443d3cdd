// With the default RSA-4096 connection keys (~1–3 s each to generate here), vault jobs keep the event loop
// turning: keys are generated on the libuv threadpool, and a job does at most one RSA private-key operation
// (~15 ms at 4096 bits). Timers on a shared CI machine are noisy, so this test guards the regression that
// matters with a wide margin (a key generated on the loop stalls it for a second or more); the 50 ms budget
// itself is measured by the benchmark (`npm run bench` reports the longest stall during vault jobs).
// Each journey runs three times and the least of its longest stalls is what our code costs at most.
import { job, connectPeople, DELOREAN, onboardPerson, startVaultService, valuesOf, type Person, type TestService } from './vault.fixture.js'

const LIMIT_MS = 400
let service: TestService
const people: Person[] = []

beforeAll(async () => {
  service = await startVaultService({ vault: { keyPoolSize: 0 } })
  for (let i = 0; i < 6; i++) people.push(await onboardPerson(service, { username: `person-${i}` }))
})
afterAll(async () => { await Promise.all(people.map(async person => await person.end())); await service.stop() })

async function longestStall (work: () => Promise<unknown>): Promise<number> {
  let last = performance.now()
  let longest = 0
  const timer = setInterval(() => { const now = performance.now(); longest = Math.max(longest, now - last); last = now }, 1)
  try { await work() } finally { clearInterval(timer) }
  return Math.max(longest, performance.now() - last)
}

async function leastOfThree (work: (round: number) => Promise<unknown>): Promise<number> {
  const stalls: number[] = []
  for (let round = 0; round < 3; round++) stalls.push(await longestStall(async () => await work(round)))
  return Math.min(...stalls)
}

const pairs: Array<{ alice: Person, bob: Person, aliceToBob: string }> = []

describe('vault jobs with 4096-bit connection keys', () => {
  it('invite and accept (each generating a key pair) without generating keys on the event loop', async () => {
    expect(service.config.vault.connectionKeyBits).toBe(4096)
    const stall = await leastOfThree(async round => {
      const [alice, bob] = [people[2 * round], people[2 * round + 1]]
      const { inviterConnection } = await connectPeople(alice, 'Bob', bob, 'Alice')
      pairs.push({ alice, bob, aliceToBob: inviterConnection })
    })
    expect(stall).toBeLessThan(LIMIT_MS)
  }, 120000)

  it('share, read, update and push without generating keys on the event loop', async () => {
    const stall = await leastOfThree(async round => {
      const { alice, bob, aliceToBob } = pairs[round]
      const { item } = await job(alice, 'CreateItem', DELOREAN, 201)
      const { share } = await job(alice, 'ShareItem', { item_id: item.id, connection_id: aliceToBob }, 201)
      expect(valuesOf((await job(bob, 'GetIncomingShare', { share_id: share.id })).item).licence_plate).toBe('OUTATIME')
      await job(alice, 'UpdateItem', { item_id: item.id, slots: [{ name: 'licence_plate', value: 'OUTATIME-4096' }] })
      await job(alice, 'PushItemUpdates', { item_id: item.id })
      expect(valuesOf((await job(bob, 'GetIncomingShare', { share_id: share.id })).item).licence_plate).toBe('OUTATIME-4096')
    })
    const stored = await service.store.selectFrom('vault_shares').select('encrypted_dek').executeTakeFirstOrThrow()
    expect(stored.encrypted_dek).toMatch(/^Rsa4096\./)
    expect(stall).toBeLessThan(LIMIT_MS)
  }, 60000)
})
