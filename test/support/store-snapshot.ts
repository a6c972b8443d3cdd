// Every row of every table as JSON text, to check that nothing stored earlier was changed or lost.
import SQLite from 'better-sqlite3'

export function snapshotRows (file: string): Map<string, Set<string>> {
  const db = new SQLite(file, { readonly: true })
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%'").all() as Array<{ name: string }>
    return new Map(tables.map(({ name }) => [name, new Set((db.prepare(`select * from "${name}"`).all() as unknown[]).map(row => JSON.stringify(row)))]))
  } finally {
    db.close()
  }
}

/** Rows present before and absent after (changed or deleted), ignoring rows that mention any excluded id. */
export function lostRows (before: Map<string, Set<string>>, after: Map<string, Set<string>>, excluded: string[]): string[] {
  const lost: string[] = []
  for (const [table, rows] of before) {
    for (const row of rows) {
      if (excluded.some(id => row.includes(id))) continue
      if (!(after.get(table)?.has(row) ?? false)) lost.push(`${table}: ${row.slice(0, 200)}`)
    }
  }
  return lost
}
