// API tokens made with jobs (issue 8, intercoop-auroral B1–B3): one per ACL level, each checked over
// HTTP; the B2 role rules at creation; ListApiTokens never shows a secret; who may revoke and rotate.
import fs from 'node:fs'
import path from 'node:path'
import { expectCode } from './organizations.fixture.js'
import { buildAclWorld, createToken, postExternal, type AclWorld } from './acl.fixture.js'

describe('API tokens made with jobs', () => {
  let world: AclWorld
  beforeAll(async () => { world = await buildAclWorld() }, 120_000)
  afterAll(async () => { await world?.end() })

  describe('a token at each ACL level (B2, B3)', () => {
    it('at organization level, made by an owner, authenticates with AURORAL\'s exact answer', async () => {
      const token = await createToken(world.alice, { organization_id: world.orgA, grant_types: ['dataAccess', 'apEdit'], acl: { cid: [world.orgA] } })
      expect(token.view).toMatchObject({ organization_id: world.orgA, grant_types: ['dataAccess', 'apEdit'], status: 'active', expires_at: null, last_used_at: null })
      const answer = await postExternal(world.service, 'auth', { keyid: token.keyid, secret: token.secret })
      expect(answer.status).toBe(200)
      expect(answer.text).toBe(JSON.stringify({ error: null, message: { grantType: ['dataAccess', 'apEdit'], ACL: { cid: [world.orgA], agid: [], oid: [] } } }))
    })

    it('at node level, made by an admin, authenticates with its nodes', async () => {
      const token = await createToken(world.bob, { organization_id: world.orgA, acl: { agid: [world.n1.uuid, world.n2.uuid, world.n1.uuid] } })
      const answer = await postExternal(world.service, 'auth', { keyid: token.keyid, secret: token.secret })
      expect(answer.body).toEqual({ error: null, message: { grantType: ['dataAccess'], ACL: { cid: [], agid: [world.n1.uuid, world.n2.uuid], oid: [] } } })
    })

    it('at item level, made by the items\' owner, authenticates with its items', async () => {
      const token = await createToken(world.alice, { organization_id: world.orgA, grant_types: ['serviceStore'], acl: { oid: [world.i1a.uuid, world.vaultItem] } })
      const answer = await postExternal(world.service, 'auth', { keyid: token.keyid, secret: token.secret })
      expect(answer.body.message).toEqual({ grantType: ['serviceStore'], ACL: { cid: [], agid: [], oid: [world.i1a.uuid, world.vaultItem] } })
    })

    it('is introspected as active with its scope, organization and ACL (RFC 7662)', async () => {
      const token = await createToken(world.bob, { organization_id: world.orgA, acl: { oid: [world.i1b.uuid] } })
      const form = await postExternal(world.service, 'introspect', `token=${token.keyid}.${encodeURIComponent(token.secret)}`, 'application/x-www-form-urlencoded')
      expect(form.status).toBe(200)
      expect(form.headers.get('cache-control')).toBe('no-store')
      expect(form.body).toEqual({
        active: true, client_id: token.keyid, scope: 'dataAccess', token_type: 'api_key', sub: world.orgA,
        iat: expect.any(Number), acl: { cid: [], agid: [], oid: [world.i1b.uuid] },
      })
      expect((await postExternal(world.service, 'introspect', { keyid: token.keyid, secret: token.secret })).body.active).toBe(true)
    })
  })

  describe('CreateApiToken role rules (B2)', () => {
    const refusal = async (person: 'alice' | 'bob' | 'carol', data: Record<string, unknown>): Promise<{ code: number, message: string }> => {
      const reply = await world[person].sendJob('CreateApiToken', { name: 'refused', ...data })
      return { code: reply.metadata.code, message: reply.metadata.error?.message }
    }

    it('refuses an organization-level token to an admin (403)', async () => {
      expect(await refusal('bob', { organization_id: world.orgA, acl: { cid: [world.orgA] } }))
        .toEqual({ code: 403, message: 'an organization-level API token needs the owner role in this organization' })
    })

    it('refuses a cid naming another organization (403)', async () => {
      expect(await refusal('alice', { organization_id: world.orgA, acl: { cid: [world.orgB] } }))
        .toEqual({ code: 403, message: 'Invalid CID: an API token may only name its own organization in cid' })
    })

    it('refuses a node of another organization, or of none, as not found (404)', async () => {
      expect(await refusal('alice', { organization_id: world.orgA, acl: { agid: [world.nb.uuid] } }))
        .toEqual({ code: 404, message: `node ${world.nb.uuid} not found in this organization` })
      const unknown = '00000000-0000-4000-8000-000000000000'
      expect(await refusal('alice', { organization_id: world.orgA, acl: { agid: [unknown] } })).toEqual({ code: 404, message: `node ${unknown} not found in this organization` })
    })

    it('refuses an item of another organization as not found (404)', async () => {
      expect(await refusal('alice', { organization_id: world.orgA, acl: { oid: [world.ib.uuid] } }))
        .toEqual({ code: 404, message: `item ${world.ib.uuid} not found in this organization` })
    })

    it('refuses items the caller does not own (403): another member\'s device, or the organization\'s vault item to an admin', async () => {
      expect(await refusal('bob', { organization_id: world.orgA, acl: { oid: [world.i1a.uuid] } }))
        .toEqual({ code: 403, message: `an item-level API token may only name items you own: ${world.i1a.uuid} is not yours` })
      expect((await refusal('bob', { organization_id: world.orgA, acl: { oid: [world.vaultItem] } })).code).toBe(403)
      expect((await refusal('alice', { organization_id: world.orgA, acl: { oid: [world.i1b.uuid] } })).code).toBe(403)
    })

    it('answers a person who is not a member 404', async () => {
      expect(await refusal('carol', { organization_id: world.orgA, acl: { agid: [world.n1.uuid] } })).toEqual({ code: 404, message: 'organization not found' })
    })

    it('refuses an empty ACL, apEdit on items only and an expiry in the past (422)', async () => {
      expect((await refusal('alice', { organization_id: world.orgA, acl: {} })).code).toBe(422)
      expect((await refusal('alice', { organization_id: world.orgA, acl: { cid: [], agid: [], oid: [] } })).code).toBe(422)
      expect(await refusal('alice', { organization_id: world.orgA, grant_types: ['apEdit'], acl: { oid: [world.i1a.uuid] } }))
        .toEqual({ code: 422, message: 'the apEdit grant type manages nodes: it needs an organization (cid) or node (agid) ACL' })
      expect(await refusal('alice', { organization_id: world.orgA, acl: { cid: [world.orgA] }, expires_at: '2001-01-01T00:00:00Z' }))
        .toEqual({ code: 422, message: 'expires_at must be in the future' })
    })
  })

  describe('ListApiTokens', () => {
    it('shows the organization\'s tokens with their last use, and never a secret', async () => {
      const token = await createToken(world.alice, { organization_id: world.orgA, name: 'listed', acl: { agid: [world.n2.uuid] } })
      await postExternal(world.service, 'auth', { keyid: token.keyid, secret: token.secret })
      const { api_tokens: tokens } = expectCode(await world.bob.sendJob('ListApiTokens', { organization_id: world.orgA }), 200)
      const listed = tokens.find((t: any) => t.keyid === token.keyid)
      expect(listed).toMatchObject({ name: 'listed', status: 'active', acl: { cid: [], agid: [world.n2.uuid], oid: [] }, last_used_at: expect.any(String) })
      expect(tokens.every((t: any) => t.organization_id === world.orgA)).toBe(true)
      expect(JSON.stringify(tokens)).not.toContain(token.secret)
      expect(Object.keys(listed)).not.toEqual(expect.arrayContaining(['secret']))
    })

    it('answers a person who is not a member 404', async () => {
      expectCode(await world.carol.sendJob('ListApiTokens', { organization_id: world.orgA }), 404)
    })

    it('stores the secret only as a keyed hash', async () => {
      const token = await createToken(world.alice, { organization_id: world.orgA, acl: { cid: [world.orgA] } })
      const row = await world.service.store.selectFrom('api_tokens').selectAll().where('keyid', '=', token.keyid).executeTakeFirstOrThrow()
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(JSON.stringify(row)).not.toContain(token.secret)
      const file = ['endo-vault.db', 'endo-vault.db-wal'].map(name => path.join(world.service.dataDir, name)).filter(f => fs.existsSync(f))
      for (const f of file) expect(fs.readFileSync(f).toString('latin1')).not.toContain(token.secret)
    })
  })

  describe('revoking and rotating', () => {
    it('is refused to an admin on another member\'s token (403) and to a non-member (404)', async () => {
      const token = await createToken(world.alice, { organization_id: world.orgA, acl: { agid: [world.n1.uuid] } })
      expectCode(await world.bob.sendJob('RevokeApiToken', { organization_id: world.orgA, keyid: token.keyid }), 403)
      expectCode(await world.bob.sendJob('RotateApiTokenSecret', { organization_id: world.orgA, keyid: token.keyid, grace_seconds: 0 }), 403)
      expectCode(await world.carol.sendJob('RevokeApiToken', { organization_id: world.orgA, keyid: token.keyid }), 404)
      expectCode(await world.carol.sendJob('RevokeApiToken', { organization_id: world.orgB, keyid: token.keyid }), 404)
    })

    it('is allowed to an admin on their own token, and a revoked token cannot be rotated (409)', async () => {
      const token = await createToken(world.bob, { organization_id: world.orgA, acl: { agid: [world.n1.uuid] } })
      const rotated = expectCode(await world.bob.sendJob('RotateApiTokenSecret', { organization_id: world.orgA, keyid: token.keyid, grace_seconds: 60 }), 200)
      expect(rotated.secret).not.toBe(token.secret)
      expect(rotated.api_token.previous_secret_valid_until).toEqual(expect.any(String))
      expect(expectCode(await world.bob.sendJob('RevokeApiToken', { organization_id: world.orgA, keyid: token.keyid }), 200).api_token.status).toBe('revoked')
      expectCode(await world.alice.sendJob('RotateApiTokenSecret', { organization_id: world.orgA, keyid: token.keyid, grace_seconds: 0 }), 409)
    })
  })

  describe('the 401 of /auth (B6: no way to probe which key ids exist)', () => {
    const shapeOf = (answer: { status: number, headers: Headers, text: string }): unknown =>
      ({ status: answer.status, text: answer.text, headers: [...answer.headers].filter(([name]) => name !== 'date') })

    it('is the same for an unknown key id, a wrong secret, an expired token and a revoked token', async () => {
      const wrong = await createToken(world.alice, { organization_id: world.orgA, acl: { cid: [world.orgA] } })
      const expired = await createToken(world.alice, { organization_id: world.orgA, acl: { cid: [world.orgA] }, expires_at: new Date(Date.now() + 300).toISOString() })
      const revoked = await createToken(world.alice, { organization_id: world.orgA, acl: { cid: [world.orgA] } })
      expectCode(await world.alice.sendJob('RevokeApiToken', { organization_id: world.orgA, keyid: revoked.keyid }), 200)
      await new Promise(resolve => setTimeout(resolve, 350))
      const answers = await Promise.all([
        { keyid: '00000000-0000-4000-8000-000000000000', secret: wrong.secret },
        { keyid: wrong.keyid, secret: wrong.secret.slice(1) + 'A' },
        { keyid: expired.keyid, secret: expired.secret },
        { keyid: revoked.keyid, secret: revoked.secret },
      ].map(async body => await postExternal(world.service, 'auth', body)))
      expect(answers[0]).toMatchObject({ status: 401, text: '{"error":"Invalid keyid or secret"}' })
      for (const answer of answers.slice(1)) expect(shapeOf(answer)).toEqual(shapeOf(answers[0]))
    })

    it('takes about as long for an unknown key id as for a wrong secret (the hash is always computed)', async () => {
      const token = await createToken(world.alice, { organization_id: world.orgA, acl: { cid: [world.orgA] } })
      const timed = async (body: unknown): Promise<number> => {
        const started = performance.now()
        await postExternal(world.service, 'auth', body)
        return performance.now() - started
      }
      const unknownTimes: number[] = []
      const wrongTimes: number[] = []
      for (let i = 0; i < 30; i++) { // interleaved, so warm-up and load affect both alike
        unknownTimes.push(await timed({ keyid: crypto.randomUUID(), secret: token.secret }))
        wrongTimes.push(await timed({ keyid: token.keyid, secret: (token.secret.startsWith('x') ? 'y' : 'x') + token.secret.slice(1) }))
      }
      const median = (times: number[]): number => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]
      const [unknown, wrongSecret] = [median(unknownTimes), median(wrongTimes)]
      console.log(`401 timing medians: unknown key ${unknown.toFixed(2)} ms, wrong secret ${wrongSecret.toFixed(2)} ms`)
      expect(Math.abs(unknown - wrongSecret)).toBeLessThan(Math.max(5, 0.5 * Math.max(unknown, wrongSecret)))
    })
  })
})
