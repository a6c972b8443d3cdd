// The shared-state contract (issue 20), run alike on the in-memory implementation and on a real redis-server
// (skipped when redis-server is not installed): fixed rate windows, single-use claims and values.
import { Redis } from 'ioredis'
import { MemorySharedState, type SharedState } from '../../src/core/shared-state.js'
import { RedisSharedState } from '../../src/core/service/redis-shared-state.js'
import { hasRedisServer, startRedisServer, type RedisServer } from '../support/redis-server.js'

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
const MINUTE = 60_000

interface Implementation { name: string, open: () => Promise<SharedState>, close: () => Promise<void> }

const memory: Implementation = { name: 'in memory', open: async () => new MemorySharedState(), close: async () => {} }

let server: RedisServer | undefined
let connections: Redis[] = []
const redis: Implementation = {
  name: 'on redis-server',
  async open () {
    server ??= await startRedisServer()
    const connection = new Redis(server.url)
    connections.push(connection)
    return new RedisSharedState(connection)
  },
  async close () {
    for (const connection of connections) connection.disconnect()
    connections = []
    await server?.stop()
    server = undefined
  },
}

const implementations = hasRedisServer() ? [memory, redis] : [memory]
if (!hasRedisServer()) it.skip('runs on redis-server (not installed)', () => {})

describe.each(implementations)('shared state $name', ({ open, close }) => {
  let state: SharedState
  let n = 0
  /** A key no other case used (the Redis server lives for the whole suite). */
  const key = (name: string): string => `test:${++n}:${name}`
  beforeAll(async () => { state = await open() })
  afterAll(close)

  describe('a rate window', () => {
    it('lets `limit` events through, then answers the seconds until the window ends and counts nothing', async () => {
      const address = key('address')
      for (let i = 0; i < 3; i++) expect(await state.take(address, 3, MINUTE)).toBeUndefined()
      expect(await state.take(address, 3, MINUTE)).toBe(60)
      expect(await state.blockedFor(address, 3)).toBe(60)
      // a higher limit over the same window: only the three taken events count
      expect(await state.take(address, 4, MINUTE)).toBeUndefined()
      expect(await state.take(address, 4, MINUTE)).toBe(60)
    })

    it('ends `windowMs` after its first event, and the next event opens a new one', async () => {
      const address = key('address')
      expect(await state.take(address, 1, 300)).toBeUndefined()
      expect(await state.take(address, 1, 300)).toBe(1)
      await sleep(350)
      expect(await state.blockedFor(address, 1)).toBeUndefined()
      expect(await state.take(address, 1, 300)).toBeUndefined()
      expect(await state.take(address, 1, 300)).toBe(1)
    })

    it('counts hits without checking; blockedFor only reads', async () => {
      const address = key('address')
      expect(await state.blockedFor(address, 2)).toBeUndefined()
      await state.hit(address, MINUTE)
      expect(await state.blockedFor(address, 2)).toBeUndefined()
      expect(await state.blockedFor(address, 2)).toBeUndefined()
      await state.hit(address, MINUTE)
      await state.hit(address, MINUTE)
      expect(await state.blockedFor(address, 2)).toBe(60)
      expect(await state.blockedFor(address, 4)).toBeUndefined()
    })

    it('keeps keys apart, however long', async () => {
      const long = key('x'.repeat(5000))
      await state.hit(`${long}a`, MINUTE)
      expect(await state.blockedFor(`${long}a`, 1)).toBe(60)
      expect(await state.blockedFor(`${long}b`, 1)).toBeUndefined()
      expect(await state.blockedFor(key('other'), 1)).toBeUndefined()
    })

    it('lets exactly `limit` of many concurrent events through', async () => {
      const address = key('address')
      const answers = await Promise.all(Array.from({ length: 20 }, async () => await state.take(address, 5, MINUTE)))
      expect(answers.filter(wait => wait === undefined)).toHaveLength(5)
    })
  })

  describe('a claim', () => {
    it('is granted to the first claimant only, until its time is up', async () => {
      const nonce = key('nonce')
      const claims = await Promise.all(Array.from({ length: 10 }, async () => await state.claimOnce(nonce, 300)))
      expect(claims.filter(Boolean)).toHaveLength(1)
      expect(await state.claimOnce(nonce, 300)).toBe(false)
      await sleep(350)
      expect(await state.claimOnce(nonce, 300)).toBe(true)
    })
  })

  describe('a value', () => {
    it('is taken once, by one of many takers', async () => {
      const handle = key('state')
      await state.put(handle, '{"verifier":"v"}', MINUTE)
      const taken = await Promise.all(Array.from({ length: 10 }, async () => await state.takeValue(handle)))
      expect(taken.filter(value => value !== undefined)).toEqual(['{"verifier":"v"}'])
      expect(await state.takeValue(handle)).toBeUndefined()
    })

    it('is replaced by a second put, and gone when its time is up', async () => {
      const handle = key('x'.repeat(1000))
      await state.put(handle, 'first', 300)
      await state.put(handle, 'second', 300)
      await sleep(350)
      expect(await state.takeValue(handle)).toBeUndefined()
      await state.put(handle, 'third', MINUTE)
      expect(await state.takeValue(handle)).toBe('third')
    })

    it('is undefined under a key never put', async () => {
      expect(await state.takeValue(key('nothing'))).toBeUndefined()
    })
  })
})

describe('the in-memory shared state', () => {
  it('holds at most maxKeys windows and maxKeys values, forgetting the oldest first', async () => {
    let now = 0
    const state = new MemorySharedState({ maxKeys: 100, now: () => now })
    for (let i = 0; i < 10_000; i++) {
      await state.hit(`address:${i}`, MINUTE)
      await state.put(`state:${i}`, 'v', MINUTE)
      now += 1
    }
    expect(state.size).toBeLessThanOrEqual(200)
    expect(await state.takeValue('state:0')).toBeUndefined()
    expect(await state.takeValue('state:9999')).toBe('v')
    expect(await state.blockedFor('address:9999', 1)).toBe(60)
  })
})

const describeOnRedis = hasRedisServer() ? describe : describe.skip

describeOnRedis('the Redis shared state', () => {
  it('stores every key under endo-vault:, a long client string as its SHA-256, each with an expiry', async () => {
    const started = await startRedisServer()
    const connection = new Redis(started.url)
    try {
      const state = new RedisSharedState(connection)
      await state.hit('auth-failures:10.0.0.1', MINUTE)
      await state.put(`oauth-state:${'s'.repeat(10_000)}`, 'v', MINUTE)
      await state.claimOnce('nonce:n', MINUTE)
      const keys = await connection.keys('*')
      expect(keys.sort()).toEqual(['endo-vault:auth-failures:10.0.0.1', 'endo-vault:nonce:n', expect.stringMatching(/^endo-vault:sha256:[0-9a-f]{64}$/)])
      for (const stored of keys) {
        expect(stored.length).toBeLessThanOrEqual('endo-vault:'.length + 200)
        expect(await connection.pttl(stored)).toBeGreaterThan(MINUTE - 5000)
      }
    } finally {
      connection.disconnect()
      await started.stop()
    }
  })
})
