// aedes 1.2 has no packet size limit: mqtt-packet buffers a whole packet (MQTT allows 256 MiB) before aedes
// sees it, even a CONNECT from a client that never authenticates. This closes a connection as soon as a
// packet's fixed header announces more than the limit, before the body is buffered. It reads aedes'
// parser (`client._parser`, an mqtt-packet Parser), which is why aedes is pinned to an exact version.
import type { Client } from 'aedes'

interface PacketParser { packet?: { length?: number }, parse: (buffer: Buffer) => unknown }

export function guardPacketSize (client: Client, connection: { destroy: (error?: Error) => void }, maxPacketBytes: number): void {
  const parser = (client as unknown as { _parser?: PacketParser })._parser
  if (parser === undefined || typeof parser.parse !== 'function') throw new Error('aedes changed: client._parser is gone (see packet-size-guard.ts)')
  const parse = parser.parse.bind(parser)
  parser.parse = (buffer: Buffer) => {
    const result = parse(buffer)
    const announced = parser.packet?.length ?? -1
    if (announced > maxPacketBytes) connection.destroy(new Error(`packet of ${announced} bytes is over the limit of ${maxPacketBytes}`))
    return result
  }
}
