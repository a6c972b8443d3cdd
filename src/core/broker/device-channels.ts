// Pushes bus deliveries to a connected device's `<uuid>` topic as meshblu-mqtt expects:
// `{topic, data, metadata:{route}}` with topic `message`, `config` or `unregister`. One router
// listener per device, however many connections it has, so each delivery is published once.
// When a device is unregistered its connections are closed: its tokens are gone, so must its sessions be.
import type { Aedes, Client } from 'aedes'
import type { BrokerContext } from './broker-context.js'
import type { Delivery } from '../bus/message-router.js'
import type { DeviceDocument } from '../bus/device.js'
import { sessionOf } from './mqtt-session.js'

const TOPIC_OF_KIND: Record<Delivery['kind'], string> = { message: 'message', broadcast: 'message', configure: 'config', unregister: 'unregister' }

/**
 * Publishes a JSON object on a device's own topic. The payload stays a string: mqtt-packet writes strings as
 * UTF-8 itself, which saves a Buffer and a copy per delivery.
 */
export function publishToDevice (ctx: BrokerContext, uuid: string, body: Record<string, unknown>): void {
  ctx.broker?.publish({ cmd: 'publish', topic: uuid, payload: JSON.stringify(body), qos: 1, retain: false, dup: false } as any, ignoreResult)
}

function ignoreResult (): void {}

/** Attaches a delivery listener while at least one connection of the device is registered; returns a detach function. */
export function trackDeviceChannels (ctx: BrokerContext, broker: Aedes): () => void {
  const channels = new Map<string, { clients: Set<Client>, stop: () => void }>()
  const onClient = (client: Client): void => {
    const session = sessionOf(client)
    if (session?.kind !== 'device') return
    const uuid = session.uuid
    let channel = channels.get(uuid)
    if (channel === undefined) {
      const stop = ctx.bus.router.listen(uuid, delivery => {
        publishToDevice(ctx, uuid, { topic: TOPIC_OF_KIND[delivery.kind], data: delivery.payload, metadata: { route: delivery.route } })
      })
      channel = { clients: new Set(), stop }
      channels.set(uuid, channel)
    }
    channel.clients.add(client)
  }
  const onClientDisconnect = (client: Client): void => {
    const session = sessionOf(client)
    if (session?.kind !== 'device') return
    const channel = channels.get(session.uuid)
    if (channel === undefined || !channel.clients.delete(client)) return
    if (channel.clients.size === 0) { channel.stop(); channels.delete(session.uuid) }
  }
  const onUnregistered = (device: DeviceDocument): void => {
    for (const client of [...channels.get(device.uuid)?.clients ?? []]) client.close()
  }
  broker.on('client', onClient)
  broker.on('clientDisconnect', onClientDisconnect)
  ctx.bus.on('device.unregistered', onUnregistered)
  return () => {
    broker.off('client', onClient)
    broker.off('clientDisconnect', onClientDisconnect)
    ctx.bus.off('device.unregistered', onUnregistered)
    for (const channel of channels.values()) channel.stop()
    channels.clear()
  }
}
