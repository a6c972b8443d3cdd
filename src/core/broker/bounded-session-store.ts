// aedes' session store (its "persistence") with every per-client-id holding bounded by the limits table:
//   - offline queue (and deliveries a connected persistent client has not acknowledged): at most
//     sessionQueueMaxMessages messages and sessionQueueMaxBytes payload bytes, the oldest dropped first;
//   - QoS 2 from the client: at most maxInflightQos2 packets awaiting PUBREL, across reconnects (aedes'
//     maxInflightInbound counts per connection only); past it the store refuses and aedes closes the
//     connection. aedes publishes a QoS 2 message as it arrives and keeps the stored copy only to
//     recognise a retransmission, so the copy is stored without its payload;
//   - subscriptions: only those authorize-subscribe granted (aedes stores a SUBSCRIBE's whole topic
//     list once per granted topic, denied topics included), at most maxSubscriptionsPerDevice.
// Subscriptions, QoS 2 packets, retained messages and wills are delegated to the store aedes was created
// with. Queues are kept here: aedes-persistence's in-memory queues keep an entry for every client id that
// ever acknowledged a message (its outgoingClearMessageId creates one, nothing deletes it), which grows
// with every connection. A shared store (cluster mode, aedes-persistence-redis) would need its own queue
// bounds (maxSessionDelivery, packetTTL) and this class's queue methods delegated instead.
// Removing a whole session (expiry) is `removeSession`; session-expiry.ts decides when. createBroker puts it in
// place of aedes' store (aedes-seams.ts: replacePersistence; checkAedesSeams checks the delegated methods at start).
import { Readable } from 'node:stream'
import type { Client } from 'aedes'
import type { Logger } from '../log.js'
import { clipped, type Limits } from '../limits.js'
import { grantedTopicsOf } from './subscription-count.js'
import type { AedesPersistence, StoredPacket } from './aedes-seams.js'

interface ClientRef { id: string }
interface StoredSubscription { topic: string, qos: number }

const NO_PAYLOAD = Buffer.alloc(0)

interface QueuedEntry { packet: StoredPacket, bytes: number }

interface SessionRecord {
  subscriptions: Map<string, number>
  /** Queued packets, oldest first (a Map keeps insertion order), by broker id + broker counter. */
  queue: Map<string, QueuedEntry>
  queuedBytes: number
  /** Packet identifier → queue key, once aedes has given the queued packet one. */
  byMessageId: Map<number, string>
  /** Identifiers of QoS 2 packets received from the client and not yet released. */
  incoming: Set<number>
  dropped: number
}

export type SessionBounds = Pick<Limits, 'sessionQueueMaxMessages' | 'sessionQueueMaxBytes' | 'maxInflightQos2' | 'maxSubscriptionsPerDevice' | 'clientStringMaxChars'>

export interface SessionSize { subscriptions: number, queued: number, queuedBytes: number, unreleasedQos2: number }

export class BoundedSessionStore implements AedesPersistence {
  readonly #inner: AedesPersistence
  readonly #bounds: SessionBounds
  readonly #logger: Logger
  readonly #sessions = new Map<string, SessionRecord>()
  /** Messages dropped from full queues since start, all sessions together. */
  droppedMessages = 0

  constructor (inner: AedesPersistence, bounds: SessionBounds, logger: Logger) {
    this.#inner = inner
    this.#bounds = bounds
    this.#logger = logger
  }

