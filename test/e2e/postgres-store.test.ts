// The service on PostgreSQL (DATABASE_URL) instead of the embedded SQLite file: migrations, the device bus, the
// job runner, the vault and organizations over MQTT, the rows as PostgreSQL holds them, and a restart on the same database.
// Runs when TEST_DATABASE_URL names a server where it may create databases (.ci/run starts one); each run gets
// a database of its own, dropped at the end. Without it the suite is skipped.
import { freshDatabase, postgresAdminUrl, withClient } from '../support/postgres-database.js'
import { connectPeople, DELOREAN, job, onboardPerson, startVaultService, valuesOf, type Person, type TestService } from './vault.fixture.js'
import { buildAclWorld, createToken, postExternal, type AclWorld } from './acl.fixture.js'
import { expectCode } from './organizations.fixture.js'
import { dataOf, get, introduce, startEntityService, targetDescriptor } from './intercoop.fixture.js'
import { parseYaml } from '../../src/core/intercoop/index.js'

const describeOnPostgres = postgresAdminUrl === '' ? describe.skip : describe

describeOnPostgres('the service on PostgreSQL', () => {
  let databaseUrl: string
  let dropDatabase = async (): Promise<void> => {}
  let service: TestService
  let alice: Person, bob: Person
  const s: Record<string, any> = {}

  beforeAll(async () => {
    const database = await freshDatabase()
    databaseUrl = database.url
    dropDatabase = database.drop
    service = await startVaultService({ databaseUrl, vault: { connectionKeyBits: 2048 } })
    alice = await onboardPerson(service, { accountId: 'alice-account', username: 'alice' })
    bob = await onboardPerson(service, { accountId: 'bob-account', username: 'bob' })
  }, 60_000)
  afterAll(async () => {
    await Promise.all([alice?.end(), bob?.end()])
    await service?.stop()
    await dropDatabase()
  }, 60_000)

  async function rows (sql: string, values: unknown[] = []): Promise<any[]> {
    return await withClient(databaseUrl, async client => (await client.query(sql, values)).rows)
  }

  it('creates its tables through the migrations', async () => {
    const tables = (await rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).map(r => r.table_name)
    expect(tables).toEqual(expect.arrayContaining(['devices', 'vault_items', 'vault_shares']))
  })

  it('runs a job and replies as the user device', async () => {
    expect(await job(alice, 'Echo', { text: 'on postgres' })).toEqual({ text: 'on postgres', username: 'alice' })
  })

  it('keeps a vault item encrypted in its rows and reads it back decrypted', async () => {
    const { item } = await job(alice, 'CreateItem', DELOREAN, 201)
    s.itemId = item.id
    expect(valuesOf((await job(alice, 'GetItem', { item_id: item.id })).item)).toEqual(Object.fromEntries(DELOREAN.slots.map(slot => [slot.name, slot.value])))
    const stored = JSON.stringify(await rows('SELECT * FROM vault_items'))
    expect(stored).toContain(item.id)
    expect(stored).not.toContain('OUTATIME')
  })

  it('connects two people and shares the item with re-encrypted keys', async () => {
    const { inviterConnection } = await connectPeople(alice, 'Bob', bob, 'Alice')
    const { share } = await job(alice, 'ShareItem', { item_id: s.itemId, connection_id: inviterConnection }, 201)
    const { item } = await job(bob, 'GetIncomingShare', { share_id: share.id })
    expect(valuesOf(item).licence_plate).toBe('OUTATIME')
    expect(await rows('SELECT id FROM vault_shares')).toEqual([{ id: share.id }])
  })

  it('answers a bad job with a 4xx and stores nothing for it', async () => {
    const before = await rows('SELECT count(*)::int AS n FROM vault_items')
    expect((await alice.sendJob('CreateItem', { label: 'no template' })).metadata.code).toBe(422)
    expect(await rows('SELECT count(*)::int AS n FROM vault_items')).toEqual(before)
  })

  it('keeps an organization Alice requests', async () => {
    const { organization } = await job(alice, 'CreateOrganization', { name: 'SuperData Inc.' }, 201)
    s.organizationId = organization.id
    expect(await rows('SELECT name FROM organizations WHERE id = $1', [organization.id])).toEqual([{ name: 'SuperData Inc.' }])
    expect((await job(alice, 'GetOrganization', { organization_id: organization.id })).organization.status).toBe('requested')
  })

  it('finds everything again after a restart on the same database', async () => {
    await Promise.all([alice.end(), bob.end()])
    await service.stop({ keepData: true })
    service = await startVaultService({ dataDir: service.dataDir, databaseUrl, vault: { connectionKeyBits: 2048 } })
    // the same accounts: their credentials devices, with the vault keys inside, come back from PostgreSQL
    alice = await onboardPerson(service, { accountId: 'alice-account', username: 'alice' })
    bob = await onboardPerson(service, { accountId: 'bob-account', username: 'bob' })
    expect(valuesOf((await job(alice, 'GetItem', { item_id: s.itemId })).item).model).toBe('DMC-12 time machine')
    expect((await job(bob, 'ListConnections', {})).connections.map((c: { name: string }) => c.name)).toEqual(['Alice'])
    expect((await job(alice, 'GetOrganization', { organization_id: s.organizationId })).organization.name).toBe('SuperData Inc.')
  }, 60_000)
})

