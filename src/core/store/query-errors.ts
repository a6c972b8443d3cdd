// Counts the store's failed queries (PostgreSQL unreachable or restarting, a locked SQLite file, a broken
// statement) for the endo_vault_store_errors_total metric. It wraps the dialect's driver because a kysely plugin
// cannot see failures: plugins transform queries and successful results only. No query here expects to fail
// (nothing catches a constraint error on purpose), so every count is a problem.
import type { DatabaseConnection, Dialect, Driver, Kysely } from 'kysely'

const failuresOfStore = new WeakMap<Kysely<any>, { failed: number }>()
const counted = new WeakSet<DatabaseConnection>()

/** The dialect whose connections count failures into `failures` (a connection that cannot be had counts too). */
export function countingFailures (dialect: Dialect, failures: { failed: number }): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: db => dialect.createIntrospector(db),
    createDriver: () => countingDriver(dialect.createDriver(), failures),
  }
}

function countingDriver (driver: Driver, failures: { failed: number }): Driver {
  const counting: Driver = {
    init: async () => { await driver.init() },
    async acquireConnection () {
      let connection: DatabaseConnection
      try {
        connection = await driver.acquireConnection()
      } catch (error) {
        failures.failed++
        throw error
      }
      if (!counted.has(connection)) {
        counted.add(connection)
        // patched once per connection (kysely reuses them), so a query pays one extra promise, no allocation of ours
        const executeQuery = connection.executeQuery.bind(connection)
        connection.executeQuery = async query => {
          try {
            return await executeQuery(query)
          } catch (error) {
            failures.failed++
            throw error
          }
        }
      }
      return connection
    },
    beginTransaction: async (connection, settings) => { await driver.beginTransaction(connection, settings) },
    commitTransaction: async connection => { await driver.commitTransaction(connection) },
    rollbackTransaction: async connection => { await driver.rollbackTransaction(connection) },
    releaseConnection: async connection => { await driver.releaseConnection(connection) },
    destroy: async () => { await driver.destroy() },
  }
  if (driver.savepoint !== undefined) counting.savepoint = driver.savepoint.bind(driver)
  if (driver.rollbackToSavepoint !== undefined) counting.rollbackToSavepoint = driver.rollbackToSavepoint.bind(driver)
  if (driver.releaseSavepoint !== undefined) counting.releaseSavepoint = driver.releaseSavepoint.bind(driver)
  return counting
}

/** Remembers which count belongs to an opened store. */
export function keepFailureCount (store: Kysely<any>, failures: { failed: number }): void {
  failuresOfStore.set(store, failures)
}

/** Store queries that failed since the store was opened. */
export function failedQueries (store: Kysely<any>): number {
  return failuresOfStore.get(store)?.failed ?? 0
}
