// Every reach past aedes' declared types into aedes, mqtt-packet and Node stream internals that the broker
// depends on, one small function each, saying what aedes 1.2 does that forces it. aedes is pinned to exactly
// AEDES_VERSION in package.json; createBroker calls checkAedesSeams once, which throws, naming the seam, when
// something a seam reads is gone, and test/core/broker/aedes-seams.test.ts fails when an upgrade keeps the
// names but changes what the seams rely on (the sink copy must never be delivered; a request's PUBACK and an
// immediate reply must leave in one write). Nothing else in src/core/broker reads aedes' undeclared fields.
import net from 'node:net'
import { PassThrough, type Readable } from 'node:stream'
import type { Aedes, Client, PublishPacket } from 'aedes'

/** The aedes release these seams were written for and checked against (package.json pins it exactly). */
export const AEDES_VERSION = '1.2.0'

interface ClientRef { id: string }
interface StoredSubscription { topic: string, qos: number }
/** A PUBLISH (aedes-packet) or a PUBREL as aedes hands them to its store. */
export interface StoredPacket { cmd?: string, brokerId?: string, brokerCounter?: number, messageId?: number, payload?: Buffer | string, [field: string]: unknown }

/** The store methods aedes 1.2 calls, promise style, as aedes-persistence 11 (its default) implements them. */
export interface AedesPersistence {
  setup: (broker: unknown) => Promise<void>
  storeRetained: (packet: unknown) => Promise<void>
  createRetainedStream: (pattern: string) => Readable
  createRetainedStreamCombi: (patterns: string[]) => Readable
  addSubscriptions: (client: Client, subs: StoredSubscription[]) => Promise<unknown>
  removeSubscriptions: (client: ClientRef, topics: string[]) => Promise<unknown>
  subscriptionsByClient: (client: ClientRef) => Promise<StoredSubscription[]>
  countOffline: () => Promise<unknown>
  subscriptionsByTopic: (topic: string) => Promise<Array<{ clientId: string }>>
  cleanSubscriptions: (client: ClientRef) => Promise<unknown>
  incomingStorePacket: (client: ClientRef, packet: StoredPacket) => Promise<void>
  incomingGetPacket: (client: ClientRef, packet: StoredPacket) => Promise<unknown>
  incomingDelPacket: (client: ClientRef, packet: StoredPacket) => Promise<void>
  /** Optional in aedes (feature-detected): aedes-persistence-redis 11 has none. */
  cleanIncoming?: (client: ClientRef) => Promise<void>
  putWill: (client: ClientRef, packet: unknown) => Promise<unknown>
  getWill: (client: ClientRef) => Promise<unknown>
  delWill: (client: { id: string, brokerId?: string }) => Promise<unknown>
  streamWill: (brokers?: unknown) => Readable
  getClientList: (topic: string) => Readable
  destroy: () => Promise<void>
}

/** The methods of AedesPersistence, which a replacement store delegates to the one aedes set up. */
const PERSISTENCE_METHODS = ['setup', 'storeRetained', 'createRetainedStream', 'createRetainedStreamCombi', 'addSubscriptions',
  'removeSubscriptions', 'subscriptionsByClient', 'countOffline', 'subscriptionsByTopic', 'cleanSubscriptions', 'incomingStorePacket',
  'incomingGetPacket', 'incomingDelPacket', 'putWill', 'getWill', 'delWill', 'streamWill', 'getClientList', 'destroy'] as const

type PublishDone = (error?: Error) => void
type Publish = (packet: PublishPacket, client?: Client | null | PublishDone, done?: PublishDone) => void

/** What aedes.js keeps on the broker and its types leave out. */
interface BrokerInternals {
  id: string
  version: string
  /** Registered clients by client id (registerClient / deleteClient). */
  clients: Record<string, Client | undefined>
  unregisterClient: (client: Client) => void
  persistence: AedesPersistence
  publish: Publish
}

/** mqtt-packet 9's Parser: `packet.length` is the remaining length of the packet being read, once its fixed header is. */
interface PacketParser { packet?: { length?: number }, parse: (buffer: Buffer) => unknown }

/** What lib/client.js keeps on a client and its types leave out. */
interface ClientInternals {
  /** The Last Will that close() publishes unless the client sent DISCONNECT. */
  will: unknown
  /** The CONNECT packet's will, copied into `will` by the connect handler's storeWill step. */
  _will: unknown
  _parser?: PacketParser
}

function brokerInternals (aedes: Aedes): BrokerInternals {
  return aedes as unknown as BrokerInternals
}

