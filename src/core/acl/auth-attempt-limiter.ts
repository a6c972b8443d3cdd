// Rate limiting of API-token authentication (intercoop-auroral B6: AURORAL had none): failed attempts are
// counted per key id and per client address in a one-minute window opened by the first failure; once
// either count reaches `authAttemptsPerMinute`, every attempt with that key or from that address is
// refused with 429 and Retry-After until the window ends, even with the right secret (else guessing
// could go on). In memory, per instance, bounded (rate-window.ts).
import { RateWindow } from '../rate-window.js'

const WINDOW_MS = 60_000

export class AuthAttemptLimiter {
  private readonly byKey: RateWindow
  private readonly byAddress: RateWindow

  constructor (attemptsPerWindow: number, now: () => number = Date.now) {
    this.byKey = new RateWindow(attemptsPerWindow, WINDOW_MS, { now })
    this.byAddress = new RateWindow(attemptsPerWindow, WINDOW_MS, { now })
  }

  /** Seconds to wait when the key or the address is blocked; undefined when the attempt may go ahead. */
  retryAfterSeconds (keyid: string, address: string | undefined): number | undefined {
    const waits = [this.byKey.blockedFor(keyid), address === undefined ? undefined : this.byAddress.blockedFor(address)]
      .filter((seconds): seconds is number => seconds !== undefined)
    return waits.length === 0 ? undefined : Math.max(...waits)
  }

  recordFailure (keyid: string, address: string | undefined): void {
    this.byKey.hit(keyid)
    if (address !== undefined) this.byAddress.hit(address)
  }
}
