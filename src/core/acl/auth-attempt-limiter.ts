// Rate limiting of API-token authentication (intercoop-auroral B6: AURORAL had none): failed attempts are
// counted per key id and per client address in a one-minute window opened by the first failure; once
// either count reaches `authAttemptsPerMinute`, every attempt with that key or from that address is
// refused with 429 and Retry-After until the window ends, even with the right secret (else guessing
// could go on). In memory, per instance; expired windows are pruned so the maps stay small.

const WINDOW_MS = 60_000
const PRUNE_ABOVE = 10_000

interface Window { failures: number, endsAt: number }

export class AuthAttemptLimiter {
  private readonly byKey = new Map<string, Window>()
  private readonly byAddress = new Map<string, Window>()

  constructor (private readonly attemptsPerWindow: number, private readonly now: () => number = Date.now) {}

  /** Seconds to wait when the key or the address is blocked; undefined when the attempt may go ahead. */
  retryAfterSeconds (keyid: string, address: string | undefined): number | undefined {
    const now = this.now()
    const waits = [this.blockedFor(this.byKey, keyid, now), address === undefined ? undefined : this.blockedFor(this.byAddress, address, now)]
      .filter((ms): ms is number => ms !== undefined)
    return waits.length === 0 ? undefined : Math.max(1, Math.ceil(Math.max(...waits) / 1000))
  }

  recordFailure (keyid: string, address: string | undefined): void {
    const now = this.now()
    this.count(this.byKey, keyid, now)
    if (address !== undefined) this.count(this.byAddress, address, now)
  }

  private blockedFor (windows: Map<string, Window>, id: string, now: number): number | undefined {
    const window = windows.get(id)
    if (window === undefined) return undefined
    if (now >= window.endsAt) { windows.delete(id); return undefined }
    return window.failures >= this.attemptsPerWindow ? window.endsAt - now : undefined
  }

  private count (windows: Map<string, Window>, id: string, now: number): void {
    const window = windows.get(id)
    if (window !== undefined && now < window.endsAt) { window.failures += 1; return }
    if (windows.size >= PRUNE_ABOVE) for (const [key, old] of windows) if (now >= old.endsAt) windows.delete(key)
    if (windows.size >= 10 * PRUNE_ABOVE) windows.delete(windows.keys().next().value as string) // the oldest window
    windows.set(id, { failures: 1, endsAt: now + WINDOW_MS })
  }
}
