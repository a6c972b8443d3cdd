// Issue 19: the store is the registry. At 50,000 devices, a search on an indexed field and a whitelist check
// read only the rows they need (counted on every query's result), start-up reads no device at all, and memory
// holds a bounded number of documents.
import { randomBytes } from 'node:crypto'
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
import { DeviceBus } from '../../../src/core/bus/device-bus.js'
import type { Delivery } from '../../../src/core/bus/message-router.js'
import { createLogger } from '../../../src/core/log.js'
import { DEFAULT_LIMITS, type Limits } from '../../../src/core/limits.js'
import { openStore, type Store } from '../../../src/core/store/database.js'

/** Counts the rows every query returns. */
class RowsRead implements KyselyPlugin {
  count = 0
  transformQuery (args: PluginTransformQueryArgs): RootOperationNode { return args.node }
  async transformResult (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count += args.result.rows.length
    return args.result
  }
}

const DEVICES = 50_000
const RARE = 10
const logger = createLogger({ level: 'silent' })
let store: Store
let uuids: string[]

async function openBus (limits: Partial<Limits> = {}): Promise<{ bus: DeviceBus, rows: RowsRead }> {
  const rows = new RowsRead()
  const bus = await DeviceBus.open(store.withPlugin(rows), randomBytes(32), logger, { ...DEFAULT_LIMITS, ...limits })
  return { bus, rows }
}

beforeAll(async () => {
  store = await openStore({ file: ':memory:' })
  const { bus } = await openBus()
  uuids = []
  for (let i = 0; i < DEVICES; i++) {
    // v1 devices, discoverable by everyone
    const type = i % (DEVICES / RARE) === 0 ? 'rare' : 'common'
    uuids.push((await bus.register({ type, owner: `owner-${i % 1000}`, discoverWhitelist: ['*'], color: i % 2 === 0 ? 'red' : 'blue' })).device.uuid)
  }
}, 300_000)
afterAll(async () => { await store.destroy() })

describe(`a registry of ${DEVICES} devices in the store`, () => {
  it('opens without reading a single device', async () => {
    const { bus, rows } = await openBus()
    expect(rows.count).toBe(0)
    expect(bus.registry.heldCount).toBe(0)
    expect(await bus.registry.count()).toBe(DEVICES)
  })

  it('answers a search on an indexed field from the rows holding the value only', async () => {
    const { bus, rows } = await openBus()
    const viewer = uuids[1] as string
    const page = await bus.search({ uuid: viewer }, { type: 'rare' })
    expect(page.devices).toHaveLength(RARE)
    expect(page.next).toBeUndefined()
    expect(rows.count).toBeLessThanOrEqual(RARE)
    rows.count = 0
    // owner-7's devices are the odd ones: all blue, none red
    const owned = await bus.search({ uuid: viewer }, { owner: 'owner-7', color: 'blue' })
    expect(owned.devices).toHaveLength(DEVICES / 1000)
    expect(owned.devices.every(d => (d as { owner: string }).owner === 'owner-7')).toBe(true)
    expect(rows.count).toBe(DEVICES / 1000)
    rows.count = 0
    expect((await bus.search({ uuid: viewer }, { owner: 'owner-7', color: 'red' })).devices).toEqual([])
    expect(rows.count).toBe(DEVICES / 1000)
  })

  it('bounds a search on fields without an index by a row budget, with a cursor to go on', async () => {
    const { bus, rows } = await openBus({ searchScanRows: 1000 })
    const viewer = uuids[1] as string
    // what the 1000 newest devices hold (devices registered in one millisecond are ordered by uuid)
    const newest = await store.selectFrom('devices').select('document').orderBy('created_at', 'desc').orderBy('uuid', 'desc').limit(1000).execute()
    const redInNewest = newest.filter(row => JSON.parse(row.document).color === 'red' && JSON.parse(row.document).type !== 'rare').length
    const first = await bus.search({ uuid: viewer }, { color: 'red', type: { $ne: 'rare' } }, { pageSize: 5000 })
    expect(rows.count).toBeLessThanOrEqual(1000)
    expect(redInNewest).toBeGreaterThan(400)
    expect(first.devices).toHaveLength(redInNewest)
    expect(first.next).toBeDefined()
    const second = await bus.search({ uuid: viewer }, { color: 'red', type: { $ne: 'rare' } }, { pageSize: 5000, after: first.next })
    const seen = new Set([...first.devices, ...second.devices].map(d => (d as { uuid: string }).uuid))
    expect(seen.size).toBe(first.devices.length + second.devices.length)
  })

  it('reads the devices a message involves by key once (document and subscriptions), then none', async () => {
    const { bus } = await openBus()
    const sender = uuids[3] as string
    const recipient = uuids[4] as string
    const watcher = (await bus.register({ meshblu: { version: '2.0.0' } })).device.uuid
    await bus.createSubscription({ uuid: watcher }, { subscriberUuid: watcher, emitterUuid: watcher, type: 'message.received' })
    // the recipient lets the watcher see what it receives (v1 configureWhitelist feeds message.received)
    await bus.update({ uuid: recipient }, recipient, { $addToSet: { configureWhitelist: watcher } })
    await bus.createSubscription({ uuid: watcher }, { subscriberUuid: watcher, emitterUuid: recipient, type: 'message.received' })
    const reopened = await openBus()
    const seen: Delivery[] = []
    reopened.bus.router.listen(watcher, delivery => seen.push(delivery))
    await new Promise(resolve => setImmediate(resolve))
    reopened.rows.count = 0
    await reopened.bus.sendMessage({ uuid: sender }, { devices: [recipient], n: 1 })
    await new Promise(resolve => setImmediate(resolve))
    // the recipient's document and its one subscription (the watcher's), the sender's document (no subscriptions)
    expect(reopened.rows.count).toBe(3)
    expect(seen.map(d => d.payload.n)).toEqual([1])
    await reopened.bus.sendMessage({ uuid: sender }, { devices: [recipient], n: 2 })
    expect(reopened.rows.count).toBe(3)
    expect(seen.map(d => d.payload.n)).toEqual([1, 2])
  })

  it('holds at most deviceCacheSize documents besides those listened to', async () => {
    const { bus } = await openBus({ deviceCacheSize: 100 })
    const stop = bus.router.listen(uuids[0] as string, () => {})
    for (const uuid of uuids.slice(0, 1000)) expect(await bus.registry.get(uuid)).toBeDefined()
    expect(bus.registry.heldCount).toBe(101)
    expect(bus.registry.cached(uuids[0] as string)).toBeDefined()
    stop()
  })
})

