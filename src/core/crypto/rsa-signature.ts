// Cryppo signatures (meeco-vault §1.5): `Sign.Rsa<bits>.<b64u signature>.<b64u data>`, RSASSA-PKCS1-v1_5 with SHA-256
// over the raw data. The signed data travels inside the string.
import { constants, sign, verify } from 'node:crypto'
import { formatSignature, parseSignature } from './cryppo-serialized.js'
import { rsaPrivateKey, rsaPublicKey, type RsaKeyInput } from './rsa-key.js'
import { rsaStrategyName } from './rsa-oaep.js'

export function signRsa (privateKey: RsaKeyInput, data: Buffer | string): string {
  const key = rsaPrivateKey(privateKey)
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const signature = sign('sha256', bytes, { key, padding: constants.RSA_PKCS1_PADDING })
  return formatSignature({ strategy: rsaStrategyName(key), signature, data: bytes })
}

/** True when the signature is valid for the data it carries; a malformed string throws a BadRequest. */
export function verifyRsaSignature (publicKey: RsaKeyInput, serialized: string): boolean {
  const key = rsaPublicKey(publicKey)
  const { signature, data } = parseSignature(serialized)
  try {
    return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature)
  } catch {
    return false
  }
}
