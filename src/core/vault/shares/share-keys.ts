// Share DEKs (meeco-vault §5): a fresh 32-byte key per share (or per push), wrapped to the recipient's
// connection public key as a Cryppo `Rsa<bits>` string (RSA-OAEP SHA-1), unwrapped with their private key.
import { randomBytes, type KeyObject } from 'node:crypto'
import { decryptRsaOaep, encryptRsaOaep } from '../../crypto/rsa-oaep.js'
import type { VaultOwner } from '../vault-keys.js'

export function newShareKey (): Buffer {
  return randomBytes(32)
}

export function wrapShareKey (recipientPublicKeyPem: string, shareKey: Buffer): string {
  return encryptRsaOaep(recipientPublicKeyPem, shareKey)
}

// An RSA-4096 OAEP decrypt costs ~4 ms of CPU, and a recipient unwraps the same share DEK on every read of the
// share's copy (GetItem of a received item, ReadIncomingShare). Unwrapped keys are kept per private key object
// (VaultKeys of a person hands out one object per PEM, vault-keys.ts) and per wrapped-key text: OAEP decryption is
// a function of the two, so a hit returns what a decrypt would. The private key is still asked for first, so a
// removed key pair fails as before; a failed decrypt is not kept; a push wraps a new DEK, a new text, a miss.
// Entries go with their key object; at most SHARE_KEYS_KEPT per key, oldest dropped. Callers get a copy.
const SHARE_KEYS_KEPT = 1024
const unwrappedShareKeys = new WeakMap<KeyObject, Map<string, Buffer>>()

export function unwrapShareKey (recipient: VaultOwner, share: { keypair_id: string, encrypted_dek: string }): Buffer {
  const privateKey = recipient.keys.privateKey(share.keypair_id)
  let kept = unwrappedShareKeys.get(privateKey)
  const hit = kept?.get(share.encrypted_dek)
  if (hit !== undefined) return Buffer.from(hit)
  const shareKey = decryptRsaOaep(privateKey, share.encrypted_dek)
  if (kept === undefined) {
    kept = new Map()
    unwrappedShareKeys.set(privateKey, kept)
  }
  kept.set(share.encrypted_dek, Buffer.from(shareKey))
  if (kept.size > SHARE_KEYS_KEPT) kept.delete(kept.keys().next().value as string)
  return shareKey
}
