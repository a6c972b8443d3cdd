// Delivery to a subscriber re-checks the rights of authorize-subscribe at send time, so a revoked right
// takes effect on the next message without waiting for the client to resubscribe.
import type { AedesPublishPacket, Client } from 'aedes'
import type { BrokerContext } from './broker-context.js'
import { topicAccess } from './authorize-subscribe.js'

export function authorizeForwardHook (ctx: BrokerContext) {
  return (client: Client, packet: AedesPublishPacket): AedesPublishPacket | null => {
    const topic = packet.topic
    if (topic.endsWith('/broadcast')) {
      return topicAccess(ctx, client, topic.slice(0, -'/broadcast'.length)) === 'none' ? null : packet
    }
    return topicAccess(ctx, client, topic) === 'all' ? packet : null
  }
}
