// The failed-authentication limiter (intercoop-auroral B6 "rate limiting on /auth"), on a fake clock.
import { AuthAttemptLimiter } from '../../../src/core/acl/auth-attempt-limiter.js'
import { MemorySharedState } from '../../../src/core/shared-state.js'

describe('the auth attempt limiter', () => {
  let now = 1_000_000
  const limiter = (): AuthAttemptLimiter => new AuthAttemptLimiter(3, new MemorySharedState({ now: () => now }))
  beforeEach(() => { now = 1_000_000 })

  it('lets attempts through until a key has failed the configured number of times', async () => {
    const limits = limiter()
    for (let i = 0; i < 2; i++) await limits.recordFailure('key', `10.0.0.${i}`)
    expect(await limits.retryAfterSeconds('key', '10.0.0.9')).toBeUndefined()
    await limits.recordFailure('key', '10.0.0.3')
    expect(await limits.retryAfterSeconds('key', '10.0.0.9')).toBe(60)
  })

  it('blocks an address that failed with many keys, whatever key it tries next', async () => {
    const limits = limiter()
    for (const key of ['a', 'b', 'c']) await limits.recordFailure(key, '10.0.0.1')
    expect(await limits.retryAfterSeconds('d', '10.0.0.1')).toBe(60)
    expect(await limits.retryAfterSeconds('d', '10.0.0.2')).toBeUndefined()
  })

  it('counts down Retry-After and lifts the block when the minute is over', async () => {
    const limits = limiter()
    for (let i = 0; i < 3; i++) await limits.recordFailure('key', undefined)
    now += 45_500
    expect(await limits.retryAfterSeconds('key', undefined)).toBe(15)
    now += 14_500
    expect(await limits.retryAfterSeconds('key', undefined)).toBeUndefined()
    await limits.recordFailure('key', undefined)
    expect(await limits.retryAfterSeconds('key', undefined)).toBeUndefined()
  })

  it('answers at least one second while blocked', async () => {
    const limits = limiter()
    for (let i = 0; i < 3; i++) await limits.recordFailure('key', undefined)
    now += 59_999
    expect(await limits.retryAfterSeconds('key', undefined)).toBe(1)
  })
})
