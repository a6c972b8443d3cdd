// A bounded LRU of unwrapped credentials data keys, so opening an envelope costs one AES-GCM decrypt, not an RSA
// operation. Entries are found by (key id, wrapped key): only public ciphertext identifies an entry,
// callers get copies, and evicted keys are zeroed.
import { LRUCache } from 'lru-cache'

export const DEFAULT_DATA_KEY_CACHE_SIZE = 10_000

export class DataKeyCache {
  // Keyed by the wrapped key string itself: the envelope's string is the same object on every open, and V8
  // caches a string's hash, so a lookup costs no SHA-256 (keys take ~0.35 kB each at RSA-2048: 3.5 MB at 10,000).
  private readonly entries: LRUCache<string, { keyId: string, dataKey: Buffer }>

  constructor (maxEntries = DEFAULT_DATA_KEY_CACHE_SIZE) {
    this.entries = new LRUCache<string, { keyId: string, dataKey: Buffer }>({
      max: Math.max(1, maxEntries),
      dispose: (entry) => { entry.dataKey.fill(0) },
    })
  }

  get size (): number {
    return this.entries.size
  }

  get (keyId: string, wrappedKey: string): Buffer | undefined {
    const entry = this.entries.get(wrappedKey)
    return entry === undefined || entry.keyId !== keyId ? undefined : Buffer.from(entry.dataKey)
  }

  set (keyId: string, wrappedKey: string, dataKey: Buffer): void {
    this.entries.set(wrappedKey, { keyId, dataKey: Buffer.from(dataKey) })
  }

  clear (): void {
    this.entries.clear()
  }
}
