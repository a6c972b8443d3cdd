// A bounded LRU of unwrapped credentials data keys, so opening an envelope costs one AES-GCM decrypt, not an RSA
// operation. Entries are found by SHA-256 of (key id, wrapped key): only public ciphertext identifies an entry,
// callers get copies, and evicted keys are zeroed.
import { createHash } from 'node:crypto'
import { LRUCache } from 'lru-cache'

export const DEFAULT_DATA_KEY_CACHE_SIZE = 10_000

export class DataKeyCache {
  private readonly entries: LRUCache<string, Buffer>

  constructor (maxEntries = DEFAULT_DATA_KEY_CACHE_SIZE) {
    this.entries = new LRUCache<string, Buffer>({
      max: Math.max(1, maxEntries),
      dispose: (dataKey) => { dataKey.fill(0) },
    })
  }

  get size (): number {
    return this.entries.size
  }

  get (keyId: string, wrappedKey: string): Buffer | undefined {
    const dataKey = this.entries.get(entryName(keyId, wrappedKey))
    return dataKey === undefined ? undefined : Buffer.from(dataKey)
  }

  set (keyId: string, wrappedKey: string, dataKey: Buffer): void {
    this.entries.set(entryName(keyId, wrappedKey), Buffer.from(dataKey))
  }

  clear (): void {
    this.entries.clear()
  }
}

function entryName (keyId: string, wrappedKey: string): string {
  return createHash('sha256').update(keyId).update('\0').update(wrappedKey).digest('base64')
}
