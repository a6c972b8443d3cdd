// Failed authentications per client address (issue 17), one counter for every interface: MQTT CONNECT
// (TCP and WebSocket) and HTTP Meshblu credentials. A one-minute window opens at an address's first
// failure; once it holds `failuresPerWindow`, every attempt from there is refused until the window ends,
// even with good credentials (else guessing would go on between refusals). The windows live in the
// shared state: in memory, bounded by limits.authFailureAddressesTracked, or in Redis in cluster mode, so
// failures on any instance count against the address on all of them.
import type { SharedState } from '../shared-state.js'
import { addressKey } from '../client-address.js'

const WINDOW_MS = 60_000
const KEY_PREFIX = 'auth-failures:'

export class AuthFailureLimiter {
  constructor (private readonly failuresPerWindow: number, private readonly state: SharedState) {}

  /** Seconds until the address may try again, or undefined when it may try now. */
  async retryAfterSeconds (address: string | undefined): Promise<number | undefined> {
    return address === undefined ? undefined : await this.state.blockedFor(KEY_PREFIX + addressKey(address), this.failuresPerWindow)
  }

  async recordFailure (address: string | undefined): Promise<void> {
    if (address !== undefined) await this.state.hit(KEY_PREFIX + addressKey(address), WINDOW_MS)
  }
}
