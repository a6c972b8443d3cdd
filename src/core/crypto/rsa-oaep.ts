// The Cryppo RSA strategy (meeco-vault §1.1): RSA-OAEP with SHA-1 and MGF1-SHA-1, empty label, empty artifacts
// (`QQUAAAAA`), named `Rsa<modulus bits>` as cryppo-js does (`Rsa4096` for the usual 4096-bit keys).
import { constants, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto'
import { BadRequest, Unprocessable } from '../errors.js'
import { clipped } from '../limits.js'
import { formatEncrypted, parseEncrypted, RSA_STRATEGY } from './cryppo-serialized.js'
import { rsaModulusBits, rsaPrivateKey, rsaPublicKey, type RsaKeyInput } from './rsa-key.js'

// OAEP overhead: two SHA-1 digests (20 bytes each) and two marker bytes.
const OAEP_SHA1_OVERHEAD = 42

export function rsaStrategyName (key: KeyObject): string {
  return `Rsa${rsaModulusBits(key)}`
}

/** Largest plaintext one OAEP-SHA1 block holds: k − 42 bytes (470 for 4096 bits). */
export function rsaOaepMaxPlaintext (key: KeyObject): number {
  return rsaModulusBits(key) / 8 - OAEP_SHA1_OVERHEAD
}

export function encryptRsaOaep (publicKey: RsaKeyInput, plaintext: Buffer | string): string {
  const key = rsaPublicKey(publicKey)
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
  const strategy = rsaStrategyName(key)
  const max = rsaOaepMaxPlaintext(key)
  if (data.length > max) throw new BadRequest(`plaintext is too long for ${strategy}: at most ${max} bytes`)
  const ciphertext = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, data)
  return formatEncrypted({ strategy, data: ciphertext, artifacts: {} })
}

/** Decrypts `Rsa<bits>.<ct>.<artifacts>`; like cryppo-js it does not require the name to match the key size. */
export function decryptRsaOaep (privateKey: RsaKeyInput, serialized: string): Buffer {
  const key = rsaPrivateKey(privateKey)
  const { strategy, data } = parseEncrypted(serialized)
  if (!RSA_STRATEGY.test(strategy)) throw new BadRequest(`expected an Rsa<bits> string, got ${clipped(strategy)}`)
  return rsaOaepDecryptBlock(key, data, strategy)
}

/** One raw OAEP-SHA1 block; failures say only that decryption failed. */
export function rsaOaepDecryptBlock (key: KeyObject, block: Buffer, what = 'RSA-OAEP'): Buffer {
  try {
    return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, block)
  } catch {
    throw new Unprocessable(`${what} decryption failed: wrong key, or the data was altered`)
  }
}
