// In-process routing of messages, broadcasts, configure and unregister events (meshblu-endo §2.2–§2.5):
// `.sent` fan-out to subscribers of the sender, `.received` fan-out along subscriptions with route hops,
// the duplicate-hop loop guard, and publication to listeners when the last hop is a self-hop.
// Synchronous over in-memory state for devices the registry holds (connected and recently used ones); a
// whitelist check on any other device waits for its one read (registry.with), without reordering its deliveries.
import type { Logger } from '../log.js'
import type { DeviceRegistry } from './device-registry.js'
import type { DeviceDocument } from './device.js'
import type { Subscriptions } from './subscriptions.js'
import { hasHop, isDirectTo, isSelfHop, type Hop, type Route } from './route.js'
import { isWhitelisted, type WhitelistName } from './whitelists.js'

export type EventKind = 'message' | 'broadcast' | 'configure' | 'unregister'

export interface Delivery {
  /** `<kind>.received` */
  type: string
  kind: EventKind
  /** The device the event came from (first hop's `from`). */
  fromUuid: string
  route: Route
  payload: Record<string, unknown>
}

export type DeliveryListener = (delivery: Delivery) => void
export type DeliveryListenerTo = (uuid: string, delivery: Delivery) => void
export type BroadcastListener = (senderUuid: string, payload: Record<string, unknown>) => void

// Which list a subscriber must be on, per event type (meshblu-endo §1.6).
const SENT_LIST: Record<EventKind, WhitelistName> = {
  message: 'message.sent', broadcast: 'broadcast.sent', configure: 'configure.sent', unregister: 'configure.sent',
}
const RECEIVED_LIST: Record<EventKind, WhitelistName> = {
  message: 'message.received', broadcast: 'broadcast.received', configure: 'configure.received', unregister: 'configure.received',
}

// Constant strings, not `${kind}.received` per hop: a fresh string is hashed anew at every Map lookup.
const SENT_TYPE: Record<EventKind, string> = { message: 'message.sent', broadcast: 'broadcast.sent', configure: 'configure.sent', unregister: 'unregister.sent' }
const RECEIVED_TYPE: Record<EventKind, string> = { message: 'message.received', broadcast: 'broadcast.received', configure: 'configure.received', unregister: 'unregister.received' }

interface Job { kind: EventKind, from: string, to: string, route: Hop[] }

export class MessageRouter {
  /** Deliveries published to listeners, and direct messages a recipient's message.from refused, since start (for /metrics). */
  readonly counts = { delivered: 0, refused: 0 }
  private readonly listeners = new Map<string, Set<DeliveryListener>>()
  private readonly broadcastListeners = new Set<BroadcastListener>()
  private elsewhere?: DeliveryListenerTo

  constructor (
    private readonly registry: DeviceRegistry,
    private readonly subscriptions: Subscriptions,
    private readonly logger: Logger
  ) {}

  /** Registers a live listener for a device's deliveries (an MQTT connection, the job runner). */
  listen (uuid: string, listener: DeliveryListener): () => void {
    let set = this.listeners.get(uuid)
    if (set === undefined) { set = new Set(); this.listeners.set(uuid, set) }
    set.add(listener)
    // a listened-to device stays in memory: its whitelist checks never wait for the store
    const unpin = this.registry.pin(uuid)
    return () => {
      unpin()
      set.delete(listener)
      if (set.size === 0 && this.listeners.get(uuid) === set) this.listeners.delete(uuid)
    }
  }

  /** Broadcasts also go to these (the broker's `<uuid>/broadcast` channel). */
  onBroadcast (listener: BroadcastListener): () => void {
    this.broadcastListeners.add(listener)
    return () => this.broadcastListeners.delete(listener)
  }

  /** Where deliveries go for devices with no listener here (cluster mode: other instances); returns the release. */
  deliverElsewhere (deliver: DeliveryListenerTo): () => void {
    this.elsewhere = deliver
    return () => { if (this.elsewhere === deliver) this.elsewhere = undefined }
  }

  hasListener (uuid: string): boolean {
    return this.listeners.has(uuid)
  }

  /**
   * A message from F (already authorized to send as F) to each recipient that admits F on `message.from`.
   * Refused recipients are skipped silently (§7: the sender still gets 204) and logged.
   */
  sendMessage (fromUuid: string, recipients: readonly string[], payload: Record<string, unknown>): void {
    let broadcast = false
    let direct = 0
    // each recipient once; the usual single recipient needs no set
    const seen = recipients.length > 1 ? new Set<string>() : undefined
    for (const to of recipients) {
      if (to === '*') { broadcast = true; continue }
      if (seen !== undefined) {
        if (seen.has(to)) continue
        seen.add(to)
      }
      direct++
      const recipient = this.registry.held(to)
      if (recipient !== undefined) this.direct(fromUuid, to, recipient, payload)
      else this.registry.with(to, read => { this.direct(fromUuid, to, read, payload) })
    }
    if (direct > 0) this.sentFanOut('message', fromUuid, payload)
    if (broadcast) {
      this.sentFanOut('broadcast', fromUuid, payload)
      for (const listener of this.broadcastListeners) listener(fromUuid, payload)
    }
  }

