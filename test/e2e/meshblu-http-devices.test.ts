// meshblu-endo §3.3 device methods, driven by the real meshblu-http 10.2 client against a running service.
import { createPublicKey } from 'node:crypto'
import { startTestService, type TestService } from '../support/test-service.js'
import { meshbluHttp, refusal, registerDevice, v2Device, type Credentials } from './meshblu-http.fixture.js'

let service: TestService
beforeAll(async () => { service = await startTestService() })
afterAll(async () => { await service.stop() })

describe('a device registered through meshblu-http', () => {
  let device: Credentials & { device: any }
  beforeAll(async () => { device = await registerDevice(service, { type: 'thermostat', publicKey: 'PEM-OF-DEVICE' }) })

  it('gets a fresh uuid and its plaintext root token once', async () => {
    expect(device.device).toMatchObject({ type: 'thermostat', online: false })
    expect(device.uuid).toMatch(/^[0-9a-f-]{36}$/)
    expect(typeof device.token).toBe('string')
    expect(device.token.length).toBeGreaterThanOrEqual(32)
  })

  it('authenticates with that token', async () => {
    await expect(meshbluHttp(service, device).authenticate()).resolves.toBeUndefined()
  })

  it('is refused authentication with a wrong token, with a 403', async () => {
    const error = await refusal(meshbluHttp(service, { uuid: device.uuid, token: 'wrong' }).authenticate())
    expect(error).toEqual({ code: 403, message: 'Forbidden' })
  })

  it('authenticates with a bearer token, which is base64 of uuid:token', async () => {
    const bearerToken = Buffer.from(`${device.uuid}:${device.token}`).toString('base64')
    await expect(meshbluHttp(service, { bearerToken }).whoami()).resolves.toMatchObject({ uuid: device.uuid })
  })

  it('reads itself with whoami, without any token or hash', async () => {
    const me = await meshbluHttp(service, device).whoami()
    expect(me).toMatchObject({ uuid: device.uuid, type: 'thermostat' })
    expect(JSON.stringify(me)).not.toContain(device.token)
    expect(me).not.toHaveProperty('token')
  })

  it('publishes its public key to anyone', async () => {
    await expect(meshbluHttp(service).publicKey(device.uuid)).resolves.toEqual({ uuid: device.uuid, publicKey: 'PEM-OF-DEVICE' })
  })

  it('can read the service public key and health', async () => {
    const servicePublicKey = createPublicKey(service.identity.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString()
    expect(await meshbluHttp(service).getServerPublicKey()).toBe(servicePublicKey)
    await expect(meshbluHttp(service).healthcheck()).resolves.toEqual({ healthy: true, statusCode: 200 })
  })
})

describe('a v2 device that only one viewer may discover', () => {
  let target: Credentials, viewer: Credentials, stranger: Credentials
  beforeAll(async () => {
    viewer = await registerDevice(service, { type: 'viewer' })
    stranger = await registerDevice(service, { type: 'stranger' })
    target = await registerDevice(service, v2Device({ discover: { view: [viewer.uuid] } }, { type: 'hidden-sensor', color: 'blue' }))
  })

  it('is read by the viewer', async () => {
    await expect(meshbluHttp(service, viewer).device(target.uuid)).resolves.toMatchObject({ uuid: target.uuid, color: 'blue' })
  })

  it('looks missing to a stranger: 404 Devices not found, as for an unknown uuid', async () => {
    const refused = await refusal(meshbluHttp(service, stranger).device(target.uuid))
    const unknown = await refusal(meshbluHttp(service, stranger).device('00000000-0000-4000-8000-000000000000'))
    expect(refused).toEqual({ code: 404, message: 'Devices not found' })
    expect(unknown).toEqual(refused)
  })

  it('looks missing to bad credentials too', async () => {
    const error = await refusal(meshbluHttp(service, { uuid: viewer.uuid, token: 'nope' }).device(target.uuid))
    expect(error).toEqual({ code: 404, message: 'Devices not found' })
  })

  it('is found by devices() and search() for the viewer only', async () => {
    expect(await meshbluHttp(service, viewer).devices({ type: 'hidden-sensor' })).toEqual([expect.objectContaining({ uuid: target.uuid })])
    expect(await meshbluHttp(service, viewer).search({ color: 'blue', type: 'hidden-sensor' })).toEqual([expect.objectContaining({ uuid: target.uuid })])
    expect(await meshbluHttp(service, stranger).devices({ type: 'hidden-sensor' })).toEqual([])
    expect(await meshbluHttp(service, stranger).search({ type: 'hidden-sensor' })).toEqual([])
  })

  it('is projected to the fields a search asks for', async () => {
    const found = await meshbluHttp(service, viewer).search({ type: 'hidden-sensor' }, { projection: { uuid: 1, color: 1 } })
    expect(found).toEqual([{ uuid: target.uuid, color: 'blue' }])
  })

  it('is refused a search with a bad operator, with a 422 naming it', async () => {
    const error = await refusal(meshbluHttp(service, viewer).search({ color: { $nope: 1 } }))
    expect(error.code).toBe(422)
    expect(error.message).toMatch(/invalid search query/)
  })
})

describe('devices owned by a caller', () => {
  it('are listed by mydevices', async () => {
    const owner = await registerDevice(service)
    const owned = await registerDevice(service, { owner: owner.uuid, type: 'owned' })
    await registerDevice(service, { type: 'owned' })
    const answer = await meshbluHttp(service, owner).mydevices({ type: 'owned' })
    expect(answer).toEqual({ devices: [expect.objectContaining({ uuid: owned.uuid, owner: owner.uuid })] })
  })
})

describe('acting as another device with the as metadata', () => {
  let actor: Credentials, principal: Credentials, target: Credentials, outsider: Credentials
  beforeAll(async () => {
    actor = await registerDevice(service)
    outsider = await registerDevice(service)
    principal = await registerDevice(service, v2Device({ discover: { as: [actor.uuid] }, configure: { as: [actor.uuid] } }))
    target = await registerDevice(service, v2Device({ discover: { view: [principal.uuid] }, configure: { update: [principal.uuid] } }, { type: 'as-target' }))
  })

  it('reads a device the principal may discover', async () => {
    await expect(meshbluHttp(service, actor).device(target.uuid, { as: principal.uuid })).resolves.toMatchObject({ uuid: target.uuid })
    expect(await refusal(meshbluHttp(service, actor).device(target.uuid))).toMatchObject({ code: 404 })
  })

  it('searches with the principal\'s view', async () => {
    expect(await meshbluHttp(service, actor).search({ type: 'as-target' }, { as: principal.uuid })).toHaveLength(1)
  })

  it('updates a device the principal may configure, recorded as updated by the principal', async () => {
    await meshbluHttp(service, actor).update(target.uuid, { mood: 'calm' }, { as: principal.uuid })
    const device = await meshbluHttp(service, principal).device(target.uuid)
    expect(device).toMatchObject({ mood: 'calm', meshblu: { updatedBy: principal.uuid } })
  })

  it('is refused when the principal does not admit the caller, with 403 for updates and 404 for reads', async () => {
    expect(await refusal(meshbluHttp(service, outsider).update(target.uuid, { mood: 'x' }, { as: principal.uuid }))).toMatchObject({ code: 403 })
    expect(await refusal(meshbluHttp(service, outsider).device(target.uuid, { as: principal.uuid }))).toEqual({ code: 404, message: 'Devices not found' })
  })

  it('is refused on the principal itself (protect-your-as)', async () => {
    expect(await refusal(meshbluHttp(service, actor).device(principal.uuid, { as: principal.uuid }))).toMatchObject({ code: 404 })
  })
})
