// Slot values at rest (meeco-vault §3): Cryppo `Aes256Gcm` strings of the UTF-8 value, and value verification:
// a per-slot 64-byte key (vvk), encrypted like the value, and hash = hex HMAC-SHA256(vvk, UTF-8 value).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { decryptAes256Gcm, encryptAes256Gcm } from '../crypto/aes-256-gcm.js'
import { VaultErrors } from './vault-errors.js'

const VERIFICATION_KEY_BYTES = 64

export function encryptSlotValue (key: Buffer, value: string): string {
  return encryptAes256Gcm(key, value)
}

export function decryptSlotValue (key: Buffer, encrypted: string): string {
  return decryptAes256Gcm(key, encrypted).toString('utf8')
}

export function newVerificationKey (): Buffer {
  return randomBytes(VERIFICATION_KEY_BYTES)
}

export function valueVerificationHash (verificationKey: Buffer, value: string): string {
  return createHmac('sha256', verificationKey).update(value, 'utf8').digest('hex')
}

/** Everything stored for one slot value: its ciphertext, encrypted vvk and hash. */
export interface SealedSlotValue {
  encrypted_value: string
  encrypted_value_verification_key: string
  value_verification_hash: string
}

/** An owner's new value: a fresh vvk and its hash, both under the owner's key. */
export function sealOwnSlotValue (key: Buffer, value: string): SealedSlotValue {
  const vvk = newVerificationKey()
  return {
    encrypted_value: encryptSlotValue(key, value),
    encrypted_value_verification_key: encryptAes256Gcm(key, vvk),
    value_verification_hash: valueVerificationHash(vvk, value),
  }
}

/** A plaintext value and vvk as read back from one key. */
export interface OpenSlotValue {
  value: string
  verificationKey: Buffer | null
}

/** A slot row that holds a value; narrows the row itself, so it can be opened without a copy. */
export function hasSealedValue<T extends { encrypted_value: string | null }> (slot: T): slot is T & { encrypted_value: string } {
  return slot.encrypted_value !== null
}

export function openSlotValue (key: Buffer, slot: { encrypted_value: string, encrypted_value_verification_key: string | null }): OpenSlotValue {
  return {
    value: decryptSlotValue(key, slot.encrypted_value),
    verificationKey: slot.encrypted_value_verification_key === null ? null : decryptAes256Gcm(key, slot.encrypted_value_verification_key),
  }
}

/** Re-encrypts an opened value and its vvk under another key (a share DEK); the owner's hash travels unchanged. */
export function resealSlotValue (key: Buffer, open: OpenSlotValue): { encrypted_value: string, encrypted_value_verification_key: string | null } {
  return {
    encrypted_value: encryptSlotValue(key, open.value),
    encrypted_value_verification_key: open.verificationKey === null ? null : encryptAes256Gcm(key, open.verificationKey),
  }
}

/** Readers of shared slots: the owner's hash must match HMAC(vvk, value), else the slot was altered on the way. */
export function verifySlotValue (slotName: string, open: OpenSlotValue, hash: string | null): boolean {
  if (hash === null) return false
  if (open.verificationKey === null) throw VaultErrors.valueVerificationFailed(slotName)
  const expected = Buffer.from(valueVerificationHash(open.verificationKey, open.value), 'hex')
  const actual = Buffer.from(hash, 'hex')
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw VaultErrors.valueVerificationFailed(slotName)
  return true
}