describeOnPostgres('organizations, nodes and API tokens on PostgreSQL', () => {
  let world: AclWorld
  let dropDatabase = async (): Promise<void> => {}
  beforeAll(async () => {
    const database = await freshDatabase()
    dropDatabase = database.drop
    world = await buildAclWorld({ databaseUrl: database.url })
  }, 120_000)
  afterAll(async () => {
    await world?.end()
    await dropDatabase()
  }, 60_000)

  it('an organization-level token authenticates with AURORAL\'s answer until it is revoked', async () => {
    const token = await createToken(world.alice, { organization_id: world.orgA, grant_types: ['dataAccess'], acl: { cid: [world.orgA] } })
    const answer = await postExternal(world.service, 'auth', { keyid: token.keyid, secret: token.secret })
    expect(answer.text).toBe(JSON.stringify({ error: null, message: { grantType: ['dataAccess'], ACL: { cid: [world.orgA], agid: [], oid: [] } } }))
    expect(expectCode(await world.alice.sendJob('RevokeApiToken', { organization_id: world.orgA, keyid: token.keyid }), 200).api_token.status).toBe('revoked')
    expect((await postExternal(world.service, 'auth', { keyid: token.keyid, secret: token.secret })).status).toBe(401)
  })

  it('a node-level token lists the organization\'s nodes kept in PostgreSQL', async () => {
    const token = await createToken(world.bob, { organization_id: world.orgA, acl: { agid: [world.n1.uuid, world.n2.uuid] } })
    expect((await postExternal(world.service, 'auth', { keyid: token.keyid, secret: token.secret })).body).toEqual({ error: null, message: { grantType: ['dataAccess'], ACL: { cid: [], agid: [world.n1.uuid, world.n2.uuid], oid: [] } } })
  })
})

describeOnPostgres('intercoop between two entities, each on its own PostgreSQL database', () => {
  let a: TestService, b: TestService
  let person: Person
  const databases: Array<{ url: string, drop: () => Promise<void> }> = []
  beforeAll(async () => {
    databases.push(await freshDatabase(), await freshDatabase())
    ;[a, b] = await Promise.all([
      startEntityService({ peerid: 'sourcecoop', config: { databaseUrl: databases[0].url } }),
      startEntityService({ peerid: 'targetcoop', descriptor: targetDescriptor('targetcoop'), config: { databaseUrl: databases[1].url } }),
    ])
    await introduce(a, b)
    person = await onboardPerson(a, { accountId: 'nuria-account', username: 'nuria', profile: { sub: 'nuria', given_name: 'Núria', family_name: 'Ñandú', email: 'nuria@example.coop', locale: 'es-ES', nif: '12345678Z', address: { postal_code: '08012', locality: 'Barcelona', country: 'es' } } })
  }, 60_000)
  afterAll(async () => {
    await person?.end()
    await a?.stop()
    await b?.stop()
    for (const database of databases) await database.drop()
  }, 60_000)

  it('previews, consents and activates; B hands the data out once; both sides keep their rows', async () => {
    const { consentId } = dataOf(await person.sendJob('PreviewIntercoopActivation', { peer: 'targetcoop', service: 'contract' }))
    const activated = dataOf(await person.sendJob('ActivateIntercoopService', { peer: 'targetcoop', service: 'contract', consentId }))
    const first = await get(activated.continuationUrl)
    expect(first.status).toBe(200)
    expect(parseYaml(first.text)).toMatchObject({ originpeer: 'sourcecoop', nif: '12345678Z', email: 'nuria@example.coop', targetpeer: 'targetcoop' })
    expect((await get(activated.continuationUrl)).status).toBe(404)
    const count = async (service: TestService, table: string): Promise<number> =>
      (await service.store.selectFrom(table as any).select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n
    expect(Number(await count(a, 'intercoop_receipts'))).toBe(1)
    expect(Number(await count(b, 'intercoop_seen_nonces'))).toBeGreaterThan(0)
    expect(dataOf(await person.sendJob('ListConsentReceipts', {})).receipts.map((r: { id: string }) => r.id)).toEqual([activated.receipt.id])
  })
})
