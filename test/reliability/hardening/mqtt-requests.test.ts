// Issue 17, MQTT requests and job errors as an attacker sends them: any registered device can publish
// a payload of up to maxPayloadBytes to any API topic and any job to a user device that admits it.
// Deep nesting never reaches anything recursive, client strings are cut wherever they are copied, and the
// service writes job errors only to the status device it made.
import { startTestService, type TestService } from '../../support/test-service.js'
import { onboardPerson, type Person } from '../../support/person.js'
import { connect, deliveredDuring, registerDevice, v2 } from '../../support/device-fixture.js'
import type { MqttDevice } from '../../support/mqtt-device.js'
import { describeBudget, expectWithinBudget, underBudget } from '../../support/event-loop-budget.js'
import { DEFAULT_LIMITS } from '../../../src/core/limits.js'

const DEPTH = DEFAULT_LIMITS.maxJsonDepth
const nested = (levels: number, inner = '1'): string => '['.repeat(levels) + inner + ']'.repeat(levels)

let service: TestService
let attacker: MqttDevice
let person: Person

beforeAll(async () => {
  service = await startTestService()
  attacker = await connect(service, await registerDevice(service))
  person = await onboardPerson(service)
}, 60_000)
afterAll(async () => { await attacker.end(); await person.end(); await service.stop() })

describe('a request nested deeper than the JSON depth limit', () => {
  it.each(['message', 'update', 'whoami', 'generateAndStoreToken', 'no-such-topic'])('on topic %s is answered with an error naming the limit', async topic => {
    // 40 KB of brackets: the stack overflow of the issue
    const payload = `{"devices":["x"],"deep":${nested(20_000)}}`
    const replies = await deliveredDuring(attacker, () => attacker.publishRaw(topic, payload))
    expect(replies).toEqual([{ topic: 'error', data: { message: `JSON is nested deeper than ${DEPTH} levels` } }])
  })

  it('at the limit is still accepted', async () => {
    const deep = JSON.parse(nested(DEPTH - 2, '{"end":true}'))
    const delivered = await deliveredDuring(attacker, () => attacker.publishRaw('message', JSON.stringify({ devices: [attacker.uuid], deep })))
    expect(delivered.map(e => e.data.deep)).toEqual([deep])
  })

  it('of a whole payload-limit megabyte keeps every other device within budget', async () => {
    const payload = `{"deep":${nested(Math.floor((DEFAULT_LIMITS.maxPayloadBytes - 20) / 2))}}`
    const report = await underBudget(service, async () => {
      for (let i = 0; i < 10; i++) await attacker.publishRaw('update', payload)
      await deliveredDuring(attacker, () => {})
    })
    console.log(describeBudget('MQTT 1 MiB of nesting × 10', report))
    expectWithinBudget(report)
  })
})

describe('a message naming more devices than the recipient limit', () => {
  it('is refused whole with 422, and nobody gets it', async () => {
    const max = DEFAULT_LIMITS.maxRecipientsPerMessage
    const bob = await registerDevice(service, v2({ 'message.from': ['*'] }))
    const bobDevice = await connect(service, bob)
    const devices = [bob.uuid, ...Array.from({ length: max }, (_, i) => `not-a-device-${i}`)]
    const reply = await attacker.request('message', { devices, note: 'fan-out' })
    expect(reply).toMatchObject({ topic: 'error', data: { message: `a message may name at most ${max} devices` } })
    expect(await deliveredDuring(bobDevice, () => {})).toEqual([])
    // at the limit it goes through
    await attacker.request('message', { devices: devices.slice(0, max), note: 'at the limit' }).catch(() => {})
    expect((await bobDevice.next(e => e.data?.note === 'at the limit')).data.note).toBe('at the limit')
    await bobDevice.end()
  })
})

