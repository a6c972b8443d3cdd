// The service-key envelope that holds a credentials device's secrets (DESIGN.md "Service-key envelope"):
// JSON under AES-256-GCM with a random data key, the data key wrapped (Rsa4096) with the service key it names.
// Opening costs one AES-GCM decrypt once the keyring has the data key cached; rotation re-wraps, never re-encrypts.
import { BadRequest, Unprocessable } from '../errors.js'
import { encryptAes256Gcm, openAes256Gcm } from './aes-256-gcm.js'
import { parseEncrypted, type EncryptedValue } from './cryppo-serialized.js'
import type { ServiceKeyring } from './service-keyring.js'

export interface CredentialsEnvelope {
  version: 1
  /** Which service key wrapped the data key (see serviceKeyId). */
  keyId: string
  /** `Rsa<bits>.…` — the data key, RSA-OAEP encrypted to that service key. */
  wrappedKey: string
  /** `Aes256Gcm.…` — the credentials JSON under the data key. */
  ciphertext: string
}

export function sealCredentials (plain: object, keyring: ServiceKeyring): CredentialsEnvelope {
  const json = credentialsJson(plain)
  const { dataKey, keyId, wrappedKey } = keyring.newDataKey()
  try {
    return { version: 1, keyId, wrappedKey, ciphertext: encryptAes256Gcm(dataKey, json) }
  } finally {
    dataKey.fill(0)
  }
}

// Parsed ciphertexts of frozen envelopes (device documents are deep-frozen and replaced on update, never
// mutated), so a job does not re-decode the Cryppo string and its BSON artifacts on every open.
const parsedCiphertexts = new WeakMap<CredentialsEnvelope, EncryptedValue>()

function parsedCiphertextOf (envelope: CredentialsEnvelope): EncryptedValue {
  let parsed = parsedCiphertexts.get(envelope)
  if (parsed === undefined) {
    parsed = parseEncrypted(envelope.ciphertext)
    if (Object.isFrozen(envelope)) parsedCiphertexts.set(envelope, parsed)
  }
  return parsed
}

export function openCredentials<T extends object = Record<string, unknown>> (envelope: CredentialsEnvelope, keyring: ServiceKeyring): T {
  return parseCredentials<T>(decryptCredentials(envelope, keyring))
}

/** The envelope's plaintext: AES-GCM checks it is the ciphertext that was sealed (422 when altered). */
export function decryptCredentials (envelope: CredentialsEnvelope, keyring: ServiceKeyring): Buffer {
  const { keyId, wrappedKey } = checkEnvelope(envelope)
  const dataKey = keyring.unwrapDataKey(keyId, wrappedKey)
  try {
    return openAes256Gcm(dataKey, parsedCiphertextOf(envelope))
  } catch (error) {
    throw error instanceof Unprocessable ? new Unprocessable('credentials envelope could not be decrypted: its ciphertext was altered') : error
  } finally {
    dataKey.fill(0)
  }
}

/** The JSON object a decrypted envelope holds; the plaintext bytes are zeroed once parsed. */
export function parseCredentials<T extends object = Record<string, unknown>> (plaintext: Buffer): T {
  let plain: unknown
  try {
    plain = JSON.parse(plaintext.toString('utf8'))
  } catch {
    throw new Unprocessable('credentials envelope does not hold JSON')
  } finally {
    plaintext.fill(0)
  }
  if (plain === null || typeof plain !== 'object') throw new Unprocessable('credentials envelope does not hold a JSON object')
  return plain as T
}

/** New contents under the same data key and wrapping: an update costs no RSA operation. */
export function resealCredentials (envelope: CredentialsEnvelope, plain: object, keyring: ServiceKeyring): CredentialsEnvelope {
  const { keyId, wrappedKey } = checkEnvelope(envelope)
  const json = credentialsJson(plain)
  const dataKey = keyring.unwrapDataKey(keyId, wrappedKey)
  try {
    return { version: 1, keyId, wrappedKey, ciphertext: encryptAes256Gcm(dataKey, json) }
  } finally {
    dataKey.fill(0)
  }
}

/**
 * Key rotation: unwraps with the key the envelope names and wraps with the keyring's current key; the ciphertext
 * is kept byte for byte. An envelope already on the current key comes back unchanged.
 */
export function rewrapEnvelope (envelope: CredentialsEnvelope, keyring: ServiceKeyring): CredentialsEnvelope {
  const { keyId, wrappedKey, ciphertext } = checkEnvelope(envelope)
  if (keyId === keyring.current.keyId) return { version: 1, keyId, wrappedKey, ciphertext }
  const dataKey = keyring.unwrapDataKey(keyId, wrappedKey)
  try {
    return { version: 1, ...keyring.wrapDataKey(dataKey), ciphertext }
  } finally {
    dataKey.fill(0)
  }
}

export function isCredentialsEnvelope (value: unknown): value is CredentialsEnvelope {
  if (value === null || typeof value !== 'object') return false
  const { version, keyId, wrappedKey, ciphertext } = value as Record<string, unknown>
  return version === 1 && typeof keyId === 'string' && typeof wrappedKey === 'string' && typeof ciphertext === 'string'
}

function checkEnvelope (envelope: unknown): CredentialsEnvelope {
  if (envelope === null || typeof envelope !== 'object') throw new BadRequest('credentials envelope must be an object')
  if ((envelope as { version?: unknown }).version !== 1) throw new BadRequest('credentials envelope version must be 1')
  if (!isCredentialsEnvelope(envelope)) {
    throw new BadRequest('credentials envelope must hold keyId, wrappedKey and ciphertext strings')
  }
  return envelope
}

function credentialsJson (plain: object): string {
  if (plain === null || typeof plain !== 'object') throw new BadRequest('credentials must be a JSON object')
  return JSON.stringify(plain)
}
