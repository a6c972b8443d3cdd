// meshblu-endo §3.3 update methods (update, updateDangerously, findAndUpdate, createHook) and unregister,
// driven by the real meshblu-http 10.2 client against a running service.
import { startTestService, type TestService } from '../support/test-service.js'
import { meshbluHttp, refusal, registerDevice, v2Device, type Credentials } from './meshblu-http.fixture.js'

let service: TestService
beforeAll(async () => { service = await startTestService() })
afterAll(async () => { await service.stop() })

describe('a device that a manager may configure', () => {
  let manager: Credentials, stranger: Credentials, target: Credentials
  beforeEach(async () => {
    manager = await registerDevice(service)
    stranger = await registerDevice(service)
    target = await registerDevice(service, v2Device({
      discover: { view: [manager.uuid] }, configure: { update: [manager.uuid] },
    }, { count: 1, tags: ['a'] }))
  })
  const read = async (): Promise<any> => await meshbluHttp(service, manager).device(target.uuid)

  it('takes plain properties from update, answering with an empty body', async () => {
    await expect(meshbluHttp(service, manager).update(target.uuid, { name: 'kitchen' })).resolves.toBeUndefined()
    expect(await read()).toMatchObject({ name: 'kitchen', count: 1, meshblu: { updatedBy: manager.uuid } })
  })

  it('ignores uuid and token in update properties', async () => {
    await meshbluHttp(service, manager).update(target.uuid, { uuid: 'other', token: 'mine', name: 'kept' })
    expect(await read()).toMatchObject({ uuid: target.uuid, name: 'kept' })
    await expect(meshbluHttp(service, target).authenticate()).resolves.toBeUndefined()
    expect(await refusal(meshbluHttp(service, { uuid: target.uuid, token: 'mine' }).authenticate())).toMatchObject({ code: 403 })
  })

  it('applies update operators from updateDangerously', async () => {
    await meshbluHttp(service, manager).updateDangerously(target.uuid, { $inc: { count: 2 }, $push: { tags: 'b' }, $set: { 'nested.deep': true } })
    expect(await read()).toMatchObject({ count: 3, tags: ['a', 'b'], nested: { deep: true } })
  })

  it('refuses updateDangerously touching the uuid, with a 422 naming the field', async () => {
    const error = await refusal(meshbluHttp(service, manager).updateDangerously(target.uuid, { $set: { uuid: 'x' } }))
    expect(error.code).toBe(422)
    expect(error.message).toContain('"uuid"')
  })

  it('refuses an unknown operator and a null value, with 422 messages', async () => {
    const unknown = await refusal(meshbluHttp(service, manager).updateDangerously(target.uuid, { $rename: { count: 'total' } }))
    expect(unknown).toEqual({ code: 422, message: 'unsupported update operator "$rename"' })
    const nullValue = await refusal(meshbluHttp(service, manager).updateDangerously(target.uuid, { $set: { count: null } }))
    expect(nullValue).toMatchObject({ code: 422, message: expect.stringContaining('may not be null') })
  })

  it('answers findAndUpdate with the document as it was before', async () => {
    const before = await meshbluHttp(service, manager).findAndUpdate(target.uuid, { $inc: { count: 10 } })
    expect(before).toMatchObject({ uuid: target.uuid, count: 1 })
    expect(await read()).toMatchObject({ count: 11 })
  })

  it('adds a webhook forwarder with createHook', async () => {
    const hook = { type: 'webhook', url: 'http://127.0.0.1:9/hook', method: 'POST', generateAndForwardMeshbluCredentials: true }
    await meshbluHttp(service, manager).createHook(target.uuid, 'message.received', hook.url)
    // The dotted $addToSet path nests, as in Mongo: meshblu.forwarders.message.received.
    expect((await read()).meshblu.forwarders).toEqual({ message: { received: [hook] } })
  })

  it('refuses a hook type outside the client\'s list before sending anything', async () => {
    expect(await refusal(meshbluHttp(service, manager).createHook(target.uuid, 'unregister.sent', 'http://x'))).toMatchObject({
      message: expect.stringContaining('Hook type not supported'),
    })
  })

  it('refuses every update from a stranger with a 403', async () => {
    expect(await refusal(meshbluHttp(service, stranger).update(target.uuid, { name: 'x' }))).toMatchObject({ code: 403 })
    expect(await refusal(meshbluHttp(service, stranger).updateDangerously(target.uuid, { $set: { name: 'x' } }))).toMatchObject({ code: 403 })
    expect(await refusal(meshbluHttp(service, stranger).findAndUpdate(target.uuid, { $set: { name: 'x' } }))).toMatchObject({ code: 403 })
    expect(await refusal(meshbluHttp(service, stranger).createHook(target.uuid, 'message.sent', 'http://x'))).toMatchObject({ code: 403 })
    expect(await read()).not.toHaveProperty('name')
  })

  it('refuses an update from bad credentials with a 403', async () => {
    const error = await refusal(meshbluHttp(service, { uuid: manager.uuid, token: 'bad' }).update(target.uuid, { name: 'x' }))
    expect(error).toEqual({ code: 403, message: 'Forbidden' })
  })

  it('is unregistered by the manager, answering its uuid, and is gone afterwards', async () => {
    await expect(meshbluHttp(service, manager).unregister({ uuid: target.uuid })).resolves.toEqual({ uuid: target.uuid })
    expect(await refusal(read())).toEqual({ code: 404, message: 'Devices not found' })
    expect(await refusal(meshbluHttp(service, target).authenticate())).toMatchObject({ code: 403 })
  })

  it('is not unregistered by a stranger', async () => {
    expect(await refusal(meshbluHttp(service, stranger).unregister({ uuid: target.uuid }))).toMatchObject({ code: 403 })
    await expect(read()).resolves.toMatchObject({ uuid: target.uuid })
  })
})

describe('a v1 device registered with defaults', () => {
  it('may be configured by anyone (configureWhitelist defaults to *)', async () => {
    const device = await registerDevice(service, { type: 'open-v1' })
    const other = await registerDevice(service)
    expect(device.device).toMatchObject({ configureWhitelist: ['*'], discoverWhitelist: ['*'] })
    await meshbluHttp(service, other).update(device.uuid, { touched: true })
    await expect(meshbluHttp(service, other).device(device.uuid)).resolves.toMatchObject({ touched: true })
  })

  it('is only configurable by its owner when registered with one', async () => {
    const owner = await registerDevice(service)
    const other = await registerDevice(service)
    const device = await registerDevice(service, { owner: owner.uuid, configureWhitelist: [], discoverWhitelist: [] })
    await meshbluHttp(service, owner).update(device.uuid, { touched: true })
    expect(await refusal(meshbluHttp(service, other).update(device.uuid, { touched: false }))).toMatchObject({ code: 403 })
  })
})
