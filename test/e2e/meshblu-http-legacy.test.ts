// meshblu-endo §3.3 over raw HTTP: the exact status codes of the table, and the routes meshblu-http
// does not call (status, ping, v1 devices, v3 get, GET authenticate, broadcasts, claimdevice).
import { startTestService, type TestService } from '../support/test-service.js'
import { connectDevice } from '../support/mqtt-device.js'
import { raw, registerDevice, v2Device, type Credentials } from './meshblu-http.fixture.js'

let service: TestService
beforeAll(async () => { service = await startTestService() })
afterAll(async () => { await service.stop() })

describe('the status codes of the §3.3 table', () => {
  let device: Credentials
  beforeAll(async () => { device = await registerDevice(service, v2Device()) })
  const as = (method: string, path: string, body?: unknown) => raw(service, method, path, { credentials: device, body })

  it('register answers 201 with the plaintext token', async () => {
    const response = await raw(service, 'POST', '/devices', { body: { type: 'x' } })
    expect(response.status).toBe(201)
    expect(response.json).toMatchObject({ type: 'x', uuid: expect.any(String), token: expect.any(String) })
  })

  it('update answers 204, updateDangerously 204, findAndUpdate 200', async () => {
    expect((await as('PATCH', `/v2/devices/${device.uuid}`, { a: 1 })).status).toBe(204)
    expect((await as('PUT', `/v2/devices/${device.uuid}`, { $inc: { a: 1 } })).status).toBe(204)
    const found = await as('PUT', `/v2/devices/${device.uuid}/find-and-update`, { $inc: { a: 1 } })
    expect(found).toMatchObject({ status: 200, json: { a: 2 } })
  })

  it('token creation answers 201, revocation 204, reset 200', async () => {
    const created = await as('POST', `/devices/${device.uuid}/tokens`, { tag: 't' })
    expect(created).toMatchObject({ status: 201, json: { tag: 't', uuid: device.uuid } })
    expect((await as('DELETE', `/devices/${device.uuid}/tokens/${created.json.token as string}`)).status).toBe(204)
    expect((await as('DELETE', `/devices/${device.uuid}/tokens?tag=t`)).status).toBe(204)
    const reset = await as('POST', `/devices/${device.uuid}/token`)
    expect(reset).toMatchObject({ status: 200, json: { uuid: device.uuid } })
    device = { uuid: device.uuid, token: reset.json.token }
  })

  it('subscription create and delete answer 204, the list 200', async () => {
    const path = `/v2/devices/${device.uuid}/subscriptions/${device.uuid}/message.received`
    expect((await as('POST', path)).status).toBe(204)
    expect((await as('POST', path)).status).toBe(204)
    expect(await as('GET', `/v2/devices/${device.uuid}/subscriptions`)).toMatchObject({ status: 200, json: [{ type: 'message.received' }] })
    expect((await as('DELETE', path)).status).toBe(204)
    expect((await as('POST', `/v2/devices/${device.uuid}/subscriptions/${device.uuid}/bogus`)).status).toBe(422)
  })

  it('a message answers 204, and unregister 200 with the uuid', async () => {
    expect((await as('POST', '/messages', { devices: [device.uuid] })).status).toBe(204)
    const other = await registerDevice(service)
    const removed = await raw(service, 'DELETE', `/devices/${other.uuid}`, { credentials: other })
    expect(removed).toMatchObject({ status: 200, json: { uuid: other.uuid } })
  })
})