  /** Client ids with anything stored here (subscriptions, queued or unreleased packets). */
  get sessionCount (): number { return this.#sessions.size }

  /** Whether anything is stored here for the client id. */
  holds (clientId: string): boolean { return this.#sessions.has(clientId) }

  sizeOf (clientId: string): SessionSize {
    const record = this.#sessions.get(clientId)
    return { subscriptions: record?.subscriptions.size ?? 0, queued: record?.queue.size ?? 0, queuedBytes: record?.queuedBytes ?? 0, unreleasedQos2: record?.incoming.size ?? 0 }
  }

  /** Removes everything a client id left behind: subscriptions, queue, unreleased packets, will. */
  async removeSession (clientId: string, brokerId: string): Promise<void> {
    const ref = { id: clientId }
    this.#sessions.delete(clientId)
    await this.#inner.cleanSubscriptions(ref)
    await this.#inner.cleanIncoming?.(ref)
    await this.#inner.delWill({ id: clientId, brokerId })
  }

  // ---- subscriptions

  addSubscriptions (client: Client, subs: StoredSubscription[]): Promise<unknown> {
    const granted = grantedTopicsOf(client)
    if (granted === undefined) return Promise.resolve()
    let record = this.#sessions.get(client.id)
    const fresh: StoredSubscription[] = []
    for (const sub of subs) {
      if (!granted.has(sub.topic)) continue
      record ??= this.#recordOf(client.id)
      const stored = record.subscriptions.get(sub.topic)
      if (stored === sub.qos) continue
      if (stored === undefined && record.subscriptions.size >= this.#bounds.maxSubscriptionsPerDevice) continue
      record.subscriptions.set(sub.topic, sub.qos)
      fresh.push(sub)
    }
    return fresh.length === 0 ? Promise.resolve() : this.#inner.addSubscriptions(client, fresh)
  }

  removeSubscriptions (client: ClientRef, topics: string[]): Promise<unknown> {
    const record = this.#sessions.get(client.id)
    if (record !== undefined) {
      for (const topic of topics) record.subscriptions.delete(topic)
      this.#forgetIfEmpty(client.id, record)
    }
    return this.#inner.removeSubscriptions(client, topics)
  }

  cleanSubscriptions (client: ClientRef): Promise<unknown> {
    const record = this.#sessions.get(client.id)
    if (record !== undefined) { record.subscriptions.clear(); this.#forgetIfEmpty(client.id, record) }
    return this.#inner.cleanSubscriptions(client)
  }

  subscriptionsByClient (client: ClientRef): Promise<StoredSubscription[]> { return this.#inner.subscriptionsByClient(client) }
  subscriptionsByTopic (topic: string): Promise<Array<{ clientId: string }>> { return this.#inner.subscriptionsByTopic(topic) }
  countOffline (): Promise<unknown> { return this.#inner.countOffline() }
  getClientList (topic: string): Readable { return this.#inner.getClientList(topic) }

  // ---- queues (the semantics of aedes-persistence's in-memory queues, with bounds)

  async outgoingEnqueue (sub: { clientId: string }, packet: StoredPacket): Promise<void> {
    this.#enqueue(sub.clientId, packet, payloadBytes(packet))
  }

  async outgoingEnqueueCombi (subs: Array<{ clientId: string }>, packet: StoredPacket): Promise<void> {
    if (subs.length === 0) return
    const bytes = payloadBytes(packet)
    for (const sub of subs) this.#enqueue(sub.clientId, packet, bytes)
  }

  /** Records the identifier aedes gave a queued packet, or replaces the packet with its PUBREL. */
  async outgoingUpdate (client: ClientRef, packet: StoredPacket): Promise<void> {
    const record = this.#sessions.get(client.id)
    if (packet.brokerId !== undefined) {
      const key = keyOf(packet)
      const entry = record?.queue.get(key)
      // A packet dropped here (or never queued) is still delivered to a connected client, just not kept;
      // failing would make aedes close the connection.
      if (record === undefined || entry === undefined) return
      this.#index(record, key, entry, packet.messageId)
      return
    }
    const key = packet.messageId === undefined ? undefined : record?.byMessageId.get(packet.messageId)
    const entry = key === undefined ? undefined : record?.queue.get(key)
    if (record === undefined || key === undefined || entry === undefined) throw new Error('no such packet')
    record.queuedBytes -= entry.bytes
    entry.bytes = 0
    entry.packet = packet
  }

  /** Removes the packet acknowledged (or not forwarded) and returns it. */
  async outgoingClearMessageId (client: ClientRef, packet: StoredPacket): Promise<StoredPacket | undefined> {
    const record = this.#sessions.get(client.id)
    if (record === undefined || record.queue.size === 0) return undefined
    const key = packet.messageId !== undefined ? record.byMessageId.get(packet.messageId) : (packet.brokerId !== undefined ? keyOf(packet) : undefined)
    const entry = key === undefined ? undefined : record.queue.get(key)
    if (key === undefined || entry === undefined) return undefined
    this.#unqueue(record, key)
    this.#forgetIfEmpty(client.id, record)
    return entry.packet
  }

  outgoingStream (client: ClientRef): Readable {
    const record = this.#sessions.get(client.id)
    return Readable.from(record === undefined ? [] : Array.from(record.queue.values(), entry => entry.packet))
  }

  // ---- QoS 2 from clients

  async incomingStorePacket (client: ClientRef, packet: StoredPacket): Promise<void> {
    const messageId = packet.messageId ?? 0
    const record = this.#recordOf(client.id)
    if (!record.incoming.has(messageId) && record.incoming.size >= this.#bounds.maxInflightQos2) {
      this.#forgetIfEmpty(client.id, record)
      throw new Error(`more than ${this.#bounds.maxInflightQos2} QoS 2 messages awaiting PUBREL`)
    }
    record.incoming.add(messageId)
    await this.#inner.incomingStorePacket(client, { ...packet, payload: NO_PAYLOAD })
  }

  incomingGetPacket (client: ClientRef, packet: StoredPacket): Promise<unknown> { return this.#inner.incomingGetPacket(client, packet) }

  async incomingDelPacket (client: ClientRef, packet: StoredPacket): Promise<void> {
    await this.#inner.incomingDelPacket(client, packet)
    const record = this.#sessions.get(client.id)
    if (record !== undefined) { record.incoming.delete(packet.messageId ?? 0); this.#forgetIfEmpty(client.id, record) }
  }

  async cleanIncoming (client: ClientRef): Promise<void> {
    const record = this.#sessions.get(client.id)
    if (record !== undefined) { record.incoming.clear(); this.#forgetIfEmpty(client.id, record) }
    await this.#inner.cleanIncoming?.(client)
  }

  // ---- the rest, as is (client publications are never retained: authorize-publish clears the flag)

  setup (broker: unknown): Promise<void> { return this.#inner.setup(broker) }
  storeRetained (packet: unknown): Promise<void> { return this.#inner.storeRetained(packet) }
  createRetainedStream (pattern: string): Readable { return this.#inner.createRetainedStream(pattern) }
  createRetainedStreamCombi (patterns: string[]): Readable { return this.#inner.createRetainedStreamCombi(patterns) }
  putWill (client: ClientRef, packet: unknown): Promise<unknown> { return this.#inner.putWill(client, packet) }
  getWill (client: ClientRef): Promise<unknown> { return this.#inner.getWill(client) }
  delWill (client: { id: string, brokerId?: string }): Promise<unknown> { return this.#inner.delWill(client) }
  streamWill (brokers?: unknown): Readable { return this.#inner.streamWill(brokers) }
  destroy (): Promise<void> { return this.#inner.destroy() }

  // ----

  #recordOf (clientId: string): SessionRecord {
    let record = this.#sessions.get(clientId)
    if (record === undefined) {
      record = { subscriptions: new Map(), queue: new Map(), queuedBytes: 0, byMessageId: new Map(), incoming: new Set(), dropped: 0 }
      this.#sessions.set(clientId, record)
    }
    return record
  }

  #forgetIfEmpty (clientId: string, record: SessionRecord): void {
    if (record.subscriptions.size === 0 && record.queue.size === 0 && record.incoming.size === 0) this.#sessions.delete(clientId)
  }

  /** Queues a copy of the packet for `clientId` (aedes sets its identifier on it), then drops the oldest past the bounds. */
  #enqueue (clientId: string, packet: StoredPacket, bytes: number): void {
    const record = this.#recordOf(clientId)
    const key = keyOf(packet)
    if (record.queue.has(key)) return // two subscriptions of one client matching one message: delivered once
    record.queue.set(key, { packet: { ...packet, messageId: undefined }, bytes })
    record.queuedBytes += bytes
    const { sessionQueueMaxMessages, sessionQueueMaxBytes } = this.#bounds
    while (record.queue.size > sessionQueueMaxMessages || record.queuedBytes > sessionQueueMaxBytes) {
      const oldest = record.queue.keys().next().value as string
      this.#unqueue(record, oldest)
      record.dropped++
      this.droppedMessages++
      if (record.dropped === 1) {
        this.#logger.debug({ clientId: clipped(clientId, this.#bounds.clientStringMaxChars), sessionQueueMaxMessages, sessionQueueMaxBytes }, 'mqtt session queue full: dropping its oldest messages')
      }
    }
    this.#forgetIfEmpty(clientId, record)
  }

  #index (record: SessionRecord, key: string, entry: QueuedEntry, messageId: number | undefined): void {
    const previous = entry.packet.messageId
    if (previous !== undefined && record.byMessageId.get(previous) === key) record.byMessageId.delete(previous)
    entry.packet.messageId = messageId
    if (messageId !== undefined) record.byMessageId.set(messageId, key)
  }

  #unqueue (record: SessionRecord, key: string): void {
    const entry = record.queue.get(key)
    if (entry === undefined) return
    record.queue.delete(key)
    record.queuedBytes -= entry.bytes
    const messageId = entry.packet.messageId
    if (messageId !== undefined && record.byMessageId.get(messageId) === key) record.byMessageId.delete(messageId)
  }
}

function keyOf (packet: { brokerId?: string, brokerCounter?: number }): string {
  return `${packet.brokerId ?? ''}:${packet.brokerCounter ?? ''}`
}

function payloadBytes (packet: StoredPacket): number {
  const payload = packet.payload
  if (payload === undefined) return 0
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length
}
