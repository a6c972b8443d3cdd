// meshblu-endo §2 and §3.3 subscription and message methods, driven by the real meshblu-http 10.2 client;
// messages sent over HTTP reach devices connected over MQTT.
import { startTestService, type TestService } from '../support/test-service.js'
import { connectDevice, type MqttDevice } from '../support/mqtt-device.js'
import { meshbluHttp, refusal, registerDevice, v2Device, type Credentials } from './meshblu-http.fixture.js'

let service: TestService
beforeAll(async () => { service = await startTestService() })
afterAll(async () => { await service.stop() })

describe('a device managing its subscriptions', () => {
  let device: Credentials, emitter: Credentials, stranger: Credentials
  beforeEach(async () => {
    device = await registerDevice(service, v2Device())
    emitter = await registerDevice(service)
    stranger = await registerDevice(service)
  })
  const api = (): ReturnType<typeof meshbluHttp> => meshbluHttp(service, device)

  it('creates one, which the list shows once even when created twice', async () => {
    const subscription = { subscriberUuid: device.uuid, emitterUuid: emitter.uuid, type: 'broadcast.sent' }
    await expect(api().createSubscription(subscription)).resolves.toBeUndefined()
    await expect(api().createSubscription(subscription)).resolves.toBeUndefined()
    expect(await api().subscriptions(device.uuid)).toEqual([subscription])
  })

  it('is refused a subscription type outside the twelve, with 422 Invalid type', async () => {
    const error = await refusal(api().createSubscription({ subscriberUuid: device.uuid, emitterUuid: emitter.uuid, type: 'message.nope' }))
    expect(error).toEqual({ code: 422, message: 'Invalid type' })
    expect(await api().subscriptions(device.uuid)).toEqual([])
  })

  it('deletes one with deleteSubscription, leaving the others', async () => {
    const sent = { subscriberUuid: device.uuid, emitterUuid: emitter.uuid, type: 'message.sent' }
    const received = { subscriberUuid: device.uuid, emitterUuid: device.uuid, type: 'message.received' }
    await api().createSubscription(sent)
    await api().createSubscription(received)
    await expect(api().deleteSubscription(sent)).resolves.toBeUndefined()
    expect(await api().subscriptions(device.uuid)).toEqual([received])
  })

  it('deletes every one matching the filters with deleteSubscriptions', async () => {
    for (const type of ['message.sent', 'broadcast.sent', 'configure.sent']) {
      await api().createSubscription({ subscriberUuid: device.uuid, emitterUuid: emitter.uuid, type })
    }
    await api().createSubscription({ subscriberUuid: device.uuid, emitterUuid: device.uuid, type: 'message.received' })
    await api().deleteSubscriptions({ subscriberUuid: device.uuid, emitterUuid: emitter.uuid, type: 'message.sent' })
    expect(await api().subscriptions(device.uuid)).toHaveLength(3)
    await api().deleteSubscriptions({ subscriberUuid: device.uuid, emitterUuid: emitter.uuid })
    expect(await api().subscriptions(device.uuid)).toEqual([{ subscriberUuid: device.uuid, emitterUuid: device.uuid, type: 'message.received' }])
    await api().deleteSubscriptions({ subscriberUuid: device.uuid })
    expect(await api().subscriptions(device.uuid)).toEqual([])
  })

  it('is the only one allowed to, strangers getting a 403 for each method', async () => {
    const subscription = { subscriberUuid: device.uuid, emitterUuid: emitter.uuid, type: 'message.sent' }
    await api().createSubscription(subscription)
    const other = meshbluHttp(service, stranger)
    expect(await refusal(other.createSubscription(subscription))).toMatchObject({ code: 403 })
    expect(await refusal(other.deleteSubscription(subscription))).toMatchObject({ code: 403 })
    expect(await refusal(other.deleteSubscriptions({ subscriberUuid: device.uuid }))).toMatchObject({ code: 403 })
    expect(await refusal(other.subscriptions(device.uuid))).toMatchObject({ code: 403 })
    expect(await api().subscriptions(device.uuid)).toEqual([subscription])
  })
})

