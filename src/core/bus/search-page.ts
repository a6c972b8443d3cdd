// One page of a device search: newest first (meshblu.createdAt, then uuid), at most `size` devices and
// at most `maxBytes` of JSON, measured device by device as the page is filled (never the whole answer).
// When the answer is cut, `next` is an opaque cursor naming the last device given: the next page starts
// right after it, so devices registered meanwhile do not shift the pages.
import { Unprocessable } from '../errors.js'
import type { DeviceDocument } from './device.js'

export interface SearchPage { devices: unknown[], next?: string }

interface Position { createdAt: string, uuid: string }

const positionOf = (device: DeviceDocument): Position => ({ createdAt: String(device.meshblu?.createdAt ?? ''), uuid: device.uuid })

/** Newest first: later createdAt, then larger uuid (uuids break ties so the order is total). */
function newestFirst (a: Position, b: Position): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1
  return a.uuid === b.uuid ? 0 : a.uuid < b.uuid ? 1 : -1
}

const MAX_CURSOR_CHARS = 512

function invalidCursor (): never {
  const message = 'x-meshblu-page is not a page cursor this service gave (take it from x-meshblu-next-page)'
  throw new Unprocessable(message, { error: message })
}

export function encodeCursor (device: DeviceDocument): string {
  const { createdAt, uuid } = positionOf(device)
  return Buffer.from(JSON.stringify([createdAt, uuid])).toString('base64url')
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

/**
 * Keeps the `keep` newest devices seen, without sorting everything seen: the buffer is sorted and cut
 * whenever it doubles, so memory stays O(keep) and time O(n log keep).
 */
export class NewestDevices {
  private buffer: DeviceDocument[] = []

  constructor (private readonly keep: number, private readonly after?: Position) {}

  /** False for devices at or before the cursor (already given on an earlier page). */
  isAfterCursor (device: DeviceDocument): boolean {
    return this.after === undefined || newestFirst(positionOf(device), this.after) > 0
  }

  add (device: DeviceDocument): void {
    this.buffer.push(device)
    if (this.buffer.length >= 2 * this.keep) this.cut()
  }

  private cut (): void {
    this.buffer.sort((a, b) => newestFirst(positionOf(a), positionOf(b)))
    this.buffer.length = Math.min(this.buffer.length, this.keep)
  }

  sorted (): DeviceDocument[] {
    this.cut()
    return this.buffer
  }
}

/**
 * Fills a page from candidates in order, up to `size` devices and `maxBytes` of JSON (`bytesOf` gives one
 * shown device's size). A page holds at least one device, so one device larger than the bound cannot stall paging.
 */
export function pageOf (candidates: DeviceDocument[], size: number, maxBytes: number, show: (device: DeviceDocument) => { shown: unknown, bytes: number }): SearchPage {
  const devices: unknown[] = []
  let bytes = 2 // []
  let last: DeviceDocument | undefined
  for (const device of candidates) {
    if (devices.length >= size) break
    const { shown, bytes: deviceBytes } = show(device)
    const added = deviceBytes + (devices.length > 0 ? 1 : 0)
    if (devices.length > 0 && bytes + added > maxBytes) break
    devices.push(shown)
    bytes += added
    last = device
  }
  return devices.length < candidates.length && last !== undefined ? { devices, next: encodeCursor(last) } : { devices }
}