function clientInternals (client: Client): ClientInternals {
  return client as unknown as ClientInternals
}

/** The running aedes' version (aedes.js `get version`, undeclared). */
export function aedesVersionOf (aedes: Aedes): string {
  return brokerInternals(aedes).version
}

// ---- API requests

/**
 * Publications on `topic` end here: their callback is called as if aedes had published them. An API request
 * is handled in authorizePublish and retargeted to a topic nobody may subscribe to; aedes 1.2 has no
 * "acknowledge but do not publish" outcome, so after the PUBACK its publish handler (lib/handlers/publish.js)
 * would still run its whole pipeline for it (retained store, offline queues, the topic matcher, the
 * 'publish' event): a third of the broker's work per job, for nothing. That handler calls
 * `client.broker.publish`, looked up on the instance at each packet, which is what this replaces.
 */
export function skipPublishPipeline (aedes: Aedes, topic: string): void {
  const internals = brokerInternals(aedes)
  const publish = internals.publish.bind(aedes) as Publish
  internals.publish = (packet, client, done) => {
    if (packet.topic !== topic) return publish(packet, client, done)
    const callback = typeof client === 'function' ? client : done
    if (callback !== undefined) process.nextTick(callback)
  }
}

interface Corkable { cork?: () => void, uncork?: () => void }

/**
 * A request's PUBACK and the reply its job sends back on the same connection leave in one write. aedes 1.2
 * writes the PUBACK as soon as authorizePublish calls back (this is called just before), but delivers every
 * publication from a setImmediate (lib/client.js deliverQoS), so the reply to a job that answers at once
 * goes out in the check phase of the same loop turn: two writev calls per request, and on loopback each is
 * ~20 µs of kernel time, as much as the rest of the job. The connection is corked here and uncorked from an
 * immediate queued once the request's promise jobs and the ticks before it have run, i.e. behind the reply's
 * own immediate: both packets leave in one writev. A slower reply (I/O, timers) goes out on its own as
 * before. Nothing waits on a timer or for a later turn.
 */
export function holdWritesForRequest (client: Client): void {
  const conn = client.conn as Corkable
  if (typeof conn.cork !== 'function') return
  conn.cork()
  void Promise.resolve(conn).then(afterPromiseJobs)
}

// Module functions, not closures per request (tsx keepNames makes each named closure cost a defineProperty).
// A tick queued from a microtask runs once the microtask queue has drained.
function afterPromiseJobs (conn: Corkable): void {
  process.nextTick(uncorkInCheckPhase, conn)
}

function uncorkInCheckPhase (conn: Corkable): void {
  setImmediate(uncork, conn)
}

function uncork (conn: Corkable): void {
  conn.uncork?.()
}

// ---- connections

/**
 * Closes a connection as soon as a packet's fixed header announces more than `maxPacketBytes`, before its
 * body is buffered. aedes 1.2 has no packet size limit: its client feeds every read to an mqtt-packet Parser
 * (`client._parser`), which buffers a whole packet (MQTT allows 256 MiB) before aedes sees it, even a
 * CONNECT from a client that never authenticates. The parser's `packet.length` is known once the header is.
 */
export function guardPacketSize (client: Client, connection: { destroy: (error?: Error) => void }, maxPacketBytes: number): void {
  const parser = clientInternals(client)._parser
  if (parser === undefined || typeof parser.parse !== 'function') throw seamGone('guardPacketSize', 'client._parser.parse()')
  const parse = parser.parse.bind(parser)
  parser.parse = (buffer: Buffer) => {
    const result = parse(buffer)
    const announced = parser.packet?.length ?? -1
    if (announced > maxPacketBytes) connection.destroy(new Error(`packet of ${announced} bytes is over the limit of ${maxPacketBytes}`))
    return result
  }
}

/**
 * Lets a TCP socket buffer `maxBytes` of output before writes report back-pressure. aedes 1.2 waits for
 * 'drain' once a write returns false and holds that message's delivery slot meanwhile (lib/write.js), so the
 * output backlog limit has to be the high-water mark itself. Node has no public setter for an accepted
 * socket's writable high-water mark (net.Server's `highWaterMark` option would raise the readable side too,
 * letting a client park that much input in us), so this sets the stream state's field.
 */
export function allowOutputBacklog (socket: net.Socket, maxBytes: number): void {
  (socket as unknown as { _writableState: { highWaterMark: number } })._writableState.highWaterMark = maxBytes
}

// ---- sessions

