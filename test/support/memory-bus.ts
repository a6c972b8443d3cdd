// A DeviceBus over an in-memory SQLite store, for unit tests of the bus without sockets.
import { randomBytes } from 'node:crypto'
import { DeviceBus } from '../../src/core/bus/device-bus.js'
import type { Delivery } from '../../src/core/bus/message-router.js'
import { createLogger } from '../../src/core/log.js'
import { openStore, type Store } from '../../src/core/store/database.js'

export interface MemoryBus {
  bus: DeviceBus
  store: Store
  /** Registers a v2 device with flat lists (`{'message.from': ['*']}`) and returns its uuid. */
  device: (lists?: Record<string, string[]>) => Promise<string>
  /** Records every delivery published to the device. */
  deliveriesTo: (uuid: string) => Delivery[]
  close: () => Promise<void>
}

export async function openMemoryBus (): Promise<MemoryBus> {
  const store = await openStore({ file: ':memory:' })
  const bus = await DeviceBus.open(store, randomBytes(32), createLogger({ level: 'silent' }))
  return {
    bus,
    store,
    async device (lists = {}) {
      const whitelists: Record<string, Record<string, Array<{ uuid: string }>>> = {}
      for (const [name, uuids] of Object.entries(lists)) {
        const [category, verb] = name.split('.')
        whitelists[category] ??= {}
        whitelists[category][verb] = uuids.map(uuid => ({ uuid }))
      }
      return (await bus.register({ meshblu: { version: '2.0.0', whitelists } })).device.uuid
    },
    deliveriesTo (uuid) {
      const deliveries: Delivery[] = []
      bus.router.listen(uuid, delivery => deliveries.push(delivery))
      return deliveries
    },
    async close () { await store.destroy() },
  }
}
