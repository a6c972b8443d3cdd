// Which index rows a device document gets: for each indexed field, every string the field holds, as a
// Mongo multikey index would (a string, the strings of an array, the field of objects inside arrays). A query
// `{type: "x"}` matches a document only if "x" is among these, so the rows are a superset of the matches and
// the full query, evaluated on the rows found, gives the exact answer.
import { createHash } from 'node:crypto'

/** Fields searches may answer from the index (besides uuid, the primary key). `endo.idKey` finds a person's credentials device. */
export const INDEXED_DEVICE_FIELDS = ['type', 'owner', 'endo.idKey'] as const
export type IndexedDeviceField = typeof INDEXED_DEVICE_FIELDS[number]

/** Longer strings are indexed by their hash: a PostgreSQL b-tree row holds at most ~2.7 kB. */
const MAX_INDEXED_CHARS = 200

/** The index key of a value: itself, or a hash when long (a query value is keyed the same way). */
export function indexKeyOf (value: string): string {
  return value.length <= MAX_INDEXED_CHARS ? value : `#sha256:${createHash('sha256').update(value).digest('base64url')}`
}

function collect (value: unknown, path: readonly string[], into: Set<string>): void {
  if (path.length === 0) {
    if (typeof value === 'string') into.add(indexKeyOf(value))
    else if (Array.isArray(value)) for (const element of value) if (typeof element === 'string') into.add(indexKeyOf(element)); else if (Array.isArray(element)) collect(element, path, into)
    return
  }
  if (Array.isArray(value)) {
    for (const element of value) collect(element, path, into)
    const index = Number(path[0])
    if (Number.isInteger(index) && index >= 0) collect(value[index], path.slice(1), into)
    return
  }
  if (value === null || typeof value !== 'object') return
  const [head, ...rest] = path
  collect((value as Record<string, unknown>)[head as string], rest, into)
}

/** The index keys of one field of a document. */
export function indexedValuesOf (document: unknown, field: IndexedDeviceField): Set<string> {
  const values = new Set<string>()
  collect(document, field.split('.'), values)
  return values
}