describe('the routes meshblu-http does not call', () => {
  let device: Credentials
  beforeAll(async () => { device = await registerDevice(service, { type: 'legacy-thing', online: true }) })

  it('status, ping and healthcheck answer without credentials', async () => {
    expect(await raw(service, 'GET', '/status')).toMatchObject({ status: 200, json: { meshblu: 'online' } })
    expect(await raw(service, 'GET', '/ping')).toMatchObject({ status: 200, json: { online: true } })
    expect(await raw(service, 'GET', '/healthcheck')).toMatchObject({ status: 200 })
  })

  it('GET /authenticate/:uuid?token= answers 200 for good credentials and the same 403 otherwise', async () => {
    const good = await raw(service, 'GET', `/authenticate/${device.uuid}?token=${device.token}`)
    expect(good).toMatchObject({ status: 200, json: { uuid: device.uuid, authentication: true } })
    const wrong = await raw(service, 'GET', `/authenticate/${device.uuid}?token=nope`)
    const unknown = await raw(service, 'GET', '/authenticate/00000000-0000-4000-8000-000000000000?token=nope')
    expect([wrong.status, wrong.text]).toEqual([403, ''])
    expect([unknown.status, unknown.text]).toEqual([403, ''])
  })

  it('v1 GET /devices searches, answering {devices}; online is a boolean and null means absent', async () => {
    const found = await raw(service, 'GET', '/devices?type=legacy-thing&online=true&color=null', { credentials: device })
    expect(found).toMatchObject({ status: 200, json: { devices: [{ uuid: device.uuid }] } })
    const none = await raw(service, 'GET', '/v2/devices?type=legacy-thing&online=false', { credentials: device })
    expect(none).toMatchObject({ status: 200, json: [] })
  })

  it('refuses query-string operators with 422', async () => {
    const response = await raw(service, 'GET', '/v2/devices?type[$ne]=x', { credentials: device })
    expect(response).toMatchObject({ status: 422, json: { error: 'query parameter "type" must be a plain value' } })
  })

  it('v1 GET /devices/:uuid answers {devices:[device]}, v3 the device', async () => {
    expect(await raw(service, 'GET', `/devices/${device.uuid}`, { credentials: device })).toMatchObject({ status: 200, json: { devices: [{ uuid: device.uuid }] } })
    expect(await raw(service, 'GET', `/v3/devices/${device.uuid}`, { credentials: device })).toMatchObject({ status: 200, json: { uuid: device.uuid } })
  })

  it('v1 PUT /devices/:uuid updates like PATCH', async () => {
    expect((await raw(service, 'PUT', `/devices/${device.uuid}`, { credentials: device, body: { color: 'red', token: 'x' } })).status).toBe(204)
    expect(await raw(service, 'GET', `/v3/devices/${device.uuid}`, { credentials: device })).toMatchObject({ json: { color: 'red' } })
  })

  it('the public key of an unknown device is 404', async () => {
    const response = await raw(service, 'GET', '/devices/00000000-0000-4000-8000-000000000000/publickey')
    expect(response).toMatchObject({ status: 404, json: { error: 'Devices not found' } })
  })

  it('POST /claimdevice/:uuid makes the caller owner of an unclaimed device', async () => {
    const claimer = await registerDevice(service)
    const response = await raw(service, 'POST', `/claimdevice/${device.uuid}`, { credentials: claimer })
    expect(response).toMatchObject({ status: 200, json: { uuid: device.uuid, owner: claimer.uuid } })
    expect(response.json.discoverWhitelist).toContain(claimer.uuid)
  })

  it('POST /claimdevice/:uuid is refused with 403 for a device someone owns', async () => {
    const owner = await registerDevice(service)
    const owned = await registerDevice(service, { owner: owner.uuid })
    const claimer = await registerDevice(service)
    expect((await raw(service, 'POST', `/claimdevice/${owned.uuid}`, { credentials: claimer })).status).toBe(403)
  })

  it('POST /broadcasts reaches an MQTT device subscribed to the sender\'s broadcasts', async () => {
    const listener = await registerDevice(service)
    const sender = await registerDevice(service, v2Device({ broadcast: { sent: [listener.uuid] } }))
    const mqtt = await connectDevice(service.mqttPort, listener.uuid, listener.token)
    try {
      await mqtt.client.subscribeAsync(sender.uuid, { qos: 1 })
      const response = await raw(service, 'POST', '/broadcasts', { credentials: sender, body: { payload: 'to all' } })
      expect(response.status).toBe(204)
      const got = await mqtt.next(e => e.data?.payload === 'to all')
      expect(got.data).toMatchObject({ devices: ['*'], fromUuid: sender.uuid })
    } finally {
      await mqtt.end()
    }
  })
})
