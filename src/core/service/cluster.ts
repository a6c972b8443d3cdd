// Cluster mode (REDIS_URL, issue 20): several identical instances on one PostgreSQL and one Redis. The engines
// are the aedes ecosystem's: mqemitter-redis carries every MQTT publication to every instance's broker (a
// delivery published where it was routed reaches the device wherever it is connected, once), and
// aedes-persistence-redis keeps sessions, subscriptions, retained messages and offline queues. What each
// instance holds in memory of the store (device documents, emitters' subscriptions) and the sessions of ended
// credentials follow the changes other instances announce on one Redis pub/sub channel, within a round trip
// to Redis. Redis pub/sub rather than PostgreSQL LISTEN/NOTIFY: Redis is already the fan-out path, NOTIFY
// payloads are capped at 8 kB and would put the announcements on the database's connections.
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import MQEmitterRedis from 'mqemitter-redis'
import aedesPersistenceRedis from 'aedes-persistence-redis'
import type { DeviceBus, RemoteChange } from '../bus/device-bus.js'
import type { DeviceDocument } from '../bus/device.js'
import type { EndedCredentials } from '../bus/token-store.js'
import type { Logger } from '../log.js'

const CHANNEL = 'endo-vault:changes'

interface Announcement { from: string, change: RemoteChange }

export interface Cluster {
  /** The MQTT emitter and session store aedes runs on in cluster mode. */
  mq: unknown
  persistence: unknown
  /** Redis answers (for /readyz). */
  ping: () => Promise<void>
  close: () => Promise<void>
}

export async function joinCluster (redisUrl: string, bus: DeviceBus, logger: Logger): Promise<Cluster> {
  const instance = randomUUID()
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 3 })
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: 3 })
  for (const connection of [publisher, subscriber]) {
    connection.on('error', error => { logger.error({ err: error, event: 'redis.error' }, 'redis connection failed') })
  }
  await subscriber.subscribe(CHANNEL)
  subscriber.on('message', (_channel: string, text: string) => {
    let announcement: Announcement
    try {
      announcement = JSON.parse(text) as Announcement
    } catch {
      return
    }
    if (announcement.from !== instance) bus.applyRemote(announcement.change)
  })

  const announce = (change: RemoteChange): void => {
    publisher.publish(CHANNEL, JSON.stringify({ from: instance, change } satisfies Announcement))
      .catch((error: unknown) => { logger.error({ err: error, event: 'redis.announce_failed' }, 'a change was not announced to the other instances') })
  }
  const onDevice = (device: DeviceDocument): void => { announce({ kind: 'device', uuid: device.uuid }) }
  const onSubscriptions = (emitterUuid: string): void => { announce({ kind: 'subscriptions', emitterUuid }) }
  const onEnded = (ended: EndedCredentials): void => {
    if (ended.remote === true) return
    const { remote: _remote, ...rest } = ended
    announce({ kind: 'credentials', ended: rest })
  }
  bus.on('device.updated', onDevice)
  bus.on('device.unregistered', onDevice)
  bus.on('subscriptions.changed', onSubscriptions)
  bus.on('credentials.ended', onEnded)

  const mq = MQEmitterRedis({ connectionString: redisUrl })
  const persistence = aedesPersistenceRedis({ conn: new Redis(redisUrl) })
  return {
    mq,
    persistence,
    async ping () { await publisher.ping() },
    async close () {
      bus.off('device.updated', onDevice)
      bus.off('device.unregistered', onDevice)
      bus.off('subscriptions.changed', onSubscriptions)
      bus.off('credentials.ended', onEnded)
      subscriber.disconnect()
      publisher.disconnect()
    },
  }
}
