// The device registry: the store holds every device document; memory holds the documents of connected
// devices (pinned while a listener is open, so their whitelist checks never do I/O) and a bounded cache of
// recently used ones. Any other device is one primary-key read away. Changes are written through to the
// store before they are acknowledged, with the index rows of the searchable fields (device_fields) in the
// same transaction. No document larger than limits.maxDeviceBytes is stored: its JSON is measured first.
import { createHash, randomUUID } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { Store } from '../store/database.js'
import { INDEXED_DEVICE_FIELDS, indexKeyOf, indexedValuesOf, type IndexedDeviceField } from '../store/device-field-values.js'
import { PayloadTooLarge, Unprocessable } from '../errors.js'
import { DEFAULT_LIMITS, type Limits } from '../limits.js'
import type { DeviceDocument } from './device.js'

function hashOf (uuid: string, date: string): string {
  return createHash('sha256').update(uuid + date).digest('base64')
}

/** Deep-freezes a document: documents are replaced on update, never mutated (whitelist cache key). */
function frozen<T> (value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value as object)) frozen(child)
  }
  return value
}

/** A stored device with its place in the newest-first order (searches page by it). */
export interface StoredDevice { document: DeviceDocument, createdAt: string }

/** A place in the newest-first order: created_at, then uuid. */
export interface Position { createdAt: string, uuid: string }

interface Pin { count: number, document?: DeviceDocument }

type RegistryLimits = Pick<Limits, 'maxDeviceBytes' | 'deviceCacheSize' | 'maxIndexedValuesPerField'>

/** State kept in memory beside each held document (its subscriptions as an emitter): read with it, dropped with it. */
export interface HeldWithDevice {
  load: (uuid: string) => Promise<void>
  /** A device just registered has nothing to read. */
  loadedEmpty: (uuid: string) => void
  forget: (uuid: string) => void
}

const NOTHING_HELD: HeldWithDevice = { load: async () => {}, loadedEmpty: () => {}, forget: () => {} }

export class DeviceRegistry {
  /** Devices with an open listener (a connection, the job runner): never evicted. */
  private readonly pinned = new Map<string, Pin>()
  private readonly recent: LRUCache<string, DeviceDocument>
  /** JSON bytes of each document held (searches bound their answers by bytes without serializing). */
  private readonly sizes = new WeakMap<DeviceDocument, number>()
  /** created_at of each document held. */
  private readonly createdAts = new WeakMap<DeviceDocument, string>()
  /** One read per device at a time; a change during the read makes its result stale. */
  private readonly reading = new Map<string, Promise<DeviceDocument | undefined>>()
  private readonly changedWhileReading = new Set<string>()
  private readonly limits: RegistryLimits

  constructor (private readonly store: Store, limits: Partial<RegistryLimits> = {}, private readonly beside: HeldWithDevice = NOTHING_HELD) {
    this.limits = { ...DEFAULT_LIMITS, ...limits }
    this.recent = new LRUCache({
      max: this.limits.deviceCacheSize,
      // only an eviction lets go of what is held beside it: a pinned or replaced document keeps it
      dispose: (_document, uuid, reason) => { if (reason === 'evict') this.beside.forget(uuid) },
    })
  }

  /** The JSON size of a document this registry holds, in bytes. */
  bytesOf (device: DeviceDocument): number {
    return this.sizes.get(device) ?? Buffer.byteLength(JSON.stringify(device))
  }

  /** Lookups answered from memory and reads from the store, since start (for /metrics). */
  readonly lookups = { held: 0, read: 0 }

  /** A held document, without I/O: connected devices always are; others only if recently used. */
  cached (uuid: string): DeviceDocument | undefined {
    return this.pinned.get(uuid)?.document ?? this.recent.get(uuid)
  }

  /** The device's document: from memory, or one primary-key read. */
  async get (uuid: string): Promise<DeviceDocument | undefined> {
    const held = this.cached(uuid)
    if (held !== undefined) { this.lookups.held++; return held }
    return await this.read(uuid)
  }

  /** A held document, counted as a lookup answered from memory (the router's fast path: no closure, no promise). */
  held (uuid: string): DeviceDocument | undefined {
    const held = this.cached(uuid)
    if (held !== undefined) this.lookups.held++
    return held
  }

  /** Runs `use` with the document: in this turn when held (no reordering on the hot path), else after one read. */
  with (uuid: string, use: (device: DeviceDocument | undefined) => void): void {
    const held = this.cached(uuid)
    if (held !== undefined) { this.lookups.held++; use(held) } else void this.read(uuid).then(use)
  }

  private async read (uuid: string): Promise<DeviceDocument | undefined> {
    this.lookups.read++
    let reading = this.reading.get(uuid)
    if (reading === undefined) {
      reading = this.readRow(uuid).finally(() => this.reading.delete(uuid))
      this.reading.set(uuid, reading)
    }
    return await reading
  }

