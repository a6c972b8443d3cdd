// An API request is handled in authorizePublish and retargeted to SINK_TOPIC, which nobody may subscribe to.
// aedes has no "acknowledge but do not publish" outcome, so after the PUBACK it would still run its whole
// publish pipeline for the request (retained store, offline queues, the topic matcher): a third of the
// broker's work per job, for nothing. This ends that pipeline where it starts.
import type { Aedes, PublishPacket } from 'aedes'
import { SINK_TOPIC } from './mqtt-session.js'

export function dropHandledRequests (aedes: Aedes): void {
  const publish = aedes.publish.bind(aedes) as (packet: PublishPacket, client: unknown, done?: (error?: Error) => void) => void
  ;(aedes as any).publish = (packet: PublishPacket, client: unknown, done?: (error?: Error) => void): void => {
    if (packet.topic !== SINK_TOPIC) return publish(packet, client, done)
    const callback = typeof client === 'function' ? client as (error?: Error) => void : done
    if (callback !== undefined) process.nextTick(callback)
  }
}
