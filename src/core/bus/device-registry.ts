// The device registry: every device document in memory (whitelist checks never do I/O),
// written through to the store before a change is acknowledged. No document larger than
// limits.maxDeviceBytes is stored: its JSON, made for the store anyway, is measured first.
import { createHash, randomUUID } from 'node:crypto'
import type { Store } from '../store/database.js'
import { PayloadTooLarge } from '../errors.js'
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

export class DeviceRegistry {
  private readonly devices = new Map<string, DeviceDocument>()
  /** JSON bytes of each stored document (searches bound their answers by bytes without serializing). */
  private readonly sizes = new WeakMap<DeviceDocument, number>()

  constructor (private readonly store: Store, private readonly maxDeviceBytes: number = Number.POSITIVE_INFINITY) {}

  async load (): Promise<void> {
    const rows = await this.store.selectFrom('devices').select(['uuid', 'document']).execute()
    for (const row of rows) {
      const document = frozen(JSON.parse(row.document) as DeviceDocument)
      this.sizes.set(document, Buffer.byteLength(row.document))
      this.devices.set(row.uuid, document)
    }
  }

  /** The JSON size of a document this registry holds, in bytes. */
  bytesOf (device: DeviceDocument): number {
    return this.sizes.get(device) ?? Buffer.byteLength(JSON.stringify(device))
  }

  /** The document's JSON, or 413 when it is larger than maxDeviceBytes. */
  private serialized (document: DeviceDocument): { json: string, bytes: number } {
    const json = JSON.stringify(document)
    const bytes = Buffer.byteLength(json)
    if (bytes > this.maxDeviceBytes) {
      throw new PayloadTooLarge(`device document too large: it would be ${bytes} bytes, more than the limit of ${this.maxDeviceBytes}`)
    }
    return { json, bytes }
  }

  get (uuid: string): DeviceDocument | undefined {
    return this.devices.get(uuid)
  }

  get size (): number {
    return this.devices.size
  }

  all (): IterableIterator<DeviceDocument> {
    return this.devices.values()
  }

  /** Registers a device with a fresh uuid v4 (any uuid given is overwritten). */
  async create (properties: Record<string, unknown>): Promise<DeviceDocument> {
    const uuid = randomUUID()
    const now = new Date().toISOString()
    const { token: _token, uuid: _uuid, ...rest } = properties
    const meshblu = { ...(rest.meshblu as object ?? {}), createdAt: now, hash: hashOf(uuid, now) }
    const document: DeviceDocument = frozen({ online: false, ...rest, uuid, meshblu })
    const { json, bytes } = this.serialized(document)
    await this.store.insertInto('devices')
      .values({ uuid, document: json, created_at: now, updated_at: now })
      .execute()
    this.sizes.set(document, bytes)
    this.devices.set(uuid, document)
    return document
  }

  /** Replaces a device document (the caller computed it from the current one). */
  async replace (next: DeviceDocument, updatedBy: string): Promise<DeviceDocument> {
    const now = new Date().toISOString()
    const document = frozen({
      ...next,
      meshblu: { ...(next.meshblu ?? {}), updatedAt: now, updatedBy, hash: hashOf(next.uuid, now) },
    })
    const { json, bytes } = this.serialized(document)
    await this.store.updateTable('devices')
      .set({ document: json, updated_at: now })
      .where('uuid', '=', next.uuid)
      .execute()
    this.sizes.set(document, bytes)
    this.devices.set(next.uuid, document)
    return document
  }

  async remove (uuid: string): Promise<DeviceDocument | undefined> {
    const device = this.devices.get(uuid)
    if (device === undefined) return undefined
    await this.store.deleteFrom('devices').where('uuid', '=', uuid).execute()
    this.devices.delete(uuid)
    return device
  }
}
