// Delivery to a subscriber re-checks the whitelist at send time, so a revoked right takes effect
// on the next message without waiting for the client to resubscribe.
import type { AedesPublishPacket, Client } from 'aedes'
import type { BrokerContext } from './broker-context.js'
import { isWhitelisted } from '../bus/whitelists.js'
import { sessionOf } from './mqtt-session.js'

export function authorizeForwardHook (ctx: BrokerContext) {
  return (client: Client, packet: AedesPublishPacket): AedesPublishPacket | null => {
    const session = sessionOf(client)
    if (session === undefined) return null
    const topic = packet.topic
    if (topic.endsWith('/broadcast')) {
      const emitterUuid = topic.slice(0, -'/broadcast'.length)
      if (session.kind === 'api-token') return session.mayReceiveBroadcastsOf(emitterUuid) ? packet : null
      return isWhitelisted(ctx.bus.registry.get(emitterUuid), 'broadcast.sent', session.uuid) ? packet : null
    }
    if (session.kind === 'api-token') return null
    if (topic === session.uuid) return packet
    return isWhitelisted(ctx.bus.registry.get(topic), 'configure.update', session.uuid) ? packet : null
  }
}
