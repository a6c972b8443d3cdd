// Pushes bus deliveries to a connected device's `<uuid>` topic as meshblu-mqtt expects:
// `{topic, data, metadata:{route}}` with topic `message`, `config` or `unregister`. One router
// listener per device, however many connections it has, so each delivery is published once.
// Sessions end with their credentials (unregistering revokes every token): see live-sessions.ts.
import type { Aedes, Client } from 'aedes'
import type { BrokerContext } from './broker-context.js'
import type { Delivery } from '../bus/message-router.js'
import { recordedSessionOf, sessionOf } from './mqtt-session.js'
import { isRegistered, unregisterClient } from './aedes-seams.js'

const TOPIC_OF_KIND: Record<Delivery['kind'], string> = { message: 'message', broadcast: 'message', configure: 'config', unregister: 'unregister' }

/** Publishes a JSON object on a device's own topic. */
export function publishToDevice (ctx: BrokerContext, uuid: string, body: Record<string, unknown>): void {
  ctx.broker?.publish({ cmd: 'publish', topic: uuid, payload: wirePayload(JSON.stringify(body)), qos: 1, retain: false, dup: false }, ignoreResult)
}

const ENCODE_ONCE_ABOVE = 16 * 1024

/**
 * A small payload stays a string: mqtt-packet writes strings as UTF-8 itself, which saves a Buffer and a copy
 * per delivery (the job path). A large one is encoded once here: every connection of the device (up to
 * maxConnectionsPerDevice) would otherwise encode the whole string again on the event loop.
 */
function wirePayload (text: string): string | Buffer {
  return text.length > ENCODE_ONCE_ABOVE ? Buffer.from(text) : text
}

function ignoreResult (): void {}

// A message fans out to every recipient and subscriber with the same payload object; only the route
// differs. Its JSON is made once per message, not once per delivery: a 1 MiB message to 1,000 listeners was
// 1,000 serializations of a megabyte on the event loop.
const payloadJson = new WeakMap<object, string>()

/** The meshblu-mqtt envelope of a delivery, byte for byte what JSON.stringify of `{topic, data, metadata:{route}}` gives. */
function deliveryEnvelope (delivery: Delivery): string {
  let data = payloadJson.get(delivery.payload)
  if (data === undefined) {
    data = JSON.stringify(delivery.payload)
    payloadJson.set(delivery.payload, data)
  }
  return `{"topic":"${TOPIC_OF_KIND[delivery.kind]}","data":${data},"metadata":{"route":${JSON.stringify(delivery.route)}}}`
}

function publishDelivery (ctx: BrokerContext, uuid: string, delivery: Delivery): void {
  ctx.broker?.publish({ cmd: 'publish', topic: uuid, payload: wirePayload(deliveryEnvelope(delivery)), qos: 1, retain: false, dup: false }, ignoreResult)
}

/**
 * Attaches a delivery listener while at least one connection of the device is registered; returns a detach
 * function. In cluster mode a delivery for a device with no connection here is published all the same: the
 * emitter carries it to the instance the device is connected to (one publication per delivery either way).
 */
export function trackDeviceChannels (ctx: BrokerContext, broker: Aedes, cluster = false): () => void {
  const stopElsewhere = cluster ? ctx.bus.router.deliverElsewhere((uuid, delivery) => { publishDelivery(ctx, uuid, delivery) }) : () => {}
  const channels = new Map<string, { clients: Set<Client>, stop: () => void }>()
  const onClient = (client: Client): void => {
    // Ended (its credentials ended) while aedes was still connecting it: aedes registered a closed client.
    if (client.closed) {
      if (isRegistered(broker, client)) unregisterClient(broker, client)
      return
    }
    const session = sessionOf(client)
    if (session?.kind !== 'device') return
    const uuid = session.uuid
    let channel = channels.get(uuid)
    if (channel === undefined) {
      const stop = ctx.bus.router.listen(uuid, delivery => { publishDelivery(ctx, uuid, delivery) })
      channel = { clients: new Set(), stop }
      channels.set(uuid, channel)
    }
    channel.clients.add(client)
  }
  const onClientDisconnect = (client: Client): void => {
    const session = recordedSessionOf(client)
    if (session?.kind !== 'device') return
    const channel = channels.get(session.uuid)
    if (channel === undefined || !channel.clients.delete(client)) return
    if (channel.clients.size === 0) { channel.stop(); channels.delete(session.uuid) }
  }
  broker.on('client', onClient)
  broker.on('clientDisconnect', onClientDisconnect)
  return () => {
    stopElsewhere()
    broker.off('client', onClient)
    broker.off('clientDisconnect', onClientDisconnect)
    for (const channel of channels.values()) channel.stop()
    channels.clear()
  }
}
