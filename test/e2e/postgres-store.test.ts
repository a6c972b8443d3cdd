// The service on PostgreSQL (DATABASE_URL) instead of the embedded SQLite file: migrations, the device bus, the
// job runner, the vault and organizations over MQTT, the rows as PostgreSQL holds them, and a restart on the same database.
// Runs when TEST_DATABASE_URL names a server where it may create databases (.ci/run starts one); each run gets
// a database of its own, dropped at the end. Without it the suite is skipped.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { connectPeople, DELOREAN, job, onboardPerson, startVaultService, valuesOf, type Person, type TestService } from './vault.fixture.js'

const adminUrl = process.env.TEST_DATABASE_URL ?? ''
const describeOnPostgres = adminUrl === '' ? describe.skip : describe

async function admin<T> (run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try { return await run(client) } finally { await client.end() }
}

describeOnPostgres('the service on PostgreSQL', () => {
  const database = `endo_vault_test_${randomBytes(6).toString('hex')}`
  let databaseUrl: string
  let service: TestService
  let alice: Person, bob: Person
  const s: Record<string, any> = {}

  beforeAll(async () => {
    await admin(async client => await client.query(`CREATE DATABASE ${database}`))
    const url = new URL(adminUrl)
    url.pathname = `/${database}`
    databaseUrl = url.href
    service = await startVaultService({ databaseUrl, vault: { connectionKeyBits: 2048 } })
    alice = await onboardPerson(service, { accountId: 'alice-account', username: 'alice' })
    bob = await onboardPerson(service, { accountId: 'bob-account', username: 'bob' })
  }, 60_000)
  afterAll(async () => {
    await Promise.all([alice?.end(), bob?.end()])
    await service?.stop()
    await admin(async client => await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`))
  }, 60_000)

  async function rows (sql: string, values: unknown[] = []): Promise<any[]> {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    try { return (await client.query(sql, values)).rows } finally { await client.end() }
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
