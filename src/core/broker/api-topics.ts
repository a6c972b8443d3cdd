// The meshblu-mqtt topic protocol (meshblu-endo §4): one handler per request topic.
// A handler answers with reply data, or NO_REPLY (a sent message has no reply on success).
import type { DeviceBus } from '../bus/device-bus.js'
import { setOperatorFor } from '../bus/update-operators.js'
import { Unprocessable } from '../errors.js'

export const NO_REPLY = Symbol('no reply')
type TopicHandler = (bus: DeviceBus, uuid: string, request: Record<string, unknown>) => Promise<unknown> | unknown

function withoutCallbackId (request: Record<string, unknown>): Record<string, unknown> {
  const { callbackId: _callbackId, ...rest } = request
  return rest
}

export const API_TOPICS: Record<string, TopicHandler> = {
  message (bus, uuid, request) {
    const sent = bus.sendMessage({ uuid }, withoutCallbackId(request))
    return sent === undefined ? NO_REPLY : sent.then(() => NO_REPLY)
  },
  async update (bus, uuid, request) {
    const { uuid: target, ...properties } = withoutCallbackId(request)
    // A uuid that is not a string must not fall back to updating the caller itself.
    if (target !== undefined && typeof target !== 'string') throw new Unprocessable('uuid must be a string', { error: 'uuid must be a string' })
    await bus.update({ uuid }, target ?? uuid, setOperatorFor(properties))
    return {}
  },
  // answered in this turn when the device is held (a connected device is): replies keep the order of requests
  whoami (bus, uuid) {
    return bus.heldDevice({ uuid }, uuid) ?? bus.getDevice({ uuid }, uuid)
  },
  getPublicKey (bus, uuid) {
    const held = bus.heldDevice({ uuid }, uuid)
    if (held !== undefined) return { publicKey: held.publicKey ?? null }
    return bus.getDevice({ uuid }, uuid).then(device => ({ publicKey: device.publicKey ?? null }))
  },
  async resetToken (bus, uuid) {
    return await bus.resetToken({ uuid }, uuid)
  },
  // The original replied with an error here (it expected 200, the job answers 201); we reply with the token.
  async generateAndStoreToken (bus, uuid, request) {
    return await bus.createSessionToken({ uuid }, uuid, withoutCallbackId(request))
  },
}

export function isApiTopic (topic: string): boolean {
  return Object.hasOwn(API_TOPICS, topic)
}