  private async readRow (uuid: string): Promise<DeviceDocument | undefined> {
    this.changedWhileReading.delete(uuid)
    const row = await this.store.selectFrom('devices').select(['document', 'created_at']).where('uuid', '=', uuid).executeTakeFirst()
    // a change during the read makes the row read older than what is held (or than the store: read again)
    if (this.changedWhileReading.delete(uuid)) return this.cached(uuid) ?? await this.readRow(uuid)
    if (row === undefined) return undefined
    await this.beside.load(uuid)
    if (this.changedWhileReading.delete(uuid)) return this.cached(uuid) ?? await this.readRow(uuid)
    return this.hold(uuid, JSON.parse(row.document) as DeviceDocument, Buffer.byteLength(row.document), row.created_at)
  }

  /** A document frozen and measured (its JSON bytes, its place in the order), not (yet) held. */
  private measured (document: DeviceDocument, bytes: number, createdAt: string): DeviceDocument {
    frozen(document)
    this.sizes.set(document, bytes)
    this.createdAts.set(document, createdAt)
    return document
  }

  private hold (uuid: string, parsed: DeviceDocument, bytes: number, createdAt: string): DeviceDocument {
    const document = this.measured(parsed, bytes, createdAt)
    const pin = this.pinned.get(uuid)
    if (pin !== undefined) pin.document = document
    else this.recent.set(uuid, document)
    return document
  }

  private forget (uuid: string): void {
    this.recent.delete(uuid)
    const pin = this.pinned.get(uuid)
    if (pin !== undefined) delete pin.document
    if (this.reading.has(uuid)) this.changedWhileReading.add(uuid)
  }

  /**
   * Another instance changed or removed the device: what is held of it is dropped; a pinned device is read
   * again at once (its checks stay I/O-free), any other on its next use.
   */
  invalidate (uuid: string): void {
    const pinned = this.pinned.get(uuid)
    this.forget(uuid)
    this.beside.forget(uuid)
    if (pinned !== undefined) void this.read(uuid).catch(() => {})
  }

  /** Keeps a device in memory while something listens for it; returns the release. */
  pin (uuid: string): () => void {
    let pin = this.pinned.get(uuid)
    if (pin === undefined) {
      pin = { count: 0, document: this.recent.get(uuid) }
      this.pinned.set(uuid, pin)
      this.recent.delete(uuid)
      if (pin.document === undefined) void this.read(uuid)
    }
    pin.count++
    let released = false
    return () => {
      if (released) return
      released = true
      const current = this.pinned.get(uuid)
      if (current === undefined || --current.count > 0) return
      this.pinned.delete(uuid)
      if (current.document !== undefined) this.recent.set(uuid, current.document)
    }
  }

  /** When a held document's device was registered (its place in the newest-first order). */
  createdAtOf (device: DeviceDocument): string {
    return this.createdAts.get(device) ?? String(device.meshblu?.createdAt ?? '')
  }

  /** How many documents are in memory (pinned and recent). */
  get heldCount (): number {
    return this.pinned.size + this.recent.size
  }

