// Fuzzes every job's message with schema-derived mutations over MQTT (fast-check picks the cases).
// Properties: each job message gets exactly one reply, its code is 2xx or 4xx, the service keeps
// running, and nothing stored before (outside the fuzzing person's own rows) changes.
// Longer run: FUZZ_RUNS=5000 npm run test:fuzz
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { startTestService, type TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'
import { dataMutations, HOSTILE_VALUES, pollutedJson } from '../support/schema-mutations.js'
import { lostRows, snapshotRows } from '../support/store-snapshot.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000)

interface Case { name: string, text: (userUuid: string, respondTo: string) => string }

function casesFor (service: TestService): Case[] {
  const cases: Case[] = []
  for (const job of service.endo.catalog.jobs.values()) {
    const dataSchema = (job.messageSchema as any).properties?.data
    for (const [name, data] of dataMutations(dataSchema)) {
      cases.push({ name: `${job.jobType}: ${name}`, text: (u, r) => JSON.stringify({ devices: [u], metadata: { jobType: job.jobType, respondTo: r }, ...(data === undefined ? {} : { data }) }) })
    }
    for (const polluted of pollutedJson({})) {
      cases.push({ name: `${job.jobType}: polluted data`, text: (u, r) => `{"devices":[${JSON.stringify(u)}],"metadata":{"jobType":${JSON.stringify(job.jobType)},"respondTo":${JSON.stringify(r)}},"data":${polluted}}` })
    }
  }
  for (const [name, value] of HOSTILE_VALUES) {
    cases.push({ name: `jobType as ${name}`, text: (u, r) => JSON.stringify({ devices: [u], metadata: { jobType: value, respondTo: r }, data: {} }) })
    cases.push({ name: `metadata with polluted keys and ${name}`, text: (u, r) => `{"devices":[${JSON.stringify(u)}],"metadata":{"__proto__":{"jobType":"Echo"},"respondTo":${JSON.stringify(r)},"extra":${JSON.stringify(value)}},"data":{}}` })
  }
  return cases
}

describe('fuzzed job messages', () => {
  let service: TestService
  let fuzzer: Person
  let bystander: Person
  beforeAll(async () => {
    // 2048-bit connection keys: CreateInvitation cases must answer within the 5 s deadline on a loaded CI machine
    service = await startTestService({ vault: { connectionKeyBits: 2048 } })
    bystander = await onboardPerson(service, { username: 'bystander' })
    await bystander.sendJob('Echo', { text: 'stored before' })
    fuzzer = await onboardPerson(service, { username: 'fuzzer' })
  })
  afterAll(async () => { await fuzzer.end(); await bystander.end(); await service.stop() })

  it(`get exactly one 2xx/4xx reply each and change nothing stored before (${RUNS} cases)`, async () => {
    const dbFile = path.join(service.dataDir, 'endo-vault.db')
    const before = snapshotRows(dbFile)
    const cases = casesFor(service)
    const replies = new Map<string, number[]>()
    let current: string | undefined
    fuzzer.flow.client.on('message', (_topic, payload) => {
      const envelope = JSON.parse(payload.toString())
      // Too deep for the MQTT ingress (limits.maxJsonDepth): the publish itself is refused with an error reply
      // on the flow's topic, before any job sees it; cases are sent one at a time, so it is the current one's.
      if (envelope.topic === 'error' && /nested deeper than/.test(envelope.data?.message) && current !== undefined) { replies.get(current)?.push(422); return }
      const to = envelope.data?.metadata?.to
      if (typeof to === 'string' && replies.has(to)) replies.get(to)?.push(envelope.data.metadata.code)
    })
    const failures: string[] = []
    await fc.assert(fc.asyncProperty(fc.constantFrom(...cases), async fuzzCase => {
      const respondTo = randomUUID()
      replies.set(respondTo, [])
      current = respondTo
      await fuzzer.flow.client.publishAsync('message', fuzzCase.text(fuzzer.user.uuid, respondTo), { qos: 1 })
      const deadline = Date.now() + 5000
      while ((replies.get(respondTo)?.length ?? 0) === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 2))
      const codes = replies.get(respondTo) ?? []
      if (codes.length !== 1 || codes[0] >= 500 || (codes[0] >= 300 && codes[0] < 400)) failures.push(`${fuzzCase.name}: codes ${JSON.stringify(codes)}`)
      return true
    }), { numRuns: RUNS })
    await new Promise(resolve => setTimeout(resolve, 200)) // late duplicates would land here
    const duplicated = [...replies].filter(([, codes]) => codes.length > 1).map(([to]) => to)
    console.log(`job fuzzing: ${RUNS} cases from ${cases.length} distinct mutations over ${service.endo.catalog.jobs.size} jobs; ${failures.length} failures`)
    expect(failures).toEqual([])
    expect(duplicated).toEqual([])
    expect(({} as any).polluted).toBeUndefined()
    const lost = lostRows(before, snapshotRows(dbFile), [fuzzer.user.uuid, fuzzer.credentialsUuid, fuzzer.flow.uuid, String(((await service.bus.registry.get(fuzzer.user.uuid)) as any).statusDevice)])
    expect(lost).toEqual([])
    expect((await bystander.sendJob('Echo', { text: 'still here' })).metadata.code).toBe(200)
  }, 300_000)
})
