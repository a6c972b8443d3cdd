// Failed authentications per client address (issue 17), one counter for every interface: MQTT CONNECT
// (TCP and WebSocket) and HTTP Meshblu credentials. A one-minute window opens at an address's first
// failure; once it holds `failuresPerWindow`, every attempt from there is refused until the window ends,
// even with good credentials (else guessing would go on between refusals). In memory, per instance,
// bounded by `maxAddresses` (rate-window.ts).
import { RateWindow } from '../rate-window.js'
import { addressKey } from '../client-address.js'

const WINDOW_MS = 60_000

export class AuthFailureLimiter {
  private readonly failures: RateWindow

  constructor (failuresPerWindow: number, maxAddresses: number, now: () => number = Date.now) {
    this.failures = new RateWindow(failuresPerWindow, WINDOW_MS, { maxKeys: maxAddresses, now })
  }

  /** Seconds until the address may try again, or undefined when it may try now. */
  retryAfterSeconds (address: string | undefined): number | undefined {
    return address === undefined ? undefined : this.failures.blockedFor(addressKey(address))
  }

  recordFailure (address: string | undefined): void {
    if (address !== undefined) this.failures.hit(addressKey(address))
  }

  /** Addresses with an open window (for tests and metrics). */
  get size (): number {
    return this.failures.size
  }
}
