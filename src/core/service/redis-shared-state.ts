// SharedState (shared-state.ts) on Redis, for cluster mode: every instance counts in the same windows and
// takes from the same values. Each operation is one round trip and atomic on the server: a Lua script for
// the rate windows (INCR and PEXPIRE together, so a window never loses its end), SET NX PX for claims,
// GETDEL for single-use values (Redis 6.2 or later). Keys are prefixed `endo-vault:`; a key longer than
// 200 characters (it may hold a client's string) is stored under its SHA-256 instead.
import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import type { SharedState } from '../shared-state.js'
import { retryAfterSeconds } from '../rate-window.js'
import type { Logger } from '../log.js'

const PREFIX = 'endo-vault:'
const LONGEST_RAW_KEY = 200
/** What the window scripts answer when the event may go ahead; anything else is the window's PTTL. */
const ROOM = -3

// KEYS[1] the window, ARGV[1] the limit, ARGV[2] the window's length in ms
const TAKE = `local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return redis.call('PTTL', KEYS[1]) end
if count == 0 then redis.call('SET', KEYS[1], '1', 'PX', ARGV[2]) else redis.call('INCR', KEYS[1]) end
return ${ROOM}`
// KEYS[1] the window, ARGV[1] the window's length in ms
const HIT = `if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 0`
// KEYS[1] the window, ARGV[1] the limit
const BLOCKED = `local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count < tonumber(ARGV[1]) then return ${ROOM} end
return redis.call('PTTL', KEYS[1])`

/** The Redis key of a caller's key: prefixed, and hashed when long. */
export function redisKeyOf (key: string): string {
  return PREFIX + (key.length > LONGEST_RAW_KEY ? `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}` : key)
}

function waitOf (answer: unknown): number | undefined {
  const pttl = Number(answer)
  return pttl === ROOM ? undefined : retryAfterSeconds(Math.max(0, pttl))
}

export class RedisSharedState implements SharedState {
  constructor (private readonly redis: Redis) {}

  async take (key: string, limit: number, windowMs: number): Promise<number | undefined> {
    return waitOf(await this.redis.eval(TAKE, 1, redisKeyOf(key), limit, Math.ceil(windowMs)))
  }

  async hit (key: string, windowMs: number): Promise<void> {
    await this.redis.eval(HIT, 1, redisKeyOf(key), Math.ceil(windowMs))
  }

  async blockedFor (key: string, limit: number): Promise<number | undefined> {
    return waitOf(await this.redis.eval(BLOCKED, 1, redisKeyOf(key), limit))
  }

  async claimOnce (key: string, ttlMs: number): Promise<boolean> {
    return await this.redis.set(redisKeyOf(key), '1', 'PX', Math.ceil(ttlMs), 'NX') === 'OK'
  }

  async put (key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(redisKeyOf(key), value, 'PX', Math.ceil(ttlMs))
  }

  async takeValue (key: string): Promise<string | undefined> {
    return await this.redis.getdel(redisKeyOf(key)) ?? undefined
  }
}

/** A RedisSharedState on its own connection, and how to close it (service/start-service.ts). */
export function openRedisSharedState (redisUrl: string, logger: Logger): { state: RedisSharedState, close: () => void } {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 })
  redis.on('error', error => { logger.error({ err: error, event: 'redis.error' }, 'redis connection failed') })
  return { state: new RedisSharedState(redis), close: () => { redis.disconnect() } }
}
