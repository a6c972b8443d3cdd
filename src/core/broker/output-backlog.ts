// A client that stops reading: what the broker writes to it waits in its connection's buffer. Past
// limits.maxPendingOutputBytes it is disconnected when the next delivery would add to that buffer, so it
// never holds more than that.
// Below the limit, writes to it must not wait: aedes waits for 'drain' once a write returns false (past the
// stream's high-water mark, 16 KiB by default) and holds that message's delivery slot meanwhile; aedes
// delivers 100 messages at a time, so a few dozen writes to a stalled client would hold up every other
// client until drainTimeout. The connection's writable high-water mark is therefore the limit itself
// (aedes-seams.ts allowOutputBacklog).
import type { AedesPublishPacket, Client } from 'aedes'
import type { Logger } from '../log.js'
import { clipped } from '../limits.js'

type ForwardHook = (client: Client, packet: AedesPublishPacket) => AedesPublishPacket | null

/** MQTT fixed header (≤ 5 bytes), topic length (2) and packet identifier (2). */
const PACKET_OVERHEAD = 9

/** The forward hook, preceded by the backlog check: a backlogged client is disconnected instead of written to. */
export function cutOffBackloggedClients (forward: ForwardHook, maxPendingOutputBytes: number, logger: Logger, maxLoggedChars: number): ForwardHook {
  return (client, packet) => {
    const connection = client.conn
    const pending = connection.writableLength
    if (pending + upperBoundBytes(packet) <= maxPendingOutputBytes || pending + exactBytes(packet) <= maxPendingOutputBytes) return forward(client, packet)
    logger.debug({ clientId: clipped(client.id, maxLoggedChars), pendingBytes: pending, maxPendingOutputBytes }, 'mqtt client does not read: disconnected')
    connection.destroy(new Error(`more than ${maxPendingOutputBytes} bytes waiting to be written: the client does not read`))
    // A persistent session keeps the message queued for its next connection; a clean one has nowhere to keep it.
    return client.clean ? null : packet
  }
}

/** Cheap: a string's UTF-8 length is at most 3 bytes per UTF-16 unit. */
function upperBoundBytes (packet: AedesPublishPacket): number {
  const payload = packet.payload as Buffer | string
  return PACKET_OVERHEAD + packet.topic.length * 3 + (typeof payload === 'string' ? payload.length * 3 : payload.length)
}

function exactBytes (packet: AedesPublishPacket): number {
  const payload = packet.payload as Buffer | string
  return PACKET_OVERHEAD + Buffer.byteLength(packet.topic) + (typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length)
}