/**
 * Replaces the store aedes set up (its in-memory default) with `wrap(store)`, before any client connects.
 * aedes 1.2 reads `broker.persistence` at every use and has already called `setup` on the store it made.
 */
export function replacePersistence<Store extends AedesPersistence> (aedes: Aedes, wrap: (inner: AedesPersistence) => Store): Store {
  const internals = brokerInternals(aedes)
  const store = wrap(internals.persistence)
  internals.persistence = store
  return store
}

/** Whether `client` is the connection aedes holds for its client id (a takeover replaces it). */
export function isRegistered (aedes: Aedes, client: Client): boolean {
  return brokerInternals(aedes).clients[client.id] === client
}

/**
 * Unregisters a client that is closed already. aedes 1.2's connect handler registers a client whose
 * authentication succeeded even when it was closed in between (its close() unregistered nothing then), so
 * without this the closed client would keep its id in aedes' map and count as connected.
 */
export function unregisterClient (aedes: Aedes, client: Client): void {
  brokerInternals(aedes).unregisterClient(client)
}

/**
 * Makes the client's Last Will never fire. aedes 1.2 publishes `client.will` in close() unless the client
 * sent DISCONNECT; `_will` is copied into `will` by the connect handler's storeWill step, for a session
 * ended while it was still connecting. A second line: close() also passes the will through authorizePublish,
 * which refuses an ended session (aedes then deletes the stored copy itself), and clears `_will`.
 */
export function dropWill (client: Client): void {
  const internals = clientInternals(client)
  internals.will = null
  internals._will = null
}

/** Deletes the client's stored will as aedes 1.2's close() does (by client id and broker id), so no will sweep publishes it. */
export function deleteStoredWill (aedes: Aedes, client: Client): void {
  const broker = brokerInternals(aedes)
  broker.persistence.delWill({ id: client.id, brokerId: broker.id }).then(ignore, ignore)
}

function ignore (): void {}

// ---- the check at start

function seamGone (seam: string, what: string, running?: string): Error {
  const version = running === undefined ? '' : `, running aedes ${running}`
  return new Error(`aedes seam ${seam}: ${what} is gone (written for aedes ${AEDES_VERSION}${version}; see src/core/broker/aedes-seams.ts)`)
}

/**
 * Checks once, on a new broker, that everything these seams read is there; throws naming the first seam
 * that is not. Call before replacePersistence: the probe client it makes and closes goes through aedes' own store.
 */
export function checkAedesSeams (aedes: Aedes): void {
  const broker = brokerInternals(aedes)
  const running = broker.version
  const need = (ok: boolean, seam: string, what: string): void => { if (!ok) throw seamGone(seam, what, running) }
  need(typeof broker.publish === 'function', 'skipPublishPipeline', 'aedes.publish')
  need(typeof broker.id === 'string', 'deleteStoredWill', 'aedes.id')
  need(typeof broker.clients === 'object' && broker.clients !== null, 'isRegistered', 'aedes.clients')
  need(typeof broker.unregisterClient === 'function', 'unregisterClient', 'aedes.unregisterClient()')
  need(typeof broker.persistence === 'object' && broker.persistence !== null, 'replacePersistence', 'aedes.persistence')
  for (const method of PERSISTENCE_METHODS) need(typeof broker.persistence[method] === 'function', 'replacePersistence', `aedes.persistence.${method}()`)

  const probe = new net.Socket()
  allowOutputBacklog(probe, 123457)
  const adjusted = probe.writableHighWaterMark === 123457
  probe.destroy()
  need(adjusted, 'allowOutputBacklog', 'a net.Socket\'s _writableState.highWaterMark (node)')

  // A client on a stream that never connects: aedes builds it as for a real connection, and close() undoes it.
  const conn = new PassThrough()
  const client = aedes.handle(conn)
  try {
    const internals = clientInternals(client)
    need(client.conn === conn && typeof conn.cork === 'function' && typeof conn.uncork === 'function', 'holdWritesForRequest', 'client.conn.cork()')
    need('will' in internals && '_will' in internals, 'dropWill', 'client.will and client._will')
    const parser = internals._parser
    need(typeof parser?.parse === 'function', 'guardPacketSize', 'client._parser.parse()')
    parser?.parse(Buffer.from([0x30, 0xc8, 0x01])) // a PUBLISH fixed header announcing 200 bytes, and no body
    need(parser?.packet?.length === 200, 'guardPacketSize', 'client._parser.packet.length after a fixed header')
  } finally {
    client.close()
  }
}
