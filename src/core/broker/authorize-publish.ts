// PUBLISH from a client: only the API topics of §4 are accepted. The service handles the request here
// and retargets the packet to a sink topic nobody may subscribe to, so no client ever publishes
// straight to another device's topic. Errors are replied on the device's own topic; the connection stays.
import type { Client, PublishPacket } from 'aedes'
import type { BrokerContext } from './broker-context.js'
import { ErrorText, publicError } from '../errors.js'
import { API_TOPICS, NO_REPLY, isApiTopic } from './api-topics.js'
import { SINK_TOPIC, sessionOf } from './mqtt-session.js'
import { publishToDevice } from './device-channels.js'
import { holdWritesForRequest } from './aedes-seams.js'
import { JsonTooDeep, assertJsonDepth } from '../json-depth.js'
import { clipped, type Limits } from '../limits.js'

/**
 * The request object of a payload. Nesting is checked on the bytes first: everything after this (the
 * handlers, the `_request` echo's JSON.stringify, mingo, ajv) recurses, and 40 KB of `[[[[` overflow it.
 */
function parseRequest (payload: Buffer | string, maxDepth: number): Record<string, unknown> {
  assertJsonDepth(payload, maxDepth)
  const text = typeof payload === 'string' ? payload : payload.toString('utf8')
  // An empty or blank payload is an empty request (only one that starts with white space can be blank).
  if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return {}
  const value = JSON.parse(text)
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('payload must be a JSON object')
  return value
}

export function authorizePublishHook (ctx: BrokerContext) {
  return (client: Client | null, packet: PublishPacket, callback: (error?: Error | null) => void): void => {
    if (client === null) return callback(null) // the service's own publications
    const session = sessionOf(client)
    if (session?.kind !== 'device') return callback(new Error('this connection may not publish'))
    const uuid = session.uuid
    // A connection outliving its device (unregistered meanwhile) may not act for it. A connected device is
    // held in memory (its listener pins it), so this is no I/O but in the moment its pin is being read.
    if (ctx.bus.registry.cached(uuid) !== undefined) return handlePublish(ctx, client, packet, uuid, callback)
    ctx.bus.registry.get(uuid).then(device => {
      if (device === undefined) callback(new Error('device no longer exists'))
      else handlePublish(ctx, client, packet, uuid, callback)
    }, callback)
  }
}

function handlePublish (ctx: BrokerContext, client: Client, packet: PublishPacket, uuid: string, callback: (error?: Error | null) => void): void {
  const topic = packet.topic
  packet.topic = SINK_TOPIC
  packet.retain = false // a retained request would otherwise stay in the broker's retained store
  holdWritesForRequest(client)
  callback(null)

  if (packet.payload.length > ctx.limits.maxPayloadBytes) {
    return replyError(ctx, uuid, `Payload too large: the limit is ${ctx.limits.maxPayloadBytes} bytes`, correlationOf(packet.payload, ctx.limits))
  }
  let request: Record<string, unknown>
  try {
    request = parseRequest(packet.payload, ctx.limits.maxJsonDepth)
  } catch (error) {
    if (error instanceof JsonTooDeep) return replyError(ctx, uuid, error.message)
    return replyError(ctx, uuid, 'Invalid JSON: the payload must be a JSON object')
  }
  const handler = isApiTopic(topic) ? API_TOPICS[topic] : undefined
  if (handler === undefined) return replyError(ctx, uuid, ErrorText.topicNotValid(clipped(topic, ctx.limits.clientStringMaxChars)), request)
  let result: unknown
  try {
    result = handler(ctx.bus, uuid, request)
  } catch (error) {
    return replyError(ctx, uuid, describe(ctx, error, topic), request)
  }
  if (!isPromise(result)) {
    if (result !== NO_REPLY) reply(ctx, uuid, topic, result, request)
    return
  }
  result.then(
    data => { if (data !== NO_REPLY) reply(ctx, uuid, topic, data, request) },
    error => replyError(ctx, uuid, describe(ctx, error, topic), request)
  )
}

// Module functions rather than closures made per request: under tsx (esbuild keepNames) every named closure
// costs an Object.defineProperty when it is created.
function reply (ctx: BrokerContext, uuid: string, replyTopic: string, data: unknown, request?: unknown): void {
  publishToDevice(ctx, uuid, request === undefined ? { topic: replyTopic, data } : { topic: replyTopic, data, _request: request })
}

function replyError (ctx: BrokerContext, uuid: string, message: string, request?: unknown): void {
  reply(ctx, uuid, 'error', { message }, request)
}

function isPromise (value: unknown): value is Promise<unknown> {
  return value instanceof Promise
}

/**
 * `{callbackId}` of an oversize request, so a meshblu-mqtt client can match the error to its call (an
 * unmatched `error` reply is emitted as an 'error' event, which kills a client without a listener).
 * Only parsed when not absurdly large; the payload itself is never echoed back.
 */
function correlationOf (payload: Buffer | string, limits: Readonly<Limits>): { callbackId: string } | undefined {
  if (payload.length > 4 * limits.maxPayloadBytes) return undefined
  try {
    const callbackId = parseRequest(payload, limits.maxJsonDepth).callbackId
    // meshblu-mqtt's ids are uuids: anything else (an object, a megabyte string) is not echoed
    return typeof callbackId === 'string' && callbackId.length <= limits.clientStringMaxChars ? { callbackId } : undefined
  } catch {
    return undefined
  }
}

function describe (ctx: BrokerContext, error: unknown, topic: string): string {
  const wire = publicError(error, ctx.limits.errorMessageMaxChars)
  if (wire.code >= 500) ctx.logger.error({ err: error, topic }, 'mqtt request failed')
  return wire.message
}
