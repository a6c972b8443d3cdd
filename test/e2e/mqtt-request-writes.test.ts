// A job answered at once: the request's PUBACK and the reply leave the broker in one socket write (one writev
// syscall instead of two; src/core/broker/request-writes.ts). Requests that get no reply still get their PUBACK.
// The broker side of the connection is observed by wrapping that socket's own write methods.
import net from 'node:net'
import mqttPacket, { type Packet } from 'mqtt-packet'
import { startTestService, type TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'

interface RawClient {
  send: (packet: Packet) => void
  until: (predicate: (packet: Packet) => boolean) => Promise<void>
  end: () => void
}

async function rawClient (port: number, username: string, password: string): Promise<RawClient> {
  const socket = net.connect(port, '127.0.0.1')
  socket.setNoDelay(true)
  const parser = mqttPacket.parser()
  const waiters: Array<{ predicate: (packet: Packet) => boolean, resolve: () => void }> = []
  parser.on('packet', packet => {
    for (const waiter of [...waiters]) {
      if (waiter.predicate(packet)) { waiters.splice(waiters.indexOf(waiter), 1); waiter.resolve() }
    }
  })
  socket.on('data', data => { parser.parse(data) })
  const client: RawClient = {
    send: packet => { socket.write(mqttPacket.generate(packet)) },
    until: async predicate => await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('packet did not arrive')), 5000)
      waiters.push({ predicate, resolve: () => { clearTimeout(timer); resolve() } })
    }),
    end: () => { socket.destroy() },
  }
  await new Promise<void>(resolve => socket.once('connect', () => resolve()))
  const connack = client.until(p => p.cmd === 'connack')
  client.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: `raw-${username.slice(0, 8)}`, keepalive: 60, username, password: Buffer.from(password) })
  await connack
  return client
}

/** The packets of each write the broker makes on the next connection it accepts. */
function recordWritesOfNextConnection (service: TestService): Packet[][] {
  const writes: Packet[][] = []
  const record = (buffers: Buffer[]): void => {
    const packets: Packet[] = []
    const parser = mqttPacket.parser()
    parser.on('packet', packet => packets.push(packet))
    parser.parse(Buffer.concat(buffers))
    writes.push(packets)
  }
  service.broker.tcp.once('connection', (socket: any) => {
    const write = socket._write
    const writev = socket._writev
    socket._write = function (chunk: Buffer, encoding: BufferEncoding, callback: () => void) {
      record([Buffer.from(chunk as any, encoding)])
      return write.call(this, chunk, encoding, callback)
    }
    socket._writev = function (chunks: Array<{ chunk: Buffer | string, encoding: BufferEncoding }>, callback: () => void) {
      record(chunks.map(c => Buffer.isBuffer(c.chunk) ? c.chunk : Buffer.from(c.chunk, c.encoding)))
      return writev.call(this, chunks, callback)
    }
  })
  return writes
}

let service: TestService
let person: Person
let raw: RawClient
let writes: Packet[][]
beforeAll(async () => {
  service = await startTestService()
  person = await onboardPerson(service, { username: 'wire' })
  const token = (await service.bus.createSessionToken({ uuid: person.flow.uuid }, person.flow.uuid, {})).token
  writes = recordWritesOfNextConnection(service)
  raw = await rawClient(service.mqttPort, person.flow.uuid, token)
  const suback = raw.until(p => p.cmd === 'suback')
  raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: person.flow.uuid, qos: 1 }] })
  await suback
})
afterAll(async () => { raw.end(); await person.end(); await service.stop() })

function jobRequest (messageId: number, payload: unknown): Packet {
  return { cmd: 'publish', topic: 'message', messageId, qos: 1, dup: false, retain: false, payload: JSON.stringify(payload) }
}

it('sends the PUBACK of a job request and the job\'s reply in one write', async () => {
  const reply = raw.until(p => p.cmd === 'publish' && JSON.parse(p.payload.toString()).data?.metadata?.to === 'one-write')
  raw.send(jobRequest(7, { devices: [person.user.uuid], metadata: { jobType: 'Echo', respondTo: 'one-write' }, data: { text: 'hi' } }))
  await reply
  const write = writes.find(packets => packets.some(p => p.cmd === 'puback' && p.messageId === 7))
  expect(write?.map(p => p.cmd)).toEqual(['puback', 'publish'])
  const published = write?.[1] as mqttPacket.IPublishPacket
  expect(JSON.parse(published.payload.toString())).toMatchObject({ topic: 'message', data: { metadata: { code: 200, to: 'one-write' }, data: { text: 'hi', username: 'wire' } } })
})

it('still acknowledges a request that gets no reply', async () => {
  // a message to a device that refuses the sender: 204 in Meshblu terms, nothing comes back but the PUBACK
  const stranger = await service.bus.register({ type: 'device', meshblu: { version: '2.0.0', whitelists: {} } })
  const puback = raw.until(p => p.cmd === 'puback' && p.messageId === 8)
  raw.send(jobRequest(8, { devices: [stranger.device.uuid], data: { text: 'unanswered' } }))
  await puback
})

it('acknowledges each of several requests sent at once, each with its reply', async () => {
  const replies = [11, 12, 13].map(id => raw.until(p => p.cmd === 'publish' && JSON.parse(p.payload.toString()).data?.metadata?.to === `burst-${id}`))
  const pubacks = [11, 12, 13].map(id => raw.until(p => p.cmd === 'puback' && p.messageId === id))
  for (const id of [11, 12, 13]) raw.send(jobRequest(id, { devices: [person.user.uuid], metadata: { jobType: 'Echo', respondTo: `burst-${id}` }, data: { text: String(id) } }))
  await Promise.all([...pubacks, ...replies])
})
