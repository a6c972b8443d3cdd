// Pushes bus deliveries to a connected device's `<uuid>` topic as meshblu-mqtt expects:
// `{topic, data, metadata:{route}}` with topic `message`, `config` or `unregister`. One router
// listener per device, however many connections it has, so each delivery is published once.
import type { Aedes, Client } from 'aedes'
import type { BrokerContext } from './broker-context.js'
import type { Delivery } from '../bus/message-router.js'
import { sessionOf } from './mqtt-session.js'

const TOPIC_OF_KIND: Record<Delivery['kind'], string> = { message: 'message', broadcast: 'message', configure: 'config', unregister: 'unregister' }

/** Publishes a JSON object on a device's own topic. */
export function publishToDevice (ctx: BrokerContext, uuid: string, body: Record<string, unknown>): void {
  ctx.broker?.publish({ cmd: 'publish', topic: uuid, payload: Buffer.from(JSON.stringify(body)), qos: 1, retain: false, dup: false } as any, () => {})
}

/** Attaches a delivery listener while at least one connection of the device is registered. */
export function trackDeviceChannels (ctx: BrokerContext, broker: Aedes): void {
  const channels = new Map<string, { connections: number, stop: () => void }>()
  broker.on('client', (client: Client) => {
    const session = sessionOf(client)
    if (session?.kind !== 'device') return
    const uuid = session.uuid
    let channel = channels.get(uuid)
    if (channel === undefined) {
      const stop = ctx.bus.router.listen(uuid, delivery => {
        publishToDevice(ctx, uuid, { topic: TOPIC_OF_KIND[delivery.kind], data: delivery.payload, metadata: { route: delivery.route } })
      })
      channel = { connections: 0, stop }
      channels.set(uuid, channel)
    }
    channel.connections++
  })
  broker.on('clientDisconnect', (client: Client) => {
    const session = sessionOf(client)
    if (session?.kind !== 'device') return
    const channel = channels.get(session.uuid)
    if (channel === undefined) return
    if (--channel.connections === 0) { channel.stop(); channels.delete(session.uuid) }
  })
}
