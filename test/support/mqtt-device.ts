// A device connected over MQTT with mqtt.js, speaking the meshblu-mqtt topic protocol:
// requests carry a callbackId; replies and pushed events arrive on the device's own topic.
import { randomUUID } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { recordReceived } from './leak-scan.js'

/** TCP_NODELAY on an mqtt.js client's socket, now and after each reconnect. */
export function setClientNoDelay (client: MqttClient): void {
  const apply = (): void => { (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true) }
  apply()
  client.on('connect', apply)
}

export interface Envelope { topic: string, data: any, _request?: any, metadata?: any }

export interface MqttDevice {
  uuid: string
  client: MqttClient
  /** Publishes a request and resolves with its reply envelope (topic = request topic or 'error'). */
  request: (topic: string, payload?: Record<string, unknown>) => Promise<Envelope>
  /** Resolves with the next pushed envelope (not a reply) matching the predicate. */
  next: (predicate?: (e: Envelope) => boolean, timeoutMs?: number) => Promise<Envelope>
  /** Resolves true if nothing matching arrives within the time. */
  nothingWithin: (ms: number, predicate?: (e: Envelope) => boolean) => Promise<boolean>
  received: Envelope[]
  end: () => Promise<void>
  /** Publishes bytes as given (no callbackId added); for bad-input tests. */
  publishRaw: (topic: string, payload: string | Buffer) => Promise<void>
  /** Subscribes and resolves with the SUBACK return code (0/1 granted QoS, 0x80 failure). */
  subscribeCode: (topic: string) => Promise<number>
  /** Resolves once the connection is closed (by either side). */
  closed: Promise<void>
}

export const SUBACK_FAILURE = 0x80

export async function connectDevice (port: number, uuid: string, token: string, options: { qos?: 0 | 1, subscribe?: boolean } = {}): Promise<MqttDevice> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: uuid, password: token, reconnectPeriod: 0, connectTimeout: 5000, clientId: `t-${randomUUID().slice(0, 18)}` })
  // mqtt.js leaves Nagle on: a request written while its previous PUBACK is unacknowledged waits for the
  // broker's delayed ACK (~40 ms). Real clients should do the same as here.
  setClientNoDelay(client)
  const qos = options.qos ?? 1
  if (options.subscribe !== false) await client.subscribeAsync(uuid, { qos })
  const pending = new Map<string, (e: Envelope) => void>()
  const received: Envelope[] = []
  const closed = new Promise<void>(resolve => client.once('close', () => resolve()))
  const waiters: Array<{ predicate: (e: Envelope) => boolean, resolve: (e: Envelope) => void }> = []
  client.on('message', (_topic, payload) => {
    recordReceived(payload.toString())
    const envelope = JSON.parse(payload.toString()) as Envelope
    const callbackId = envelope._request?.callbackId
    if (callbackId !== undefined && pending.has(callbackId)) {
      pending.get(callbackId)?.(envelope)
      pending.delete(callbackId)
      return
    }
    const index = waiters.findIndex(w => w.predicate(envelope))
    if (index >= 0) { waiters.splice(index, 1)[0].resolve(envelope); return }
    received.push(envelope)
  })
  return {
    uuid,
    client,
    received,
    async request (topic, payload = {}) {
      const callbackId = randomUUID()
      const reply = new Promise<Envelope>((resolve, reject) => {
        const timer = setTimeout(() => { if (pending.delete(callbackId)) reject(new Error(`no reply to ${topic} within 5 s`)) }, 5000)
        pending.set(callbackId, envelope => { clearTimeout(timer); resolve(envelope) })
      })
      await client.publishAsync(topic, JSON.stringify({ ...payload, callbackId }), { qos })
      return await reply
    },
    next (predicate = () => true, timeoutMs = 5000) {
      const index = received.findIndex(predicate)
      if (index >= 0) return Promise.resolve(received.splice(index, 1)[0])
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(waiter)
          if (i >= 0) { waiters.splice(i, 1); reject(new Error(`nothing arrived for ${uuid} within ${timeoutMs} ms`)) }
        }, timeoutMs)
        const waiter = { predicate, resolve: (e: Envelope) => { clearTimeout(timer); resolve(e) } }
        waiters.push(waiter)
      })
    },
    async nothingWithin (ms, predicate = () => true) {
      await new Promise(resolve => setTimeout(resolve, ms))
      return !received.some(predicate)
    },
    async end () { await client.endAsync(true) },
    async publishRaw (topic, payload) { await client.publishAsync(topic, payload, { qos }) },
    async subscribeCode (topic) {
      const suback = new Promise<number>(resolve => {
        const onPacket = (packet: any): void => {
          if (packet.cmd !== 'suback') return
          client.off('packetreceive', onPacket)
          resolve(packet.granted[0])
        }
        client.on('packetreceive', onPacket)
      })
      await client.subscribeAsync(topic, { qos: 1 }).catch(() => {})
      return await suback
    },
    closed,
  }
}

/** Tries to connect and resolves with the CONNACK return code of the refusal (0 if accepted). */
export async function connackCode (port: number, username?: string, password?: string): Promise<number> {
  try {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0, connectTimeout: 5000 })
    await client.endAsync(true)
    return 0
  } catch (error) {
    return (error as { code?: number }).code ?? -1
  }
}
