// One page of a device search: newest first (created_at, then uuid), at most `size` devices and at most
// `maxBytes` of JSON, measured device by device as the page is filled (never the whole answer). When the
// answer is cut, or the search read its budget of rows first, `next` is an opaque cursor naming the last
// place given or read: the next page starts right after it, so devices registered meanwhile do not shift pages.
import { Unprocessable } from '../errors.js'
import type { Position, StoredDevice } from './device-registry.js'
import type { DeviceDocument } from './device.js'

export interface SearchPage { devices: unknown[], next?: string }

const MAX_CURSOR_CHARS = 512

function invalidCursor (): never {
  const message = 'x-meshblu-page is not a page cursor this service gave (take it from x-meshblu-next-page)'
  throw new Unprocessable(message, { error: message })
}

export const positionOf = (stored: StoredDevice): Position => ({ createdAt: stored.createdAt, uuid: stored.document.uuid })

export function encodeCursor (position: Position): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.uuid])).toString('base64url')
}

export function decodeCursor (cursor: string): Position {
  if (cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]*$/.test(cursor)) invalidCursor()
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    invalidCursor()
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') invalidCursor()
  return { createdAt: value[0], uuid: value[1] }
}

/** Whether a position comes after (is older than) the cursor's in the newest-first order. */
export function isAfter (position: Position, cursor: Position | undefined): boolean {
  if (cursor === undefined) return true
  if (position.createdAt !== cursor.createdAt) return position.createdAt < cursor.createdAt
  return position.uuid < cursor.uuid
}

/**
 * Fills a page from the matches in order, up to `size` devices and `maxBytes` of JSON (`show` gives one shown
 * device and its size). A page holds at least one device, so one device larger than the bound cannot stall
 * paging. `readUpTo` is where the search stopped reading when it ran out of budget before the end.
 */
export function pageOf (
  matches: StoredDevice[], size: number, maxBytes: number,
  show: (device: DeviceDocument) => { shown: unknown, bytes: number }, readUpTo?: Position
): SearchPage {
  const devices: unknown[] = []
  let bytes = 2 // []
  let last: StoredDevice | undefined
  for (const match of matches) {
    if (devices.length >= size) break
    const { shown, bytes: deviceBytes } = show(match.document)
    const added = deviceBytes + (devices.length > 0 ? 1 : 0)
    if (devices.length > 0 && bytes + added > maxBytes) break
    devices.push(shown)
    bytes += added
    last = match
  }
  if (devices.length < matches.length && last !== undefined) return { devices, next: encodeCursor(positionOf(last)) }
  return readUpTo === undefined ? { devices } : { devices, next: encodeCursor(readUpTo) }
}
