// Both directions against @meeco/cryppo 2.0.2 itself (CJS, forge-based; it loads under jest ESM with no browser globals).
import { randomBytes } from 'node:crypto'
import cryppo from '@meeco/cryppo'
import { EncodingVersions } from '@meeco/cryppo/dist/src/encoding-versions.js'
import { SerializationFormat } from '@meeco/cryppo/dist/src/serialization-versions.js'
import { decryptAes256Gcm, encryptAes256Gcm } from '../../../src/core/crypto/aes-256-gcm.js'
import { decryptWithPassphrase, encryptWithPassphrase } from '../../../src/core/crypto/pbkdf2.js'
import { decryptRsaOaep, encryptRsaOaep } from '../../../src/core/crypto/rsa-oaep.js'
import { signRsa, verifyRsaSignature } from '../../../src/core/crypto/rsa-signature.js'
import { newRsaKeyPair } from './cryppo-vectors.fixture.js'

const pair = newRsaKeyPair()
const text = 'Licence plate ABC-123 ✓ 日本'

describe('Aes256Gcm with a key', () => {
  const keyBytes = randomBytes(32)
  const key = cryppo.EncryptionKey.fromBytes(new Uint8Array(keyBytes))

  it('decrypts what cryppo-js encrypts', async () => {
    const { serialized } = await cryppo.encryptWithKey({ key, data: cryppo.utf8ToBytes(text), strategy: cryppo.CipherStrategy.AES_GCM })
    expect(decryptAes256Gcm(keyBytes, String(serialized)).toString('utf8')).toBe(text)
  })

  it('decrypts what cryppo-js encrypts with legacy YAML artifacts', async () => {
    const { serialized } = await cryppo.encryptWithKey(
      { key, data: cryppo.utf8ToBytes(text), strategy: cryppo.CipherStrategy.AES_GCM }, SerializationFormat.legacy)
    expect(Buffer.from(String(serialized).split('.')[2], 'base64').toString()).toMatch(/^---\n/)
    expect(decryptAes256Gcm(keyBytes, String(serialized)).toString('utf8')).toBe(text)
  })

  it('encrypts what cryppo-js decrypts', async () => {
    const decrypted = await cryppo.decryptWithKey({ key, serialized: encryptAes256Gcm(keyBytes, text) })
    expect(cryppo.bytesToUtf8(decrypted as Uint8Array)).toBe(text)
  })

  it('reads the key cryppo-js serializes (b64url with padding)', () => {
    expect(Buffer.from(key.serialize, 'base64')).toEqual(keyBytes)
  })
})

describe('Aes256Gcm with a passphrase-derived key (Pbkdf2Hmac)', () => {
  it('decrypts what cryppo-js encrypts', async () => {
    const { serialized } = await cryppo.encryptWithKeyDerivedFromString({
      passphrase: 'pässwörd ✓', data: cryppo.utf8ToBytes(text), strategy: cryppo.CipherStrategy.AES_GCM,
    })
    expect((await decryptWithPassphrase('pässwörd ✓', String(serialized))).toString('utf8')).toBe(text)
  })

  it('encrypts what cryppo-js decrypts', async () => {
    const serialized = await encryptWithPassphrase('pässwörd ✓', text)
    const decrypted = await cryppo.decryptWithKeyDerivedFromString({ serialized, passphrase: 'pässwörd ✓' })
    expect(cryppo.bytesToUtf8(decrypted as Uint8Array)).toBe(text)
  })

  it('decrypts what old cryppo-js derived from a Latin-1 passphrase without UTF-8 encoding it', async () => {
    const options = cryppo.DerivedKeyOptions.randomFromOptions({ minIterations: 1000, iterationVariance: 0, length: 32 })
    const legacyKey = await options.deriveKey('pässwörd', EncodingVersions.legacy)
    const { serialized } = await cryppo.encryptWithKey({ key: legacyKey, data: cryppo.utf8ToBytes(text), strategy: cryppo.CipherStrategy.AES_GCM })
    expect((await decryptWithPassphrase('pässwörd', `${String(serialized)}.${options.serialize()}`)).toString('utf8')).toBe(text)
  })
})

describe('Rsa<bits> (RSA-OAEP SHA-1)', () => {
  it('decrypts what cryppo-js encrypts', async () => {
    const dataKey = randomBytes(32)
    const { serialized } = await cryppo.encryptWithPublicKey({ publicKeyPem: pair.publicKeyPem, data: dataKey.toString('binary') })
    expect(serialized).toMatch(/^Rsa2048\./)
    expect(decryptRsaOaep(pair.privateKeyPem, serialized)).toEqual(dataKey)
  })

  it('encrypts what cryppo-js decrypts', async () => {
    const dataKey = randomBytes(32)
    const decrypted = await cryppo.decryptSerializedWithPrivateKey({ privateKeyPem: pair.privateKeyPem, serialized: encryptRsaOaep(pair.publicKeyPem, dataKey) })
    expect(Buffer.from(decrypted, 'binary')).toEqual(dataKey)
  })

  it('uses the keys cryppo-js generates', async () => {
    const generated = await cryppo.generateRSAKeyPair(2048)
    const { serialized } = await cryppo.encryptWithPublicKey({ publicKeyPem: generated.publicKey, data: 'hi' })
    expect(decryptRsaOaep(generated.privateKey, serialized).toString()).toBe('hi')
  })
})

describe('Sign.Rsa<bits>', () => {
  it('verifies what cryppo-js signs', () => {
    const { serialized } = cryppo.signWithPrivateKey(pair.privateKeyPem, cryppo.utf8ToBytes(text))
    expect(verifyRsaSignature(pair.publicKeyPem, serialized)).toBe(true)
  })

  it('signs what cryppo-js verifies, with the same serialized form', () => {
    const serialized = signRsa(pair.privateKeyPem, text)
    expect(serialized).toBe(cryppo.signWithPrivateKey(pair.privateKeyPem, cryppo.utf8ToBytes(text)).serialized)
    expect(cryppo.verifyWithPublicKey(pair.publicKeyPem, cryppo.loadRsaSignature(serialized))).toBe(true)
  })
})
