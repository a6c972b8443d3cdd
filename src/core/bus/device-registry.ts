// The device registry: every device document in memory (whitelist checks never do I/O),
// written through to the store before a change is acknowledged.
import { createHash, randomUUID } from 'node:crypto'
import type { Store } from '../store/database.js'
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

  constructor (private readonly store: Store) {}

  async load (): Promise<void> {
    const rows = await this.store.selectFrom('devices').select(['uuid', 'document']).execute()
    for (const row of rows) this.devices.set(row.uuid, frozen(JSON.parse(row.document)))
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
    await this.store.insertInto('devices')
      .values({ uuid, document: JSON.stringify(document), created_at: now, updated_at: now })
      .execute()
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
    await this.store.updateTable('devices')
      .set({ document: JSON.stringify(document), updated_at: now })
      .where('uuid', '=', next.uuid)
      .execute()
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
