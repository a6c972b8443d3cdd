import { startTestService, type TestService } from '../support/test-service.js'
import { onboardPerson } from '../support/person.js'
import { rotateServiceKey } from '../../src/core/service/rotate-service-key.js'
import { readIdentityFile } from '../../src/core/service/service-identity.js'

describe('rotating the service key', () => {
  let service: TestService
  afterAll(async () => { await service?.stop() })

  it('re-wraps every credentials envelope and jobs keep working during, after, and after a restart', async () => {
    service = await startTestService()
    const people = [await onboardPerson(service, { username: 'p1' }), await onboardPerson(service, { username: 'p2' })]
    const before = ((await service.bus.registry.get(people[0].credentialsUuid)) as any).endo.encrypted
    const during = people.map(async p => await p.sendJob('Echo', { text: 'during' }))
    const result = await rotateServiceKey(service.endo, service.bus, service.dataDir)
    for (const reply of await Promise.all(during)) expect(reply.metadata.code).toBe(200)
    expect(result.rewrapped).toBe(2)
    expect(result.keyId).not.toBe(result.previousKeyId)

    const after = ((await service.bus.registry.get(people[0].credentialsUuid)) as any).endo.encrypted
    expect(after.keyId).toBe(result.keyId)
    expect(after.ciphertext).toBe(before.ciphertext)
    expect(after.wrappedKey).not.toBe(before.wrappedKey)
    expect((await people[1].sendJob('Echo', { text: 'after' })).data).toEqual({ text: 'after', username: 'p2' })
    const file = await readIdentityFile(service.dataDir)
    expect(file?.previousPrivateKeys).toHaveLength(1)

    for (const p of people) await p.end()
    await service.stop({ keepData: true })
    service = await startTestService({ dataDir: service.dataDir })
    const flow = await service.bus.register({})
    const user = await service.endo.onboarding.createUserDevice(people[0].credentialsUuid, { flows: [flow.device.uuid] })
    const { connectDevice } = await import('../support/mqtt-device.js')
    const device = await connectDevice(service.mqttPort, flow.device.uuid, flow.token)
    await device.client.publishAsync('message', JSON.stringify({ devices: [user.uuid], metadata: { jobType: 'Echo', respondTo: 'r1' }, data: { text: 'restarted' } }), { qos: 1 })
    const reply = await device.next(e => e.data?.metadata?.to === 'r1')
    expect(reply.data.data).toEqual({ text: 'restarted', username: 'p1' })
    await device.end()
  })
})
