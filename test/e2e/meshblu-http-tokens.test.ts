// meshblu-endo §1.7 and §3.3 token methods, driven by the real meshblu-http 10.2 client against a running service.
import { startTestService, type TestService } from '../support/test-service.js'
import { meshbluHttp, refusal, registerDevice, v2Device, type Credentials } from './meshblu-http.fixture.js'

let service: TestService
beforeAll(async () => { service = await startTestService() })
afterAll(async () => { await service.stop() })

const authenticates = async (credentials: Credentials): Promise<boolean> =>
  await meshbluHttp(service, credentials).authenticate().then(() => true, () => false)

describe('a device managing its own tokens', () => {
  let device: Credentials
  beforeEach(async () => { device = await registerDevice(service) })

  it('gets a new session token from generateAndStoreToken', async () => {
    const answer = await meshbluHttp(service, device).generateAndStoreToken(device.uuid)
    expect(answer).toEqual({ uuid: device.uuid, token: expect.stringMatching(/^\S{32,}$/) })
    expect(await authenticates({ uuid: device.uuid, token: answer.token })).toBe(true)
    expect(await authenticates(device)).toBe(true)
  })

  it('gets a token carrying its options from generateAndStoreTokenWithOptions', async () => {
    const answer = await meshbluHttp(service, device).generateAndStoreTokenWithOptions(device.uuid, { tag: 'flow-1' })
    expect(answer).toEqual({ tag: 'flow-1', uuid: device.uuid, token: expect.any(String) })
  })

  it('finds its tokens with searchTokens, without plaintext or hashes', async () => {
    const { token } = await meshbluHttp(service, device).generateAndStoreTokenWithOptions(device.uuid, { tag: 'findme' })
    const found = await meshbluHttp(service, device).searchTokens({ tag: 'findme' })
    expect(found).toEqual([expect.objectContaining({ uuid: device.uuid, root: false, metadata: { tag: 'findme' } })])
    const text = JSON.stringify(found)
    expect(text).not.toContain(token)
    expect(text).not.toMatch(/hash/i)
  })

  it('lists its root token among all of them', async () => {
    await meshbluHttp(service, device).generateAndStoreToken(device.uuid)
    const all = await meshbluHttp(service, device).searchTokens({})
    expect(all.map((t: any) => t.root).sort()).toEqual([false, true])
    expect(JSON.stringify(all)).not.toContain(device.token)
  })

  it('stops a token working with revokeToken', async () => {
    const { token } = await meshbluHttp(service, device).generateAndStoreToken(device.uuid)
    // meshblu-http turns the empty 204 body of revokeToken into {}.
    await expect(meshbluHttp(service, device).revokeToken(device.uuid, token)).resolves.toEqual({})
    expect(await authenticates({ uuid: device.uuid, token })).toBe(false)
    expect(await authenticates(device)).toBe(true)
  })

  it('stops only the matching tokens with revokeTokenByQuery', async () => {
    const tagged = await meshbluHttp(service, device).generateAndStoreTokenWithOptions(device.uuid, { tag: 'old' })
    const tagged2 = await meshbluHttp(service, device).generateAndStoreTokenWithOptions(device.uuid, { tag: 'old' })
    const kept = await meshbluHttp(service, device).generateAndStoreTokenWithOptions(device.uuid, { tag: 'new' })
    await expect(meshbluHttp(service, device).revokeTokenByQuery(device.uuid, { tag: 'old' })).resolves.toEqual({})
    expect(await authenticates(tagged)).toBe(false)
    expect(await authenticates(tagged2)).toBe(false)
    expect(await authenticates(kept)).toBe(true)
    expect(await authenticates(device)).toBe(true)
  })

  it('is refused revokeTokenByQuery without a query, with a 422', async () => {
    const error = await refusal(meshbluHttp(service, device).revokeTokenByQuery(device.uuid, {}))
    expect(error).toEqual({ code: 422, message: 'a query is required to revoke tokens' })
    expect(await authenticates(device)).toBe(true)
  })

  it('replaces its root token with resetToken, the old one failing from then on', async () => {
    const answer = await meshbluHttp(service, device).resetToken(device.uuid)
    expect(answer).toEqual({ uuid: device.uuid, token: expect.any(String) })
    expect(answer.token).not.toBe(device.token)
    expect(await authenticates(device)).toBe(false)
    expect(await authenticates({ uuid: device.uuid, token: answer.token })).toBe(true)
  })
})

describe('a stranger to a device', () => {
  let device: Credentials, stranger: Credentials
  beforeAll(async () => {
    device = await registerDevice(service, v2Device())
    stranger = await registerDevice(service)
  })

  it('is refused every token method with a 403', async () => {
    const api = meshbluHttp(service, stranger)
    const calls = [
      api.generateAndStoreToken(device.uuid),
      api.generateAndStoreTokenWithOptions(device.uuid, { tag: 'x' }),
      api.revokeToken(device.uuid, device.token),
      api.revokeTokenByQuery(device.uuid, { tag: 'x' }),
      api.resetToken(device.uuid),
      api.searchTokens({ uuid: device.uuid }),
    ]
    for (const call of calls) expect(await refusal(call)).toMatchObject({ code: 403 })
    expect(await authenticates(device)).toBe(true)
  })

  it('is refused with the same 403 whether or not the device exists', async () => {
    const api = meshbluHttp(service, stranger)
    const existing = await refusal(api.resetToken(device.uuid))
    const missing = await refusal(api.resetToken('00000000-0000-4000-8000-000000000000'))
    expect(missing).toEqual(existing)
  })
})

describe('a manager acting as a principal that may configure a device', () => {
  let manager: Credentials, principal: Credentials, device: Credentials
  beforeAll(async () => {
    manager = await registerDevice(service)
    principal = await registerDevice(service, v2Device({ configure: { as: [manager.uuid] } }))
    device = await registerDevice(service, v2Device({ configure: { update: [principal.uuid] } }))
  })
  const asPrincipal = (): { as: string } => ({ as: principal.uuid })

  it('creates a token for the device and finds it with searchTokens as the principal', async () => {
    const answer = await meshbluHttp(service, manager).generateAndStoreTokenWithOptions(device.uuid, { tag: 'by-manager' }, asPrincipal())
    expect(await authenticates(answer)).toBe(true)
    const found = await meshbluHttp(service, manager).searchTokens({ uuid: device.uuid, tag: 'by-manager' }, asPrincipal())
    expect(found).toEqual([expect.objectContaining({ uuid: device.uuid, metadata: { tag: 'by-manager' } })])
  })

  it('is refused the same search without acting as the principal', async () => {
    expect(await refusal(meshbluHttp(service, manager).searchTokens({ uuid: device.uuid }))).toMatchObject({ code: 403 })
  })

  it('is refused acting as a device that does not admit it', async () => {
    const error = await refusal(meshbluHttp(service, manager).generateAndStoreToken(principal.uuid, { as: device.uuid }))
    expect(error).toMatchObject({ code: 403, message: `not allowed to act as ${device.uuid}` })
  })
})
