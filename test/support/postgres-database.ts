// Throwaway PostgreSQL databases for the suites that run on PostgreSQL: TEST_DATABASE_URL names a server where
// they may be created (.ci/postgres.sh starts one); without it those suites are skipped.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const postgresAdminUrl = process.env.TEST_DATABASE_URL ?? ''

/** A client of its own (not the service's pool), so what it reads is what PostgreSQL holds. */
export async function withClient<T> (url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try { return await run(client) } finally { await client.end() }
}

/** A new database on the server; its URL, and a function that drops it. */
export async function freshDatabase (): Promise<{ url: string, drop: () => Promise<void> }> {
  const database = `endo_vault_test_${randomBytes(6).toString('hex')}`
  await withClient(postgresAdminUrl, async client => await client.query(`CREATE DATABASE ${database}`))
  const url = new URL(postgresAdminUrl)
  url.pathname = `/${database}`
  return { url: url.href, drop: async () => { await withClient(postgresAdminUrl, async client => await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)) } }
}