  /** How many devices are registered (one count over the primary key: tools and tests, not request paths). */
  async count (): Promise<number> {
    const row = await this.store.selectFrom('devices').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** The document's JSON, or 413 when it is larger than maxDeviceBytes. */
  private serialized (document: DeviceDocument): { json: string, bytes: number } {
    const json = JSON.stringify(document)
    const bytes = Buffer.byteLength(json)
    if (bytes > this.limits.maxDeviceBytes) {
      throw new PayloadTooLarge(`device document too large: it would be ${bytes} bytes, more than the limit of ${this.limits.maxDeviceBytes}`)
    }
    return { json, bytes }
  }

  /** The index rows of a document, or 422 when a field holds more strings than an index may take. */
  private fieldRows (document: DeviceDocument, createdAt: string): Array<{ field: string, value: string, created_at: string, uuid: string }> {
    return INDEXED_DEVICE_FIELDS.flatMap(field => {
      const values = indexedValuesOf(document, field)
      if (values.size > this.limits.maxIndexedValuesPerField) {
        const message = `field "${field}" may hold at most ${this.limits.maxIndexedValuesPerField} strings (it is indexed)`
        throw new Unprocessable(message, { error: message })
      }
      return [...values].map(value => ({ field, value, created_at: createdAt, uuid: document.uuid }))
    })
  }

  /**
   * Registers a device with a fresh uuid v4 (any uuid given is overwritten); `alsoWrite` adds rows of its own
   * (the first token) to the same transaction, so a registration is one commit.
   */
  async create (properties: Record<string, unknown>, alsoWrite?: (trx: Store, uuid: string) => Promise<void>): Promise<DeviceDocument> {
    const uuid = randomUUID()
    const now = new Date().toISOString()
    const { token: _token, uuid: _uuid, ...rest } = properties
    const meshblu = { ...(rest.meshblu as object ?? {}), createdAt: now, hash: hashOf(uuid, now) }
    const document: DeviceDocument = { online: false, ...rest, uuid, meshblu }
    const { json, bytes } = this.serialized(document)
    const fields = this.fieldRows(document, now)
    await this.store.transaction().execute(async trx => {
      await trx.insertInto('devices').values({ uuid, document: json, created_at: now, updated_at: now }).execute()
      if (fields.length > 0) await trx.insertInto('device_fields').values(fields).execute()
      await alsoWrite?.(trx, uuid)
    })
    this.forget(uuid)
    this.beside.loadedEmpty(uuid)
    return this.hold(uuid, document, bytes, now)
  }

  /** Replaces a device document (the caller computed it from the current one, which it holds). */
  async replace (next: DeviceDocument, updatedBy: string): Promise<DeviceDocument> {
    const now = new Date().toISOString()
    const previous = this.cached(next.uuid)
    const createdAt = (previous === undefined ? undefined : this.createdAts.get(previous)) ?? await this.storedCreatedAt(next.uuid)
    const document: DeviceDocument = {
      ...next,
      meshblu: { ...(next.meshblu ?? {}), updatedAt: now, updatedBy, hash: hashOf(next.uuid, now) },
    }
    const { json, bytes } = this.serialized(document)
    const fields = this.fieldRows(document, createdAt)
    const unchangedFields = previous !== undefined && sameFields(this.fieldRows(previous, createdAt), fields)
    await this.store.transaction().execute(async trx => {
      await trx.updateTable('devices').set({ document: json, updated_at: now }).where('uuid', '=', next.uuid).execute()
      if (unchangedFields) return
      await trx.deleteFrom('device_fields').where('uuid', '=', next.uuid).execute()
      if (fields.length > 0) await trx.insertInto('device_fields').values(fields).execute()
    })
    this.forget(next.uuid)
    return this.hold(next.uuid, document, bytes, createdAt)
  }

  private async storedCreatedAt (uuid: string): Promise<string> {
    const row = await this.store.selectFrom('devices').select('created_at').where('uuid', '=', uuid).executeTakeFirst()
    return row?.created_at ?? new Date().toISOString()
  }

  async remove (uuid: string): Promise<DeviceDocument | undefined> {
    const device = await this.get(uuid)
    if (device === undefined) return undefined
    await this.store.transaction().execute(async trx => {
      await trx.deleteFrom('devices').where('uuid', '=', uuid).execute()
      await trx.deleteFrom('device_fields').where('uuid', '=', uuid).execute()
    })
    this.forget(uuid)
    this.beside.forget(uuid)
    return device
  }

  /**
   * At most `limit` stored devices after `after` in the newest-first order: those holding `value` in an
   * indexed field (an index range), or all devices. Each row read is held in the cache.
   */
  async newestAfter (limit: number, after: Position | undefined, where?: { field: IndexedDeviceField, value: string }): Promise<StoredDevice[]> {
    const rows = where === undefined
      ? await this.store.selectFrom('devices').select(['uuid', 'document', 'created_at'])
        .$if(after !== undefined, q => q.where(eb => eb.or([
          eb('created_at', '<', after?.createdAt as string),
          eb.and([eb('created_at', '=', after?.createdAt as string), eb('uuid', '<', after?.uuid as string)]),
        ])))
        .orderBy('created_at', 'desc').orderBy('uuid', 'desc').limit(limit).execute()
      : await this.store.selectFrom('device_fields').innerJoin('devices', 'devices.uuid', 'device_fields.uuid')
        .select(['devices.uuid as uuid', 'devices.document as document', 'device_fields.created_at as created_at'])
        .where('device_fields.field', '=', where.field).where('device_fields.value', '=', indexKeyOf(where.value))
        .$if(after !== undefined, q => q.where(eb => eb.or([
          eb('device_fields.created_at', '<', after?.createdAt as string),
          eb.and([eb('device_fields.created_at', '=', after?.createdAt as string), eb('device_fields.uuid', '<', after?.uuid as string)]),
        ])))
        .orderBy('device_fields.created_at', 'desc').orderBy('device_fields.uuid', 'desc').limit(limit).execute()
    // rows read by a search are not cached: one search would otherwise push the devices in use out of the cache
    return rows.map(row => ({ document: this.cached(row.uuid) ?? this.measured(JSON.parse(row.document) as DeviceDocument, Buffer.byteLength(row.document), row.created_at), createdAt: row.created_at }))
  }

  /** Every stored device, newest first, a page at a time (tools and key rotation; no request path walks all devices). */
  async * every (where?: { field: IndexedDeviceField, value: string }, pageSize = 500): AsyncGenerator<DeviceDocument> {
    let after: Position | undefined
    for (;;) {
      const page = await this.newestAfter(pageSize, after, where)
      for (const stored of page) yield stored.document
      const last = page.at(-1)
      if (last === undefined || page.length < pageSize) return
      after = { createdAt: last.createdAt, uuid: last.document.uuid }
    }
  }

  /** Every device holding `value` in an indexed field, up to `limit` (lookups such as a person's credentials device). */
  async withField (field: IndexedDeviceField, value: string, limit = 1): Promise<DeviceDocument[]> {
    return (await this.newestAfter(limit, undefined, { field, value })).map(stored => stored.document)
  }
}

function sameFields (a: Array<{ field: string, value: string }>, b: Array<{ field: string, value: string }>): boolean {
  return a.length === b.length && a.every((row, i) => row.field === b[i]?.field && row.value === b[i]?.value)
}
