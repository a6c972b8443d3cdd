// The store: one kysely database whose dialect is chosen here and nowhere else.
// SQLite (better-sqlite3, WAL) is the embedded default; PostgreSQL when a DATABASE_URL is given.
import path from 'node:path'
import fs from 'node:fs'
import SQLite from 'better-sqlite3'
import { LRUCache } from 'lru-cache'
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Dialect } from 'kysely'
import type { Database } from './schema.js'
import { migrations } from './migrations/index.js'
import { countingFailures, keepFailureCount } from './query-errors.js'

export type Store = Kysely<Database>

export interface StoreOptions {
  /** SQLite file path; ignored when databaseUrl is set. */
  file?: string
  /** postgres://… selects the PostgreSQL dialect. */
  databaseUrl?: string
}

async function dialectFor (options: StoreOptions): Promise<Dialect> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    // loaded only for PostgreSQL: ~30 ms of every SQLite start otherwise
    const { default: pg } = await import('pg')
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 })
    // An idle connection the server ended (a restart, pg_terminate_backend, DROP DATABASE … FORCE) is an
    // 'error' on the pool, which drops that client; unheard, the event would end the process.
    pool.on('error', ignoreIdleClientError)
    return new PostgresDialect({ pool })
  }
  const file = options.file ?? ':memory:'
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  // WAL + NORMAL: a committed transaction survives a process crash (SIGKILL); see the crash test.
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return new SqliteDialect({ database: withStatementCache(sqlite) })
}

function ignoreIdleClientError (): void {}

/**
 * kysely's SQLite driver prepares every query anew; a query shape always compiles to the same SQL text, so
 * prepared statements are kept by that text (at most `max`, least recently used dropped). Safe because the driver runs
 * each statement to completion synchronously (`all`/`run`); no code here streams (`iterate`) a query.
 */
function withStatementCache (sqlite: SQLite.Database, max = 500): SQLite.Database {
  const statements = new LRUCache<string, SQLite.Statement>({ max })
  const prepare = sqlite.prepare.bind(sqlite)
  sqlite.prepare = ((source: string) => {
    let statement = statements.get(source)
    if (statement === undefined) {
      statement = prepare(source)
      statements.set(source, statement)
    }
    return statement
  }) as SQLite.Database['prepare']
  return sqlite
}

/** Opens the store and brings its schema up to date. */
export async function openStore (options: StoreOptions): Promise<Store> {
  const failures = { failed: 0 } // for /metrics (query-errors.ts)
  const db = new Kysely<Database>({ dialect: countingFailures(await dialectFor(options), failures) })
  keepFailureCount(db, failures)
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) {
    await db.destroy()
    const failed = results?.find(r => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`store migration ${failed} failed`, { cause: error })
  }
  return db
}
