// Device searches run in the store (issue 19): a query naming uuid, or a string for an indexed field
// (type, owner, …), reads only the rows holding it, newest first, through the index; any other query reads
// devices newest first. Either way the rest of the query and the discover whitelist are evaluated on the rows
// read, in batches, and a page reads at most limits.searchScanRows rows: when that budget runs out first, the
// page ends early with a cursor to continue from. No search reads every device, and none holds the event
// loop longer than limits.searchSliceMs at a time.
import { INDEXED_DEVICE_FIELDS, type IndexedDeviceField } from '../store/device-field-values.js'
import { isJsonObject } from '../json-object.js'
import type { Limits } from '../limits.js'
import type { DeviceDocument } from './device.js'
import type { DeviceRegistry, Position, StoredDevice } from './device-registry.js'
import type { EventLoopTurns } from './event-loop-turns.js'
import { isAfter, positionOf } from './search-page.js'

/** How a query's candidates are read: one uuid, an index range, or all devices. */
export type SearchPlan = { uuid: string } | { field: IndexedDeviceField, value: string } | { all: true }

/** The equality a query states on a field at its top level (`"x"` or `{$eq: "x"}`), if a string. */
function equalityOn (query: Record<string, unknown>, field: string): string | undefined {
  const value = query[field]
  if (typeof value === 'string') return value
  if (isJsonObject(value) && Object.keys(value).length === 1 && typeof value.$eq === 'string') return value.$eq
  return undefined
}

/** The narrowest way to read a (validated) query's candidates: uuid first, then the indexed fields in order. */
export function planOf (query: unknown): SearchPlan {
  if (!isJsonObject(query)) return { all: true }
  const uuid = equalityOn(query, 'uuid')
  if (uuid !== undefined) return { uuid }
  for (const field of [...INDEXED_DEVICE_FIELDS].reverse()) {
    const value = equalityOn(query, field)
    if (value !== undefined) return { field, value }
  }
  return { all: true }
}

export interface SearchRun {
  /** Devices found, in order; one more than the page size when more exist. */
  matches: StoredDevice[]
  /** Where reading stopped when the budget ran out before the end of the candidates. */
  readUpTo?: Position
}

/** Rows read at once: grown while a batch (read, parsed, evaluated) takes under a slice, shrunk when over. */
const MIN_BATCH_ROWS = 8
const MAX_BATCH_ROWS = 256

/** Reads candidates after `after` until `wanted` match or the row budget is spent. */
export async function findMatches (
  registry: DeviceRegistry, turns: EventLoopTurns, limits: Pick<Limits, 'searchScanRows' | 'searchSliceMs'>,
  plan: SearchPlan, after: Position | undefined, wanted: number, accepts: (device: DeviceDocument) => boolean
): Promise<SearchRun> {
  if ('uuid' in plan) {
    const document = await registry.get(plan.uuid)
    const stored = document === undefined ? undefined : { document, createdAt: registry.createdAtOf(document) }
    return { matches: stored !== undefined && isAfter(positionOf(stored), after) && accepts(document as DeviceDocument) ? [stored] : [] }
  }
  const matches: StoredDevice[] = []
  let position = after
  let read = 0
  let sliceStarted = performance.now()
  let batchRows = 32
  while (read < limits.searchScanRows) {
    const asked = Math.min(batchRows, limits.searchScanRows - read)
    const batchStarted = performance.now()
    // reading and parsing a batch is one piece of work on the event loop: its size follows how long it takes
    const batch = await registry.newestAfter(asked, position, 'all' in plan ? undefined : plan)
    const readMs = performance.now() - batchStarted
    batchRows = Math.round(Math.min(MAX_BATCH_ROWS, Math.max(MIN_BATCH_ROWS, readMs > limits.searchSliceMs / 2 ? batchRows / 2 : batchRows * 2)))
    for (const stored of batch) {
      read++
      position = positionOf(stored)
      if (accepts(stored.document)) {
        matches.push(stored)
        if (matches.length >= wanted) return { matches }
      }
      if (performance.now() - sliceStarted >= limits.searchSliceMs) {
        await turns.next()
        sliceStarted = performance.now()
      }
    }
    if (batch.length < asked) return { matches }
  }
  return { matches, readUpTo: position }
}
