// meshblu-endo §2.2, §2.5: the router's fan-out, its duplicate-hop loop guard and the self-hop rule.
import { hasHop, isSelfHop } from '../../../src/core/bus/route.js'
import type { SubscriptionType } from '../../../src/core/bus/subscriptions.js'
import { openMemoryBus, type MemoryBus } from '../../support/memory-bus.js'

let memory: MemoryBus
beforeEach(async () => { memory = await openMemoryBus() })
afterEach(async () => { await memory.close() })

const received = 'message.received'
const subscribe = async (subscriber: string, emitter: string, type: SubscriptionType = received): Promise<void> => {
  await memory.bus.createSubscription({ uuid: subscriber }, { subscriberUuid: subscriber, emitterUuid: emitter, type })
}
const routeText = (route: ReadonlyArray<{ from: string, to: string }>, names: Record<string, string>): string =>
  route.map(h => `${names[h.from]}→${names[h.to]}`).join(' ')

describe('meshblu-endo §2.2: route helpers', () => {
  it('find a hop only when from, to and type all match', () => {
    const route = [{ from: 'a', to: 'b', type: received }]
    expect(hasHop(route, { from: 'a', to: 'b', type: received })).toBe(true)
    expect(hasHop(route, { from: 'a', to: 'b', type: 'broadcast.received' })).toBe(false)
    expect(hasHop(route, { from: 'b', to: 'a', type: received })).toBe(false)
  })

  it('call a hop a self-hop only when from equals to and the type matches', () => {
    expect(isSelfHop({ from: 'a', to: 'a', type: received }, received)).toBe(true)
    expect(isSelfHop({ from: 'a', to: 'a', type: 'message.sent' }, received)).toBe(false)
    expect(isSelfHop(undefined, received)).toBe(false)
  })
})

describe('meshblu-endo §2.5: the loop guard', () => {
  it('stops a cycle of three devices watching each other, each copy taking a route without repeated hops', async () => {
    const [a, b, c] = [await memory.device(), await memory.device(), await memory.device()]
    const names = { [a]: 'A', [b]: 'B', [c]: 'C' }
    // A watches B, B watches C, C watches A, and each subscribes to itself.
    await memory.bus.update({ uuid: b }, b, { $set: { 'meshblu.whitelists.message': { from: [{ uuid: '*' }], received: [{ uuid: a }] } } })
    await memory.bus.update({ uuid: c }, c, { $set: { 'meshblu.whitelists.message': { received: [{ uuid: b }] } } })
    await memory.bus.update({ uuid: a }, a, { $set: { 'meshblu.whitelists.message': { received: [{ uuid: c }] } } })
    for (const [subscriber, emitter] of [[a, b], [b, c], [c, a], [a, a], [b, b], [c, c]]) await subscribe(subscriber, emitter)
    const seen = { A: memory.deliveriesTo(a), B: memory.deliveriesTo(b), C: memory.deliveriesTo(c) }
    const sender = await memory.device()
    names[sender] = 'S'

    await memory.bus.sendMessage({ uuid: sender }, { devices: [b] })

    expect(seen.B.map(d => routeText(d.route, names))).toEqual(['S→B B→B', 'S→B B→A A→C C→B B→B'])
    expect(seen.A.map(d => routeText(d.route, names))).toEqual(['S→B B→A A→A'])
    expect(seen.C.map(d => routeText(d.route, names))).toEqual(['S→B B→A A→C C→C'])
    for (const delivery of [...seen.A, ...seen.B, ...seen.C]) {
      const hops = delivery.route.map(h => `${h.from}|${h.to}|${h.type}`)
      expect(new Set(hops).size).toBe(hops.length)
    }
  })

  it('lets a device with a self-subscription get a message once, not once per self-hop', async () => {
    const b = await memory.device({ 'message.from': ['*'] })
    await subscribe(b, b)
    const seen = memory.deliveriesTo(b)
    await memory.bus.sendMessage({ uuid: await memory.device() }, { devices: [b] })
    expect(seen).toHaveLength(1)
  })

  it('never chains .sent fan-outs: a spy\'s copy does not count as a message sent by the spy', async () => {
    const [s, t] = [await memory.device(), await memory.device()]
    const a = await memory.device({ 'message.sent': [s] })
    await memory.bus.update({ uuid: s }, s, { $set: { 'meshblu.whitelists.message.sent': [{ uuid: t }] } })
    await subscribe(s, a, 'message.sent')
    await subscribe(s, s)
    await subscribe(t, s, 'message.sent')
    await subscribe(t, t)
    const [atSpy, atThird] = [memory.deliveriesTo(s), memory.deliveriesTo(t)]
    await memory.bus.sendMessage({ uuid: a }, { devices: [await memory.device({ 'message.from': ['*'] })] })
    expect(atSpy.map(d => d.route.map(h => h.type))).toEqual([['message.sent', received, received]])
    expect(atThird).toEqual([])
  })
})

describe('meshblu-endo §2.2: publication to listeners', () => {
  it('happens only on the last self-hop: a watcher without its own subscription gets nothing', async () => {
    const n = await memory.device()
    const b = await memory.device({ 'message.from': ['*'], 'message.received': [n] })
    await subscribe(n, b)
    const seen = memory.deliveriesTo(n)
    await memory.bus.sendMessage({ uuid: await memory.device() }, { devices: [b] })
    expect(seen).toEqual([])
  })

  it('survives a listener that throws: the others still get the delivery', async () => {
    const b = await memory.device({ 'message.from': ['*'] })
    memory.bus.router.listen(b, () => { throw new Error('listener bug') })
    const seen = memory.deliveriesTo(b)
    await memory.bus.sendMessage({ uuid: await memory.device() }, { devices: [b] })
    expect(seen).toHaveLength(1)
  })

  it('carries the sender as fromUuid and the payload as sent', async () => {
    const [a, b] = [await memory.device(), await memory.device({ 'message.from': ['*'] })]
    const seen = memory.deliveriesTo(b)
    await memory.bus.sendMessage({ uuid: a }, { devices: b, text: 'hi' })
    expect(seen.map(d => [d.type, d.fromUuid, d.payload])).toEqual([[received, a, { devices: b, text: 'hi', fromUuid: a }]])
  })
})
