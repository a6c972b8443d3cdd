// The Cryppo serialized-string grammar (meeco-vault §1.2), dispatched on the number of dot-separated parts:
// 3 = `<Strategy>.<data>.<artifacts>`, 5 = the same plus `.<Kdf>.<kdf artifacts>`, 4 = `Sign.<Strategy>.<signature>.<data>`.
import { BadRequest } from '../errors.js'
import { decodeBase64Url, encodeBase64Url } from './base64url.js'
import {
  decodeDerivationArtifacts, decodeEncryptionArtifacts, encodeDerivationArtifacts, encodeEncryptionArtifacts,
  type DerivationArtifacts, type EncryptionArtifacts,
} from './cryppo-artifacts.js'

export interface EncryptedValue {
  strategy: string
  data: Buffer
  artifacts: EncryptionArtifacts
}

export interface DerivedEncryptedValue extends EncryptedValue {
  kdf: string
  kdfArtifacts: DerivationArtifacts
}

export interface SignatureValue {
  strategy: string
  signature: Buffer
  data: Buffer
}

export type CryppoValue =
  | ({ kind: 'encrypted' } & EncryptedValue)
  | ({ kind: 'derived' } & DerivedEncryptedValue)
  | ({ kind: 'signature' } & SignatureValue)

/** `Rsa<bits>`: cryppo-js names the RSA strategy after the key's modulus; Ruby only writes Rsa4096. */
export const RSA_STRATEGY = /^Rsa[1-9][0-9]{2,4}$/
const ENCRYPTION_STRATEGIES = ['Aes256Gcm', 'Aes256Ofb']
const KDF_STRATEGIES = ['Pbkdf2Hmac']
const SIGNATURE_PREFIX = 'Sign'

export function parseCryppo (text: string): CryppoValue {
  const parts = splitParts(text)
  if (hasParts<EncryptedParts>(parts, 3)) return { kind: 'encrypted', ...encryptedFromParts(parts) }
  if (hasParts<SignatureParts>(parts, 4)) return { kind: 'signature', ...signatureFromParts(parts) }
  if (hasParts<DerivedParts>(parts, 5)) return { kind: 'derived', ...derivedFromParts(parts) }
  throw wrongPartCount('a Cryppo serialized string', '3, 4 or 5', parts.length)
}

/** `<Strategy>.<data>.<artifacts>` */
export function parseEncrypted (text: string): EncryptedValue {
  const parts = splitParts(text)
  if (!hasParts<EncryptedParts>(parts, 3)) throw wrongPartCount('an encrypted Cryppo string', '3', parts.length)
  return encryptedFromParts(parts)
}

/** `<Strategy>.<data>.<artifacts>.<Kdf>.<kdf artifacts>` */
export function parseDerivedEncrypted (text: string): DerivedEncryptedValue {
  const parts = splitParts(text)
  if (!hasParts<DerivedParts>(parts, 5)) throw wrongPartCount('a Cryppo string encrypted with a derived key', '5', parts.length)
  return derivedFromParts(parts)
}

/** `Sign.<Strategy>.<signature>.<data>` */
export function parseSignature (text: string): SignatureValue {
  const parts = splitParts(text)
  if (!hasParts<SignatureParts>(parts, 4)) throw wrongPartCount('a Cryppo signature', '4', parts.length)
  return signatureFromParts(parts)
}

export function formatEncrypted (value: EncryptedValue): string {
  return `${value.strategy}.${encodeBase64Url(value.data)}.${encodeEncryptionArtifacts(value.artifacts)}`
}

export function formatDerivedEncrypted (value: DerivedEncryptedValue): string {
  return `${formatEncrypted(value)}.${value.kdf}.${encodeDerivationArtifacts(value.kdfArtifacts)}`
}

export function formatSignature (value: SignatureValue): string {
  return `${SIGNATURE_PREFIX}.${value.strategy}.${encodeBase64Url(value.signature)}.${encodeBase64Url(value.data)}`
}

function splitParts (text: string): string[] {
  if (typeof text !== 'string') throw new BadRequest('a Cryppo serialized value must be a string')
  return text.split('.')
}

type EncryptedParts = [strategy: string, data: string, artifacts: string]
type DerivedParts = [...EncryptedParts, kdf: string, kdfArtifacts: string]
type SignatureParts = [prefix: string, strategy: string, signature: string, data: string]

function hasParts<Parts extends string[]> (parts: string[], count: Parts['length']): parts is Parts {
  return parts.length === count
}

function wrongPartCount (what: string, expected: string, actual: number): BadRequest {
  return new BadRequest(`${what} has ${expected} dot-separated parts, got ${actual}`)
}

// Unknown names are not echoed: a caller may have passed a secret where a Cryppo string belongs.
function encryptedFromParts ([strategy, data, artifacts]: EncryptedParts): EncryptedValue {
  if (!ENCRYPTION_STRATEGIES.includes(strategy) && !RSA_STRATEGY.test(strategy)) {
    throw new BadRequest('unknown Cryppo encryption strategy (expected Aes256Gcm, Aes256Ofb or Rsa<bits>)')
  }
  return {
    strategy,
    data: decodeBase64Url(data, `${strategy} data`),
    artifacts: decodeEncryptionArtifacts(artifacts),
  }
}

function derivedFromParts ([strategy, data, artifacts, kdf, kdfArtifacts]: DerivedParts): DerivedEncryptedValue {
  if (!KDF_STRATEGIES.includes(kdf)) throw new BadRequest('unknown Cryppo key derivation strategy (expected Pbkdf2Hmac)')
  return { ...encryptedFromParts([strategy, data, artifacts]), kdf, kdfArtifacts: decodeDerivationArtifacts(kdfArtifacts) }
}

function signatureFromParts ([prefix, strategy, signature, data]: SignatureParts): SignatureValue {
  if (prefix !== SIGNATURE_PREFIX) throw new BadRequest('a 4-part Cryppo string is a signature and starts with "Sign."')
  if (!RSA_STRATEGY.test(strategy)) throw new BadRequest('unknown Cryppo signature strategy (expected Rsa<bits>)')
  return {
    strategy,
    signature: decodeBase64Url(signature, 'signature'),
    data: decodeBase64Url(data, 'signed data'),
  }
}
