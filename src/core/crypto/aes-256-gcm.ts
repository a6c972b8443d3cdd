// The Cryppo `Aes256Gcm` strategy (meeco-vault §1.1): 32-byte key, 12-byte random IV, 16-byte tag, AAD from the
// `ad` artifact (always the ASCII bytes `none` when written), serialized as `Aes256Gcm.<ct>.<A+BSON artifacts>`.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { BadRequest, Unprocessable } from '../errors.js'
import { clipped } from '../limits.js'
import { formatEncrypted, parseEncrypted, type EncryptedValue } from './cryppo-serialized.js'

export const AES_256_GCM = 'Aes256Gcm'
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
const ASSOCIATED_DATA = 'none'
const ASSOCIATED_DATA_BYTES = Buffer.from(ASSOCIATED_DATA, 'utf8')

export function encryptAes256Gcm (key: Buffer, plaintext: Buffer | string, iv?: Buffer): string {
  return formatEncrypted(sealAes256Gcm(key, plaintext, iv))
}

export function decryptAes256Gcm (key: Buffer, serialized: string): Buffer {
  return openAes256Gcm(key, parseEncrypted(serialized))
}

/** Encrypts to the parsed form; `iv` is for reproducible vectors only, never reuse one with the same key. */
export function sealAes256Gcm (key: Buffer, plaintext: Buffer | string, iv: Buffer = randomBytes(IV_BYTES)): EncryptedValue {
  checkKey(key)
  if (iv.length !== IV_BYTES) throw new BadRequest(`${AES_256_GCM} IV must be ${IV_BYTES} bytes`)
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(ASSOCIATED_DATA_BYTES)
  const data = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()])
  return { strategy: AES_256_GCM, data, artifacts: { iv, at: cipher.getAuthTag(), ad: ASSOCIATED_DATA } }
}

export function openAes256Gcm (key: Buffer, value: EncryptedValue): Buffer {
  checkKey(key)
  if (value.strategy !== AES_256_GCM) throw new BadRequest(`expected an ${AES_256_GCM} string, got ${clipped(value.strategy)}`)
  const { iv, at, ad } = value.artifacts
  if (iv === undefined || iv.length === 0) throw new BadRequest(`${AES_256_GCM} artifacts lack the IV (iv)`)
  if (at === undefined || at.length !== TAG_BYTES) {
    throw new BadRequest(`${AES_256_GCM} artifacts lack a ${TAG_BYTES}-byte authentication tag (at)`)
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
  // Readers honour `ad` as written (cryppo-js and Ruby both do); absent means no associated data.
  if (ad !== undefined) decipher.setAAD(ad === ASSOCIATED_DATA ? ASSOCIATED_DATA_BYTES : Buffer.from(ad, 'utf8'))
  decipher.setAuthTag(at)
  try {
    // GCM is a stream mode: update() returns all the plaintext, final() only checks the tag.
    const plaintext = decipher.update(value.data)
    decipher.final()
    return plaintext
  } catch {
    throw new Unprocessable(`${AES_256_GCM} decryption failed: wrong key, or the data was altered`)
  }
}

function checkKey (key: Buffer): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new BadRequest(`${AES_256_GCM} key must be ${KEY_BYTES} bytes`)
  }
}
