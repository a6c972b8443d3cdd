// Named attempts over the wire that must each be refused; prints how many were refused of how many tried.
import { startTestService, type TestService } from '../support/test-service.js'
import type { Attack } from './attacks/attack.js'
import { busAttacks } from './attacks/bus-attacks.js'
import { jobAttacks } from './attacks/job-attacks.js'
import { aclAttacks } from './attacks/acl-attacks.js'
import { vaultAttacks } from './attacks/vault-attacks.js'
import { intercoopAttacks } from './attacks/intercoop-attacks.js'

describe('permission attacks', () => {
  let service: TestService
  let attacks: Attack[]
  let others: TestService[] = []
  beforeAll(async () => {
    service = await startTestService({ vault: { connectionKeyBits: 2048 } })
    const intercoop = await intercoopAttacks()
    others = intercoop.services
    attacks = [...await busAttacks(service), ...await jobAttacks(service), ...await vaultAttacks(service), ...await aclAttacks(service), ...intercoop.attacks]
  }, 120_000)
  afterAll(async () => { await service.stop(); for (const other of others) await other.stop() })

  it('are all refused', async () => {
    const admitted: string[] = []
    for (const attack of attacks) {
      let refused = false
      try { refused = await attack.attempt() } catch (error) { admitted.push(`${attack.name} (threw ${(error as Error).message})`); continue }
      if (!refused) admitted.push(attack.name)
    }
    console.log(`permission attacks: ${attacks.length - admitted.length} refused of ${attacks.length} tried`)
    expect(admitted).toEqual([])
  }, 120_000)
})