describe('indexed fields, as Mongo multikey indexes answer them', () => {
  it('find a device by any string of an array field and by a long value', async () => {
    const { bus } = await openBus()
    const long = 'x'.repeat(5000)
    const tagged = (await bus.register({ type: ['sensor', 'thermometer'] })).device.uuid
    const longType = (await bus.register({ type: long })).device.uuid
    const find = async (query: unknown): Promise<string[]> => (await bus.search({ uuid: tagged }, query)).devices.map(d => (d as { uuid: string }).uuid)
    expect(await find({ type: 'thermometer' })).toEqual([tagged])
    expect(await find({ type: { $eq: 'sensor' } })).toEqual([tagged])
    expect(await find({ type: long })).toEqual([longType])
    expect(await find({ type: long.slice(1) })).toEqual([])
  })

  it('follow updates: a device is found by its new value only', async () => {
    const { bus } = await openBus()
    const uuid = (await bus.register({ type: 'before-update' })).device.uuid
    await bus.update({ uuid }, uuid, { $set: { type: 'after-update' } })
    const reopened = await openBus()
    expect((await reopened.bus.search({ uuid }, { type: 'before-update' })).devices).toEqual([])
    expect((await reopened.bus.search({ uuid }, { type: 'after-update' })).devices).toHaveLength(1)
    await reopened.bus.unregister({ uuid }, uuid)
    expect(await store.selectFrom('device_fields').select('uuid').where('uuid', '=', uuid).execute()).toEqual([])
  })

  it('refuse a field holding more strings than an index may take, storing nothing', async () => {
    const { bus } = await openBus({ maxIndexedValuesPerField: 4 })
    await expect(bus.register({ type: ['a', 'b', 'c', 'd', 'e'] })).rejects.toThrow('field "type" may hold at most 4 strings (it is indexed)')
    const uuid = (await bus.register({ type: ['a'] })).device.uuid
    await expect(bus.update({ uuid }, uuid, { $set: { owner: ['1', '2', '3', '4', '5'] } })).rejects.toThrow('may hold at most 4')
    expect((await bus.registry.get(uuid))?.owner).toBeUndefined()
  })
})
