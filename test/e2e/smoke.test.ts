import { startTestService, type TestService } from '../support/test-service.js'
import { connectDevice } from '../support/mqtt-device.js'

describe('a fresh service', () => {
  let service: TestService
  beforeAll(async () => { service = await startTestService() })
  afterAll(async () => { await service.stop() })

  it('delivers a message from one MQTT device to another with its route', async () => {
    const a = await service.bus.register({})
    const b = await service.bus.register({})
    const alice = await connectDevice(service.mqttPort, a.device.uuid, a.token)
    const bob = await connectDevice(service.mqttPort, b.device.uuid, b.token)
    await alice.client.publishAsync('message', JSON.stringify({ devices: [b.device.uuid], payload: 'hi' }), { qos: 1 })
    const got = await bob.next(e => e.topic === 'message')
    expect(got.data).toMatchObject({ payload: 'hi', fromUuid: a.device.uuid })
    expect(got.metadata.route).toEqual([
      { from: a.device.uuid, to: b.device.uuid, type: 'message.received' },
      { from: b.device.uuid, to: b.device.uuid, type: 'message.received' },
    ])
    const whoami = await alice.request('whoami')
    expect(whoami.topic).toBe('whoami')
    expect(whoami.data.uuid).toBe(a.device.uuid)
    const bad = await alice.request('nope')
    expect(bad).toMatchObject({ topic: 'error', data: { message: "Topic 'nope' is not valid" } })
    await alice.end(); await bob.end()
  })
})
