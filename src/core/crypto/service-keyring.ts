// The service's RSA keys: the current key wraps new data keys; older keys still unwrap what they wrapped
// (rotation). A key id is the first 16 hex chars of SHA-256 over the public key's SPKI DER.
import { createHash, randomBytes, type KeyObject } from 'node:crypto'
import { BadRequest, Unprocessable } from '../errors.js'
import { DataKeyCache } from './data-key-cache.js'
import { rsaPrivateKey, rsaPublicKey, type RsaKeyInput } from './rsa-key.js'
import { encryptRsaOaep, decryptRsaOaep } from './rsa-oaep.js'

export interface ServiceKey {
  keyId: string
  publicKey: KeyObject
  privateKey: KeyObject
}

export interface ServiceKeyringOptions {
  /** Private keys of earlier rotations, still able to unwrap what they wrapped. */
  older?: RsaKeyInput[]
  /** Unwrapped data keys kept in memory (default 10 000). */
  dataKeyCacheSize?: number
}

/** Counters a caller can watch: how many envelope opens paid for an RSA decryption. */
export interface ServiceKeyringStats {
  rsaUnwraps: number
  cacheHits: number
}

export const DATA_KEY_BYTES = 32
const KEY_ID = /^[0-9a-f]{16}$/

export function serviceKeyId (key: RsaKeyInput): string {
  const der = rsaPublicKey(key).export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(der).digest('hex').slice(0, 16)
}

export class ServiceKeyring {
  readonly current: ServiceKey
  readonly stats: ServiceKeyringStats = { rsaUnwraps: 0, cacheHits: 0 }
  private readonly byId = new Map<string, ServiceKey>()
  private readonly dataKeys: DataKeyCache

  /** `current` and `older` are private keys: PEM (PKCS#1 or PKCS#8), base64 of a PEM, or KeyObjects. */
  constructor (current: RsaKeyInput, options: ServiceKeyringOptions = {}) {
    this.current = serviceKey(current)
    this.byId.set(this.current.keyId, this.current)
    for (const older of options.older ?? []) {
      const key = serviceKey(older)
      if (!this.byId.has(key.keyId)) this.byId.set(key.keyId, key)
    }
    this.dataKeys = new DataKeyCache(options.dataKeyCacheSize)
  }

  get keyIds (): string[] {
    return [...this.byId.keys()]
  }

  find (keyId: string): ServiceKey | undefined {
    return this.byId.get(keyId)
  }

  /** A fresh random data key, wrapped with the current key (and remembered, so its first unwrap is free). */
  newDataKey (): { dataKey: Buffer, keyId: string, wrappedKey: string } {
    const dataKey = randomBytes(DATA_KEY_BYTES)
    return { dataKey, ...this.wrapDataKey(dataKey) }
  }

  wrapDataKey (dataKey: Buffer): { keyId: string, wrappedKey: string } {
    const wrappedKey = encryptRsaOaep(this.current.publicKey, dataKey)
    this.dataKeys.set(this.current.keyId, wrappedKey, dataKey)
    return { keyId: this.current.keyId, wrappedKey }
  }

  /** The data key inside `wrappedKey`, from the cache or by RSA with the key `keyId` names. */
  unwrapDataKey (keyId: string, wrappedKey: string): Buffer {
    if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) throw new BadRequest('service key id must be 16 hex characters')
    const cached = this.dataKeys.get(keyId, wrappedKey)
    if (cached !== undefined) {
      this.stats.cacheHits++
      return cached
    }
    const key = this.byId.get(keyId)
    if (key === undefined) throw new Unprocessable(`unknown service key id ${keyId}`)
    this.stats.rsaUnwraps++
    const dataKey = decryptRsaOaep(key.privateKey, wrappedKey)
    if (dataKey.length !== DATA_KEY_BYTES) throw new Unprocessable(`wrapped data key must hold ${DATA_KEY_BYTES} bytes`)
    this.dataKeys.set(keyId, wrappedKey, dataKey)
    return dataKey
  }

  /** Forgets every unwrapped data key (e.g. after a key is retired). */
  clearDataKeyCache (): void {
    this.dataKeys.clear()
  }
}

function serviceKey (input: RsaKeyInput): ServiceKey {
  const privateKey = rsaPrivateKey(input)
  const publicKey = rsaPublicKey(privateKey)
  return { keyId: serviceKeyId(publicKey), publicKey, privateKey }
}