describe('client strings copied into replies, status devices and logs', () => {
  it('an 800 KB topic is cut in its error reply', async () => {
    const topic = 't'.repeat(60_000) // MQTT topics are at most 64 KiB
    const replies = await deliveredDuring(attacker, () => attacker.publishRaw(topic, '{}'))
    expect(replies).toHaveLength(1)
    expect(replies[0].data.message.length).toBeLessThan(DEFAULT_LIMITS.clientStringMaxChars + 40)
  })

  it('an 800 KB jobType is cut in the reply, on the status device and in the log', async () => {
    const jobType = 'J'.repeat(800_000)
    const reply = await person.sendJob(jobType, {})
    expect(reply.metadata.code).toBe(404)
    expect(reply.metadata.error.message.length).toBeLessThan(DEFAULT_LIMITS.clientStringMaxChars + 40)
    const statusUuid = await service.endo.onboarding.statusDeviceOf(person.user.uuid)
    const errors = ((await service.bus.registry.get(statusUuid as string)) as any).status.errors
    expect(JSON.stringify(errors.at(-1)).length).toBeLessThan(2000)
    expect(Math.max(...service.logLines.map(line => line.length))).toBeLessThan(20 * DEFAULT_LIMITS.clientStringMaxChars + 4000)
  })

  it('a job message with 30,000 unknown fields names at most the configured number of errors', async () => {
    const data: Record<string, string> = { text: 'hi' }
    for (let i = 0; i < 30_000; i++) data[`field-${i}-${'k'.repeat(10)}`] = 'v'
    const reply = await person.sendJob('Echo', data)
    expect(reply.metadata.code).toBe(422)
    expect(reply.data.errors).toHaveLength(DEFAULT_LIMITS.maxValidationErrors + 1)
    expect(reply.data.errors.at(-1)).toBe(`and ${30_000 - DEFAULT_LIMITS.maxValidationErrors} more`)
  })
})

describe('the status device a user device names', () => {
  it('is never written when the service did not make it for that user device', async () => {
    // a victim whose device lets everyone configure it (the v1 default)
    const victim = await registerDevice(service, { name: 'victim', configureWhitelist: ['*'], discoverWhitelist: ['*'] })
    const user = await connect(service, person.user)
    const reply = await user.request('update', { statusDevice: victim.uuid })
    expect(reply.topic).toBe('update')
    await user.end()
    const failed = await person.sendJob('NoSuchJob', {})
    expect(failed.metadata.code).toBe(404)
    expect(((await service.bus.registry.get(victim.uuid)) as any).status).toBeUndefined()
    // the error still reaches the person's own status device
    const own = (await service.bus.registry.get(await service.endo.onboarding.statusDeviceOf(person.user.uuid) as string)) as any
    expect(own.status.errors.at(-1).message).toBe('Unknown jobType "NoSuchJob"')
  })
})

describe('a respondTo that is not a short string', () => {
  it('is echoed to the sender but not copied to the status device', async () => {
    const bulky = { note: 'n'.repeat(100_000) }
    await person.flow.client.publishAsync('message', JSON.stringify({ devices: [person.user.uuid], metadata: { jobType: 'Nope', respondTo: bulky }, data: {} }), { qos: 1 })
    const reply = await person.flow.next(e => e.data?.metadata?.code === 404 && e.data?.metadata?.to?.note !== undefined, 10_000)
    expect(reply.data.metadata.to).toEqual(bulky)
    const own = (await service.bus.registry.get(await service.endo.onboarding.statusDeviceOf(person.user.uuid) as string)) as any
    expect(JSON.stringify(own.status.errors.at(-1)).length).toBeLessThan(2000)
  })
})

describe('the status device of a v2 bystander', () => {
  it('keeps the configured number of errors, the oldest dropped', async () => {
    for (let i = 0; i < DEFAULT_LIMITS.statusErrorsKept + 5; i++) await person.sendJob(`Missing${i}`, {})
    const own = (await service.bus.registry.get(await service.endo.onboarding.statusDeviceOf(person.user.uuid) as string)) as any
    expect(own.status.errors).toHaveLength(DEFAULT_LIMITS.statusErrorsKept)
    expect(own.status.errors.at(-1).message).toBe(`Unknown jobType "Missing${DEFAULT_LIMITS.statusErrorsKept + 4}"`)
  }, 60_000)
})

void v2
