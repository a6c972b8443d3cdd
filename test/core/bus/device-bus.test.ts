// meshblu-endo §1.5–§1.6 at the bus facade: rules that are easiest to see without sockets.
import { Forbidden } from '../../../src/core/errors.js'
import { openMemoryBus, type MemoryBus } from '../../support/memory-bus.js'

let memory: MemoryBus
beforeEach(async () => { memory = await openMemoryBus() })
afterEach(async () => { await memory.close() })

describe('concurrent updates of one device', () => {
  it('are applied one after another, so no $inc or $push is lost', async () => {
    const uuid = await memory.device()
    await Promise.all(Array.from({ length: 25 }, (_, i) => memory.bus.update({ uuid }, uuid, { $inc: { count: 1 }, $push: { seen: i } })))
    const device = (await memory.bus.registry.get(uuid))!
    expect(device.count).toBe(25)
    expect([...(device.seen as number[])].sort((x, y) => x - y)).toEqual(Array.from({ length: 25 }, (_, i) => i))
  })

  it('keep going after one of them is refused', async () => {
    const uuid = await memory.device()
    const results = await Promise.allSettled([
      memory.bus.update({ uuid }, uuid, { $inc: { count: 1 } }),
      memory.bus.update({ uuid }, uuid, { $set: { bad: null } }),
      memory.bus.update({ uuid }, uuid, { $inc: { count: 1 } }),
    ])
    expect(results.map(r => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((await memory.bus.registry.get(uuid))!.count).toBe(2)
  })

  it('answer findAndUpdate with the document as it was just before its own change', async () => {
    const uuid = await memory.device()
    const befores = await Promise.all([1, 2, 3].map(() => memory.bus.findAndUpdate({ uuid }, uuid, { $inc: { count: 1 } })))
    expect(befores.map(b => b.count ?? 0).sort()).toEqual([0, 1, 2])
  })
})

describe('meshblu-endo §1.6: sending as X', () => {
  it('a broadcast needs broadcast.as on X', async () => {
    const a = await memory.device()
    const x = await memory.device({ 'message.as': [a] })
    await expect((async () => { await memory.bus.sendMessage({ uuid: a, as: x }, { devices: ['*'] }) })()).rejects.toThrow(Forbidden)
  })

  it('a message to both \'*\' and a device needs both broadcast.as and message.as on X', async () => {
    const a = await memory.device()
    const t = await memory.device({ 'message.from': ['*'] })
    const onlyBroadcast = await memory.device({ 'broadcast.as': [a] })
    const seen = memory.deliveriesTo(t)
    await expect((async () => { await memory.bus.sendMessage({ uuid: a, as: onlyBroadcast }, { devices: ['*', t] }) })()).rejects.toThrow(Forbidden)
    const both = await memory.device({ 'broadcast.as': [a], 'message.as': [a] })
    await memory.bus.sendMessage({ uuid: a, as: both }, { devices: ['*', t] })
    expect(seen.map(d => d.fromUuid)).toEqual([both])
  })
})

describe('meshblu-endo §1.7: revoking tokens by query', () => {
  it('removes the matching session tokens but never the root token, even when the query matches every record', async () => {
    const { device, token: root } = await memory.bus.register({})
    const d = device.uuid
    const kept = await memory.bus.createSessionToken({ uuid: d }, d, { tag: 'keep' })
    const dropped = await memory.bus.createSessionToken({ uuid: d }, d, { tag: 'drop' })
    await memory.bus.revokeTokensByQuery({ uuid: d }, d, { tag: 'drop' })
    expect([await memory.bus.authenticate(d, kept.token), await memory.bus.authenticate(d, dropped.token)]).toEqual([true, false])
    await memory.bus.revokeTokensByQuery({ uuid: d }, d, { uuid: d })
    expect([await memory.bus.authenticate(d, root), await memory.bus.authenticate(d, kept.token)]).toEqual([true, false])
  })
})

describe('meshblu-endo §2.1: unregistering a device', () => {
  it('removes its tokens and every subscription where it is subscriber or emitter', async () => {
    const [d, other] = [await memory.device(), await memory.device()]
    const { token } = await memory.bus.createSessionToken({ uuid: d }, d, {})
    await memory.bus.createSubscription({ uuid: d }, { subscriberUuid: d, emitterUuid: other, type: 'broadcast.sent' })
    await memory.bus.createSubscription({ uuid: other }, { subscriberUuid: other, emitterUuid: d, type: 'message.sent' })
    await memory.bus.unregister({ uuid: d }, d)
    expect(await memory.bus.authenticate(d, token)).toBe(false)
    expect(await memory.bus.subscriptions.list(other)).toEqual([])
    expect(await memory.bus.subscriptions.list(d)).toEqual([])
    expect((await memory.bus.registry.get(d))).toBeUndefined()
  })

  it('twice at once unregisters it once; the second is refused', async () => {
    const d = await memory.device()
    const results = await Promise.allSettled([memory.bus.unregister({ uuid: d }, d), memory.bus.unregister({ uuid: d }, d)])
    expect(results.map(r => r.status)).toEqual(['fulfilled', 'rejected'])
  })
})
