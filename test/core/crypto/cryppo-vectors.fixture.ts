// The Cryppo test vectors (copied from shared/vectors/cryppo-vectors.json, produced with @meeco/cryppo 2.0.2
// and Ruby Cryppo's spec/compat.json) and the RSA keys the suites share.
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'

interface AesVector {
  format: 'latest_version' | 'legacy'
  key_hex: string
  iv_hex: string
  plaintext_utf8: string
  serialized: string
  artifacts: { encoding: string, bsonHex?: string }
}

interface CryppoVectors {
  aes256gcm_with_key: AesVector[]
  aes256gcm_with_derived_key: Array<{
    passphrase: string
    salt_hex: string
    iterations: number
    derived_key_hex: string
    plaintext_utf8: string
    iv_hex: string
    serialized: string
    serialized_with_legacy_yaml_derivation_part: string
    derivation_artifacts: { bsonHex: string }
  }>
  rsa4096_oaep: Array<{
    public_key_pem: string
    private_key_pem: string
    plaintext_hex: string
    serialized: string
    serialized_legacy_artifacts_part: string
  }>
  rsa_signature: Array<{ data_utf8: string, serialized: string }>
  ruby_interop: Array<{ key_b64url?: string, passphrase?: string, serialized: string, expected_plaintext_utf8: string }>
}

export const vectors = JSON.parse(
  readFileSync(new URL('./cryppo-vectors.json', import.meta.url), 'utf8')
) as CryppoVectors

/** The 4096-bit pair of the RSA vectors (node-forge PEMs: PKCS#1 private key, `\r\n` line ends). */
export const vectorKeyPair = {
  publicKeyPem: vectors.rsa4096_oaep[0].public_key_pem,
  privateKeyPem: vectors.rsa4096_oaep[0].private_key_pem,
}

/** A fresh 2048-bit pair in the PEM formats cryppo-js writes (SPKI public, PKCS#1 private). */
export function newRsaKeyPair (): { publicKeyPem: string, privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  })
  return { publicKeyPem: publicKey, privateKeyPem: privateKey }
}

/** The decoded artifact bytes of the last dot-separated part of a Cryppo string, for byte-level assertions. */
export function lastPartBytes (serialized: string): Buffer {
  return Buffer.from(serialized.split('.').at(-1) ?? '', 'base64')
}
