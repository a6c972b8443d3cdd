// Attacks on the device bus: acting as others, messaging outside whitelists, topics, tokens.
import type { TestService } from '../../support/test-service.js'
import { connectDevice } from '../../support/mqtt-device.js'
import { basic, httpStatus, refusedStatus, type Attack } from './attack.js'

interface Device { uuid: string, token: string }

export async function busAttacks (service: TestService): Promise<Attack[]> {
  const register = async (properties: Record<string, unknown> = {}): Promise<Device> => {
    const { device, token } = await service.bus.register(properties)
    return { uuid: device.uuid, token }
  }
  const v2 = (whitelists: Record<string, Record<string, string[]>> = {}): Record<string, unknown> => ({
    meshblu: { version: '2.0.0', whitelists: Object.fromEntries(Object.entries(whitelists).map(([c, verbs]) => [c, Object.fromEntries(Object.entries(verbs).map(([v, uuids]) => [v, uuids.map(uuid => ({ uuid }))]))])) },
  })
  const mallory = await register(v2())
  const victim = await register(v2({ discover: { view: [] } }))
  const friend = await register(v2({ message: { from: [] } }))
  const revoked = await register(v2())
  const revokedSession = await service.bus.createSessionToken({ uuid: revoked.uuid }, revoked.uuid, { tag: 'gone' })
  await service.bus.revokeToken({ uuid: revoked.uuid }, revoked.uuid, revokedSession.token)
  const reset = await register(v2())
  await service.bus.resetToken({ uuid: reset.uuid }, reset.uuid)
  const url = service.httpUrl
  const as = (uuid: string): Record<string, string> => basic(mallory.uuid, mallory.token, { 'x-meshblu-as': uuid })
  const victimUnchanged = async (): Promise<boolean> => (await service.bus.registry.get(victim.uuid))?.hacked === undefined

  const http = (name: string, path: string, init: RequestInit, check: (status: number) => boolean | Promise<boolean> = refusedStatus): Attack =>
    ({ name, attempt: async () => await check(await httpStatus(url + path, init)) })

  const deliveredTo = async (target: Device, send: () => Promise<void>): Promise<boolean> => {
    const listener = await connectDevice(service.mqttPort, target.uuid, target.token)
    try {
      await send()
      return !(await listener.nothingWithin(150, e => e.topic === 'message'))
    } finally { await listener.end() }
  }

  return [
    http('reading a device that does not list you on discover.view', `/v2/devices/${victim.uuid}`, { headers: basic(mallory.uuid, mallory.token) }),
    http('reading a device as another without discover.as', `/v2/devices/${victim.uuid}`, { headers: as(friend.uuid) }),
    http('reading a device as itself (protect-your-as)', `/v2/devices/${victim.uuid}`, { headers: as(victim.uuid) }),
    http('updating a device without configure.update', `/v2/devices/${victim.uuid}`, { method: 'PATCH', headers: basic(mallory.uuid, mallory.token), body: JSON.stringify({ hacked: true }) }, async s => refusedStatus(s) && await victimUnchanged()),
    http('updating a device as another without configure.as', `/v2/devices/${victim.uuid}`, { method: 'PATCH', headers: as(friend.uuid), body: JSON.stringify({ hacked: true }) }, async s => refusedStatus(s) && await victimUnchanged()),
    http('updating with operators a device you may not configure', `/v2/devices/${victim.uuid}`, { method: 'PUT', headers: basic(mallory.uuid, mallory.token), body: JSON.stringify({ $set: { hacked: true } }) }, async s => refusedStatus(s) && await victimUnchanged()),
    http('find-and-update on a device you may not configure', `/v2/devices/${victim.uuid}/find-and-update`, { method: 'PUT', headers: basic(mallory.uuid, mallory.token), body: JSON.stringify({ $set: { hacked: true } }) }, async s => refusedStatus(s) && await victimUnchanged()),
    http('overwriting your own uuid with $set', `/v2/devices/${mallory.uuid}`, { method: 'PUT', headers: basic(mallory.uuid, mallory.token), body: JSON.stringify({ $set: { uuid: victim.uuid } }) }),
    http('setting your own token field with $set', `/v2/devices/${mallory.uuid}`, { method: 'PUT', headers: basic(mallory.uuid, mallory.token), body: JSON.stringify({ $set: { token: 'x' } }) }),
    http('unregistering a device you may not configure', `/devices/${victim.uuid}`, { method: 'DELETE', headers: basic(mallory.uuid, mallory.token) }, async s => refusedStatus(s) && (await service.bus.registry.get(victim.uuid)) !== undefined),
    http('creating a session token for another device', `/devices/${victim.uuid}/tokens`, { method: 'POST', headers: basic(mallory.uuid, mallory.token) }),
    http('resetting another device\'s root token', `/devices/${victim.uuid}/token`, { method: 'POST', headers: basic(mallory.uuid, mallory.token) }),
    http('revoking another device\'s tokens by query', `/devices/${victim.uuid}/tokens?tag=x`, { method: 'DELETE', headers: basic(mallory.uuid, mallory.token) }),
    http('searching another device\'s tokens', '/search/tokens', { method: 'POST', headers: basic(mallory.uuid, mallory.token), body: JSON.stringify({ uuid: victim.uuid }) }),
    http('listing another device\'s subscriptions', `/v2/devices/${victim.uuid}/subscriptions`, { headers: basic(mallory.uuid, mallory.token) }),
    http('listing subscriptions as another without configure rights', `/v2/devices/${victim.uuid}/subscriptions`, { headers: as(victim.uuid) }),
    http('subscribing another device to your messages', `/v2/devices/${victim.uuid}/subscriptions/${mallory.uuid}/message.received`, { method: 'POST', headers: basic(mallory.uuid, mallory.token) }),
    http('deleting another device\'s subscriptions', `/v2/devices/${victim.uuid}/subscriptions`, { method: 'DELETE', headers: basic(mallory.uuid, mallory.token), body: '{}' }),
    http('sending a message as another without message.as', '/messages', { method: 'POST', headers: as(friend.uuid), body: JSON.stringify({ devices: [victim.uuid] }) }),
    http('broadcasting as another without broadcast.as', '/messages', { method: 'POST', headers: as(friend.uuid), body: JSON.stringify({ devices: ['*'] }) }),
    http('authenticating with a revoked session token', '/authenticate', { method: 'POST', headers: basic(revoked.uuid, revokedSession.token) }),
    http('authenticating with a root token that was reset', '/authenticate', { method: 'POST', headers: basic(reset.uuid, reset.token) }),
    http('authenticating with another device\'s token', '/authenticate', { method: 'POST', headers: basic(victim.uuid, mallory.token) }),
    http('using the v2 API with no credentials', '/v2/whoami', {}),
    http('using a bearer token that is not base64 uuid:token', '/v2/whoami', { headers: { authorization: 'Bearer ' + mallory.token } }),
    http('claiming a v2 device that does not list you', `/claimdevice/${victim.uuid}`, { method: 'POST', headers: basic(mallory.uuid, mallory.token) }, async s => refusedStatus(s) && (await service.bus.registry.get(victim.uuid))?.owner === undefined),
    {
      name: 'searching devices finds none you may not discover',
      attempt: async () => {
        const response = await fetch(`${url}/search/devices`, { method: 'POST', headers: basic(mallory.uuid, mallory.token), body: JSON.stringify({ uuid: victim.uuid }) })
        return response.status === 200 && (await response.json() as unknown[]).length === 0
      },
    },
    {
      name: 'messaging a device whose message.from does not list you (HTTP)',
      attempt: async () => !(await deliveredTo(friend, async () => { await httpStatus(`${url}/messages`, { method: 'POST', headers: basic(mallory.uuid, mallory.token), body: JSON.stringify({ devices: [friend.uuid], text: 'spam' }) }) })),
    },
    {
      name: 'messaging a device whose message.from does not list you (MQTT)',
      attempt: async () => {
        const attacker = await connectDevice(service.mqttPort, mallory.uuid, mallory.token)
        try { return !(await deliveredTo(friend, async () => { await attacker.client.publishAsync('message', JSON.stringify({ devices: [friend.uuid] }), { qos: 1 }) })) } finally { await attacker.end() }
      },
    },
    {
      name: 'publishing straight to another device\'s topic',
      attempt: async () => {
        const attacker = await connectDevice(service.mqttPort, mallory.uuid, mallory.token)
        try {
          const delivered = await deliveredTo(friend, async () => { await attacker.client.publishAsync(friend.uuid, JSON.stringify({ topic: 'message', data: { forged: true } }), { qos: 1 }) })
          return !delivered
        } finally { await attacker.end() }
      },
    },
    {
      name: 'publishing to another device\'s broadcast channel',
      attempt: async () => {
        const attacker = await connectDevice(service.mqttPort, mallory.uuid, mallory.token)
        try {
          const watcher = await connectDevice(service.mqttPort, friend.uuid, friend.token, { subscribe: false })
          await watcher.client.subscribeAsync(`${victim.uuid}/broadcast`, { qos: 1 }).catch(() => undefined)
          await attacker.client.publishAsync(`${victim.uuid}/broadcast`, JSON.stringify({ topic: 'message', data: { forged: true } }), { qos: 1 })
          const none = await watcher.nothingWithin(150)
          await watcher.end()
          return none
        } finally { await attacker.end() }
      },
    },
    ...['#', '+', `${victim.uuid}`, `${victim.uuid}/broadcast`, '$SYS/#'].map((topic): Attack => ({
      name: `subscribing to ${topic.startsWith(victim.uuid) ? topic.replace(victim.uuid, 'another device') : topic} without rights`,
      attempt: async () => {
        const attacker = await connectDevice(service.mqttPort, mallory.uuid, mallory.token, { subscribe: false })
        try {
          // mqtt.js rejects a SUBACK of 0x80; a granted one resolves.
          const granted = await attacker.client.subscribeAsync(topic, { qos: 1 }).catch(() => [{ qos: 128 }])
          return granted.every(g => g.qos === 128)
        } finally { await attacker.end() }
      },
    })),
    ...[['a revoked session token', revoked.uuid, revokedSession.token], ['a reset root token', reset.uuid, reset.token], ['a wrong password', victim.uuid, 'x'.repeat(40)], ['an unknown uuid', '00000000-0000-4000-8000-000000000000', 'x']].map(([label, uuid, token]): Attack => ({
      name: `connecting over MQTT with ${label}`,
      attempt: async () => {
        try { const device = await connectDevice(service.mqttPort, uuid, token); await device.end(); return false } catch { return true }
      },
    })),
    {
      name: 'updating another device over MQTT',
      attempt: async () => {
        const attacker = await connectDevice(service.mqttPort, mallory.uuid, mallory.token)
        try {
          const reply = await attacker.request('update', { uuid: victim.uuid, hacked: true })
          return reply.topic === 'error' && victimUnchanged()
        } finally { await attacker.end() }
      },
    },
  ]
}
