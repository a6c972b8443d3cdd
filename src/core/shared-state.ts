// State that every instance must see alike in cluster mode (issue 20): per-key rate windows (registrations,
// failed authentications), single-use claims and short-lived single-use values (OAuth authorization state).
// Callers name their keys (`registrations:<address>`); an implementation may hash long ones. Two
// implementations: MemorySharedState here (one instance, bounded, the behaviour without REDIS_URL) and
// service/redis-shared-state.ts (cluster mode). A leaf module: it imports only rate-window.ts.
import { RateWindow, makeRoom } from './rate-window.js'

export interface SharedState {
  /**
   * Fixed window (rate-window.ts): counts one event for `key` when its window of `windowMs` holds fewer than
   * `limit` and resolves undefined; when it is used up, counts nothing and resolves the Retry-After seconds.
   */
  take: (key: string, limit: number, windowMs: number) => Promise<number | undefined>
  /** Counts one event without checking (a failure that already happened); the first opens a window of `windowMs`. */
  hit: (key: string, windowMs: number) => Promise<void>
  /** The Retry-After seconds when the key's window holds `limit` events; undefined when an event may go ahead. */
  blockedFor: (key: string, limit: number) => Promise<number | undefined>
  /** True for the first claim of `key` within `ttlMs` only (nonces, single-use tokens). */
  claimOnce: (key: string, ttlMs: number) => Promise<boolean>
  /** Keeps `value` under `key` for `ttlMs` (replacing what was there). */
  put: (key: string, value: string, ttlMs: number) => Promise<void>
  /** The value under `key`, removed in the same step: of two takers only one gets it. */
  takeValue: (key: string) => Promise<string | undefined>
}

export interface MemorySharedStateOptions {
  /** Most rate windows held at once, and most claims and values (default 100,000 each). */
  maxKeys?: number
  now?: () => number
}

interface Entry { value: string, endsAt: number }

export class MemorySharedState implements SharedState {
  private readonly windows: RateWindow
  private readonly entries = new Map<string, Entry>()
  private readonly maxKeys: number
  private readonly now: () => number

  constructor (options: MemorySharedStateOptions = {}) {
    this.maxKeys = options.maxKeys ?? 100_000
    this.now = options.now ?? Date.now
    this.windows = new RateWindow({ maxKeys: this.maxKeys, now: this.now })
  }

  async take (key: string, limit: number, windowMs: number): Promise<number | undefined> {
    return this.windows.take(key, limit, windowMs)
  }

  async hit (key: string, windowMs: number): Promise<void> {
    this.windows.hit(key, windowMs)
  }

  async blockedFor (key: string, limit: number): Promise<number | undefined> {
    return this.windows.blockedFor(key, limit)
  }

  async claimOnce (key: string, ttlMs: number): Promise<boolean> {
    if (this.live(key) !== undefined) return false
    this.set(key, '', ttlMs)
    return true
  }

  async put (key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.delete(key) // re-inserted at the back, in expiry order
    this.set(key, value, ttlMs)
  }

  async takeValue (key: string): Promise<string | undefined> {
    const entry = this.live(key)
    this.entries.delete(key)
    return entry?.value
  }

  /** Rate windows and entries held now (expired ones may still count until new ones push them out). */
  get size (): number {
    return this.windows.size + this.entries.size
  }

  private live (key: string): Entry | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined || this.now() < entry.endsAt) return entry
    this.entries.delete(key)
    return undefined
  }

  private set (key: string, value: string, ttlMs: number): void {
    const now = this.now()
    makeRoom(this.entries, now, this.maxKeys)
    this.entries.set(key, { value, endsAt: now + ttlMs })
  }
}
