// Fixed-window counters per key (a client address, a key id): at most `limit` events in a window of
// `windowMs` opened by the key's first event. The in-memory half of every per-key rate bound
// (shared-state.ts; registrations per address, failed authentications per address and per API key id).
// Bounded: a key's window is (re)inserted when it opens, so the map is in window order (callers use one
// window length per key); expired windows are dropped from its front as new ones open, and past `maxKeys`
// the oldest goes (many addresses can make us forget, never grow). A leaf module: it imports nothing of ours.

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

  constructor (options: RateWindowOptions = {}) {
    this.maxKeys = options.maxKeys ?? 100_000
    this.now = options.now ?? Date.now
  }

  /**
   * Counts one event for `key` when its window holds fewer than `limit` and returns undefined; when it is
   * used up, counts nothing and returns the seconds until it ends (for Retry-After, at least 1).
   */
  take (key: string, limit: number, windowMs: number): number | undefined {
    const now = this.now()
    const window = this.current(key, now)
    if (window !== undefined && window.count >= limit) return retryAfter(window, now)
    this.count(key, window, now, windowMs)
    return undefined
  }

  /** Counts one event without checking (a failure that already happened). */
  hit (key: string, windowMs: number): void {
    const now = this.now()
    this.count(key, this.current(key, now), now, windowMs)
  }

  /** Seconds until the key's window ends when it holds `limit` events; undefined when an event may go ahead. */
  blockedFor (key: string, limit: number): number | undefined {
    const now = this.now()
    const window = this.current(key, now)
    return window !== undefined && window.count >= limit ? retryAfter(window, now) : undefined
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

  private count (key: string, window: Window | undefined, now: number, windowMs: number): void {
    if (window !== undefined) { window.count += 1; return }
    makeRoom(this.windows, now, this.maxKeys)
    this.windows.set(key, { count: 1, endsAt: now + windowMs })
  }
}

/**
 * Before inserting into a map kept in insertion order, which is expiry order: drops the expired entries
 * from its front, then the oldest while it holds `maxKeys` or more.
 */
export function makeRoom (entries: Map<string, { endsAt: number }>, now: number, maxKeys: number): void {
  for (const [key, entry] of entries) {
    if (now < entry.endsAt && entries.size < maxKeys) break
    entries.delete(key)
  }
}

/** A window's remaining time as Retry-After seconds: at least 1 (0 would invite a retry at once). */
export function retryAfterSeconds (remainingMs: number): number {
  return Math.max(1, Math.ceil(remainingMs / 1000))
}

function retryAfter (window: Window, now: number): number {
  return retryAfterSeconds(window.endsAt - now)
}
