// Fixed-window counters per key (a client address, a key id): at most `limit` events in a window of
// `windowMs` opened by the key's first event. One module for every per-key rate bound (registrations per
// address, failed authentications per address and per API key id). In memory, per process, bounded: a key's window is
// (re)inserted when it opens, so the map is in window order; expired windows are dropped from its front
// as new ones open, and past `maxKeys` the oldest goes (many addresses can make us forget, never grow).
// A leaf module: it imports nothing of ours.

export interface RateWindowOptions {
  /** Most keys held at once (default 100,000: a few MB). */
  maxKeys?: number
  now?: () => number
}

interface Window { count: number, endsAt: number }

export class RateWindow {
  private readonly windows = new Map<string, Window>()
  private readonly maxKeys: number
  private readonly now: () => number

  constructor (readonly limit: number, readonly windowMs: number, options: RateWindowOptions = {}) {
    this.maxKeys = options.maxKeys ?? 100_000
    this.now = options.now ?? Date.now
  }

  /**
   * Counts one event for `key` when the window has room and returns undefined; when it is used up,
   * counts nothing and returns the seconds until it ends (for Retry-After, at least 1).
   */
  take (key: string): number | undefined {
    const now = this.now()
    const window = this.current(key, now)
    if (window !== undefined && window.count >= this.limit) return retryAfter(window, now)
    this.count(key, window, now)
    return undefined
  }

  /** Counts one event without checking (a failure that already happened). */
  hit (key: string): void {
    const now = this.now()
    this.count(key, this.current(key, now), now)
  }

  /** Seconds until the key's window ends when it is used up; undefined when an event may go ahead. */
  blockedFor (key: string): number | undefined {
    const now = this.now()
    const window = this.current(key, now)
    return window !== undefined && window.count >= this.limit ? retryAfter(window, now) : undefined
  }

  /** Keys held now (expired ones may still count until new windows push them out). */
  get size (): number {
    return this.windows.size
  }

  private current (key: string, now: number): Window | undefined {
    const window = this.windows.get(key)
    if (window === undefined || now < window.endsAt) return window
    this.windows.delete(key)
    return undefined
  }

  private count (key: string, window: Window | undefined, now: number): void {
    if (window !== undefined) { window.count += 1; return }
    // the front holds the oldest windows: drop the expired ones, then the oldest while over the cap
    for (const [oldKey, old] of this.windows) {
      if (now < old.endsAt && this.windows.size < this.maxKeys) break
      this.windows.delete(oldKey)
    }
    this.windows.set(key, { count: 1, endsAt: now + this.windowMs })
  }
}

function retryAfter (window: Window, now: number): number {
  return Math.max(1, Math.ceil((window.endsAt - now) / 1000))
}