describe('a manager acting as a principal that may configure a subscriber', () => {
  it('creates and lists the subscriber\'s subscriptions as the principal', async () => {
    const manager = await registerDevice(service)
    const principal = await registerDevice(service, v2Device({ configure: { as: [manager.uuid] } }))
    const subscriber = await registerDevice(service, v2Device({ configure: { update: [principal.uuid] } }))
    const subscription = { subscriberUuid: subscriber.uuid, emitterUuid: subscriber.uuid, type: 'message.received' }
    const as = { as: principal.uuid }
    await meshbluHttp(service, manager).createSubscription(subscription, as)
    expect(await meshbluHttp(service, manager).subscriptions(subscriber.uuid, as)).toEqual([subscription])
    expect(await refusal(meshbluHttp(service, manager).subscriptions(subscriber.uuid))).toMatchObject({ code: 403 })
  })
})

describe('a device connected over MQTT', () => {
  let sender: Credentials, receiver: Credentials, stranger: Credentials, mqtt: MqttDevice
  beforeAll(async () => {
    sender = await registerDevice(service)
    stranger = await registerDevice(service)
    receiver = await registerDevice(service, v2Device({ message: { from: [sender.uuid] } }))
    mqtt = await connectDevice(service.mqttPort, receiver.uuid, receiver.token)
  })
  afterAll(async () => { await mqtt.end() })

  it('receives a message sent over HTTP, with the sender and route', async () => {
    await expect(meshbluHttp(service, sender).message({ devices: [receiver.uuid], payload: { n: 1 } })).resolves.toBeUndefined()
    const got = await mqtt.next(e => e.topic === 'message' && e.data?.payload?.n === 1)
    expect(got.data).toMatchObject({ devices: [receiver.uuid], fromUuid: sender.uuid })
    expect(got.metadata.route[0]).toEqual({ from: sender.uuid, to: receiver.uuid, type: 'message.received' })
  })

  it('receives a message addressed with a bare uuid', async () => {
    await meshbluHttp(service, sender).message({ devices: receiver.uuid, payload: { n: 2 } })
    await expect(mqtt.next(e => e.data?.payload?.n === 2)).resolves.toMatchObject({ topic: 'message' })
  })

  it('gets nothing from a sender it does not admit, while that sender still gets a 204', async () => {
    await expect(meshbluHttp(service, stranger).message({ devices: [receiver.uuid], payload: { n: 3 } })).resolves.toBeUndefined()
    expect(await mqtt.nothingWithin(200, e => e.data?.payload?.n === 3)).toBe(true)
  })

  it('receives a message sent as a principal that admits the caller', async () => {
    const principal = await registerDevice(service, v2Device({ message: { as: [stranger.uuid] } }))
    await meshbluHttp(service, receiver).updateDangerously(receiver.uuid, { $push: { 'meshblu.whitelists.message.from': { uuid: principal.uuid } } })
    await meshbluHttp(service, stranger).message({ devices: [receiver.uuid], payload: { n: 4 } }, { as: principal.uuid })
    const got = await mqtt.next(e => e.data?.payload?.n === 4)
    expect(got.data.fromUuid).toBe(principal.uuid)
  })
})

describe('a message that cannot be sent', () => {
  let sender: Credentials
  beforeAll(async () => { sender = await registerDevice(service) })

  it('is refused without devices, with 422 Missing devices', async () => {
    expect(await refusal(meshbluHttp(service, sender).message({ payload: 1 }))).toEqual({ code: 422, message: 'Missing devices' })
    expect(await refusal(meshbluHttp(service, sender).message({ devices: [], payload: 1 }))).toEqual({ code: 422, message: 'Missing devices' })
  })

  it('is refused as a device that does not admit the sender, with a 403', async () => {
    const principal = await registerDevice(service, v2Device())
    const error = await refusal(meshbluHttp(service, sender).message({ devices: ['*'] }, { as: principal.uuid }))
    expect(error).toMatchObject({ code: 403 })
  })

  it('is refused with bad credentials, with a 403', async () => {
    const error = await refusal(meshbluHttp(service, { uuid: sender.uuid, token: 'bad' }).message({ devices: [sender.uuid] }))
    expect(error).toEqual({ code: 403, message: 'Forbidden' })
  })
})