  private direct (fromUuid: string, to: string, recipient: DeviceDocument | undefined, payload: Record<string, unknown>): void {
    if (!isWhitelisted(recipient, 'message.from', fromUuid)) {
      this.counts.refused++
      this.logger.debug({ from: fromUuid, to }, 'message refused by message.from')
      return
    }
    this.received({ kind: 'message', from: fromUuid, to, route: [] }, payload)
  }

  /** configure.sent after an update (payload = the updated device), plus the v1 push to the device itself. */
  configured (uuid: string, device: Record<string, unknown>): void {
    this.sentFanOut('configure', uuid, device)
    this.registry.with(uuid, () => {
      // The v2 path already publishes to the device when it subscribes to both its configure.sent and configure.received.
      const viaSubscriptions = this.subscriptions.has({ subscriberUuid: uuid, emitterUuid: uuid, type: 'configure.sent' }) &&
        this.subscriptions.has({ subscriberUuid: uuid, emitterUuid: uuid, type: 'configure.received' })
      if (!viaSubscriptions) {
        this.publish({ kind: 'configure', from: uuid, to: uuid, route: [{ from: uuid, to: uuid, type: 'configure.received' }] }, device)
      }
    })
  }

  unregistered (uuid: string): void {
    this.sentFanOut('unregister', uuid, { uuid })
  }

  // An emitter's subscriptions are in memory while the registry holds it: each fan-out reads the emitter first
  // (no I/O when held, one read when not).
  private sentFanOut (kind: EventKind, sender: string, payload: Record<string, unknown>): void {
    const held = this.registry.held(sender)
    if (held !== undefined) this.sentFanOutOf(kind, sender, held, payload)
    else this.registry.with(sender, read => { this.sentFanOutOf(kind, sender, read, payload) })
  }

  private sentFanOutOf (kind: EventKind, sender: string, senderDevice: DeviceDocument | undefined, payload: Record<string, unknown>): void {
    const type = SENT_TYPE[kind]
    for (const subscriber of this.subscriptions.subscribersOf(sender, type)) {
      if (!isWhitelisted(senderDevice, SENT_LIST[kind], subscriber)) continue
      this.received({ kind, from: sender, to: subscriber, route: [{ from: sender, to: subscriber, type }] }, payload)
    }
  }

  private received (job: Job, payload: Record<string, unknown>): void {
    const type = RECEIVED_TYPE[job.kind]
    if (isSelfHop(job.route[job.route.length - 1], type)) this.publish(job, payload)
    const hop = { from: job.from, to: job.to, type }
    if (hasHop(job.route, hop)) return // loop guard
    const route = [...job.route, hop]
    const emitter = this.registry.held(job.to)
    if (emitter !== undefined) this.receivedFanOut(job, type, route, emitter, payload)
    else this.registry.with(job.to, read => { this.receivedFanOut(job, type, route, read, payload) })
  }

  private receivedFanOut (job: Job, type: string, route: Hop[], emitter: DeviceDocument | undefined, payload: Record<string, unknown>): void {
    const toItself = this.subscribesToItself(job.to, type, route)
    if (job.from === job.to) {
      // §2.2 step 3: a self job continues only to the device's own subscription.
      if (toItself) this.received({ kind: job.kind, from: job.to, to: job.to, route }, payload)
      return
    }
    if (toItself) this.received({ kind: job.kind, from: job.to, to: job.to, route }, payload)
    for (const subscriber of this.subscriptions.subscribersOf(job.to, type)) {
      if (subscriber === job.to) continue
      if (!isWhitelisted(emitter, RECEIVED_LIST[job.kind], subscriber)) continue
      this.received({ kind: job.kind, from: job.to, to: subscriber, route }, payload)
    }
  }

  /**
   * A device receives its own direct messages when it listens, with or without a self-subscription (§7).
   * Only direct ones: copies that reach it through another device's subscription (a watched inbox, a spied
   * message.sent) still need its own (uuid, uuid, message.received) subscription, as §2.3 says.
   */
  private subscribesToItself (uuid: string, type: string, route: Route): boolean {
    if (this.subscriptions.subscribersOf(uuid, type).has(uuid)) return true
    // in cluster mode the device may listen on another instance: its direct messages are published for it there
    return type === 'message.received' && (this.listeners.has(uuid) || this.elsewhere !== undefined) && isDirectTo(route, uuid, type)
  }

  private publish (job: Job, payload: Record<string, unknown>): void {
    const listeners = this.listeners.get(job.to)
    if (listeners === undefined && this.elsewhere === undefined) return
    const delivery: Delivery = { type: RECEIVED_TYPE[job.kind], kind: job.kind, fromUuid: job.route[0]?.from ?? job.from, route: job.route, payload }
    this.counts.delivered++
    if (listeners === undefined) {
      this.elsewhere?.(job.to, delivery)
      return
    }
    for (const listener of listeners) {
      try {
        listener(delivery)
      } catch (error) {
        this.logger.error({ err: error, to: job.to }, 'delivery listener failed')
      }
    }
  }
}
