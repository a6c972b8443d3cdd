// Share DEKs (meeco-vault §5): a fresh 32-byte key per share (or per push), wrapped to the recipient's
// connection public key as a Cryppo `Rsa<bits>` string (RSA-OAEP SHA-1), unwrapped with their private key.
import { randomBytes } from 'node:crypto'
import { decryptRsaOaep, encryptRsaOaep } from '../crypto/rsa-oaep.js'
import type { VaultOwner } from '../vault/vault-keys.js'

export function newShareKey (): Buffer {
  return randomBytes(32)
}

export function wrapShareKey (recipientPublicKeyPem: string, shareKey: Buffer): string {
  return encryptRsaOaep(recipientPublicKeyPem, shareKey)
}

export function unwrapShareKey (recipient: VaultOwner, share: { keypair_id: string, encrypted_dek: string }): Buffer {
  return decryptRsaOaep(recipient.keys.privateKey(share.keypair_id), share.encrypted_dek)
}
