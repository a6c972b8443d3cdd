// Rate limiting of API-token authentication (intercoop-auroral B6: AURORAL had none): failed attempts are
// counted per key id and per client address in a one-minute window opened by the first failure; once
// either count reaches `authAttemptsPerMinute`, every attempt with that key or from that address is
// refused with 429 and Retry-After until the window ends, even with the right secret (else guessing
// could go on). The windows live in the shared state: in memory, bounded (rate-window.ts), or in Redis in
// cluster mode, so attempts on every instance count together.
import { MemorySharedState, type SharedState } from '../shared-state.js'

const WINDOW_MS = 60_000
const BY_KEY = 'api-token-failures:key:'
const BY_ADDRESS = 'api-token-failures:address:'

export class AuthAttemptLimiter {
  /** Without a shared state: this instance's own, holding as many windows as a key and an address map each did. */
  constructor (private readonly attemptsPerWindow: number, private readonly state: SharedState = new MemorySharedState({ maxKeys: 200_000 })) {}

  /** Seconds to wait when the key or the address is blocked; undefined when the attempt may go ahead. */
  async retryAfterSeconds (keyid: string, address: string | undefined): Promise<number | undefined> {
    const waits = (await Promise.all([
      this.state.blockedFor(BY_KEY + keyid, this.attemptsPerWindow),
      address === undefined ? undefined : this.state.blockedFor(BY_ADDRESS + address, this.attemptsPerWindow),
    ])).filter((seconds): seconds is number => seconds !== undefined)
    return waits.length === 0 ? undefined : Math.max(...waits)
  }

  async recordFailure (keyid: string, address: string | undefined): Promise<void> {
    await Promise.all([
      this.state.hit(BY_KEY + keyid, WINDOW_MS),
      address === undefined ? undefined : this.state.hit(BY_ADDRESS + address, WINDOW_MS),
    ])
  }
}
