// The external API's bad input and rate limits (intercoop-auroral B6): a missing or malformed body is 400,
// introspection answers {active:false} for anything invalid (RFC 7662), and failed authentications are
// limited per key id and per client address (config authAttemptsPerMinute) with 429 and Retry-After.
// Requests come from distinct loopback addresses (127.0.0.x), so each case has its own address window.
import http from 'node:http'
import { connackCode } from '../support/mqtt-device.js'
import { expectCode } from './organizations.fixture.js'
import { buildAclWorld, createToken, type AclWorld, type IssuedToken } from './acl.fixture.js'

const ATTEMPTS = 3

interface Answer { status: number, retryAfter: string | undefined, body: any }

describe('the external API under bad input and repeated failures', () => {
  let world: AclWorld
  let token: IssuedToken

  /** POST from a given loopback source address; a string body is sent as is. */
  const post = async (from: string, path: string, body: unknown, contentType = 'application/json'): Promise<Answer> => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body)
    return await new Promise((resolve, reject) => {
      const request = http.request({
        host: '127.0.0.1', port: world.service.httpPort, localAddress: from, method: 'POST', path: `/api/external/v1/${path}`,
        headers: payload === '' ? {} : { 'content-type': contentType },
      }, response => {
        let text = ''
        response.on('data', chunk => { text += chunk })
        response.on('end', () => {
          let parsed: unknown
          try { parsed = JSON.parse(text) } catch { parsed = text }
          resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] as string | undefined, body: parsed })
        })
      })
      request.on('error', reject)
      request.end(payload)
    })
  }

  beforeAll(async () => {
    world = await buildAclWorld({ limits: { authAttemptsPerMinute: ATTEMPTS } })
    token = await createToken(world.alice, { organization_id: world.orgA, acl: { cid: [world.orgA] } })
  }, 120_000)
  afterAll(async () => { await world?.end() })

  describe('a missing or malformed body', () => {
    it.each([
      ['no body at all', ''],
      ['a body that is not JSON', '{"keyid":'],
      ['a JSON array', '[]'],
      ['no secret', { keyid: '00000000-0000-4000-8000-000000000000' }],
      ['a keyid that is not a string', { keyid: 42, secret: 'x' }],
      ['a keyid that is not a uuid', { keyid: 'admin', secret: 'x' }],
      ['an empty secret', { keyid: '00000000-0000-4000-8000-000000000000', secret: '' }],
    ])('is answered 400 by /auth: %s', async (_name, body) => {
      const answer = await post('127.0.0.2', 'auth', body)
      expect(answer.status).toBe(400)
      expect(Object.keys(answer.body)).toEqual(['error'])
    })

    it('is answered 400 by /authorize, with a grant type that does not exist or no resource', async () => {
      expect((await post('127.0.0.2', 'authorize', { keyid: token.keyid, secret: token.secret, resource: world.orgA, grantType: 'admin' })).status).toBe(400)
      expect((await post('127.0.0.2', 'authorize', { keyid: token.keyid, secret: token.secret, grantType: 'apEdit' })).status).toBe(400)
    })

    it('does not count as a failed attempt', async () => {
      expect((await post('127.0.0.2', 'auth', { keyid: token.keyid, secret: token.secret })).status).toBe(200)
    })
  })

  describe('introspection (RFC 7662)', () => {
    it('answers exactly {active:false} for an invalid, a malformed or an unknown token', async () => {
      for (const [from, form] of [['127.0.0.3', `token=${token.keyid}.wrong`], ['127.0.0.3', 'token=not-a-token'], ['127.0.0.4', `token=${crypto.randomUUID()}.secret`]]) {
        expect(await post(from, 'introspect', form, 'application/x-www-form-urlencoded')).toMatchObject({ status: 200, body: { active: false } })
      }
    })

    it('answers 400 invalid_request without a token', async () => {
      expect(await post('127.0.0.3', 'introspect', 'token_type_hint=api_key', 'application/x-www-form-urlencoded')).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    })
  })

  describe('failed attempts with one key id', () => {
    it(`get 429 with Retry-After after ${ATTEMPTS}, from any address and even with the right secret`, async () => {
      const target = await createToken(world.alice, { organization_id: world.orgA, acl: { cid: [world.orgA] } })
      const wrong = { keyid: target.keyid, secret: 'wrong-secret' }
      for (let i = 0; i < ATTEMPTS; i++) expect((await post(`127.0.1.${i + 1}`, 'auth', wrong)).status).toBe(401)
      const limited = await post('127.0.1.10', 'auth', wrong)
      expect(limited).toMatchObject({ status: 429, body: { error: 'Too many failed attempts: retry later' } })
      expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1)
      expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60)
      expect((await post('127.0.1.11', 'auth', { keyid: target.keyid, secret: target.secret })).status).toBe(429)
      expect((await post('127.0.1.12', 'authorize', { keyid: target.keyid, secret: target.secret, resource: world.orgA, grantType: 'apEdit' })).status).toBe(429)
      expect(await connackCode(world.service.mqttPort, target.keyid, target.secret)).toBe(4)
    })
  })

  describe('failed attempts from one address', () => {
    it(`get 429 after ${ATTEMPTS} for any key id, while other addresses go on`, async () => {
      for (let i = 0; i < ATTEMPTS; i++) expect((await post('127.0.2.1', 'auth', { keyid: crypto.randomUUID(), secret: 'guess' })).status).toBe(401)
      const limited = await post('127.0.2.1', 'auth', { keyid: token.keyid, secret: token.secret })
      expect(limited.status).toBe(429)
      expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1)
      expect((await post('127.0.2.1', 'introspect', `token=${token.keyid}.${token.secret}`, 'application/x-www-form-urlencoded')).status).toBe(429)
      expect((await post('127.0.2.2', 'auth', { keyid: token.keyid, secret: token.secret })).status).toBe(200)
      expectCode(await world.alice.sendJob('ListApiTokens', { organization_id: world.orgA }), 200)
    })
  })
})
