import { createPrivateKey, randomBytes } from 'node:crypto'
import forge from 'node-forge'
import { decryptRsaOaep, encryptRsaOaep } from '../../../src/core/crypto/rsa-oaep.js'
import { BadRequest, Unprocessable } from '../../../src/core/errors.js'
import { newRsaKeyPair, vectorKeyPair, vectors } from './cryppo-vectors.fixture.js'

const rsaVector = vectors.rsa4096_oaep[0]
const smallPair = newRsaKeyPair()

function b64u (bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

describe('the cryppo-vectors.json Rsa4096 vector', () => {
  it('decrypts to the data key cryppo-js wrapped', () => {
    expect(decryptRsaOaep(vectorKeyPair.privateKeyPem, rsaVector.serialized).toString('hex')).toBe(rsaVector.plaintext_hex)
  })

  it('decrypts with the legacy YAML artifacts too', () => {
    const legacy = rsaVector.serialized.replace(/\.QQUAAAAA$/, `.${rsaVector.serialized_legacy_artifacts_part}`)
    expect(decryptRsaOaep(vectorKeyPair.privateKeyPem, legacy).toString('hex')).toBe(rsaVector.plaintext_hex)
  })
})

describe('encryption (meeco-vault §1.1)', () => {
  it('writes Rsa4096.<ct>.QQUAAAAA for a 4096-bit key, which the private key decrypts', () => {
    const serialized = encryptRsaOaep(vectorKeyPair.publicKeyPem, Buffer.from(rsaVector.plaintext_hex, 'hex'))
    expect(serialized).toMatch(/^Rsa4096\.[A-Za-z0-9_-]+=*\.QQUAAAAA$/)
    expect(Buffer.from(serialized.split('.')[1], 'base64')).toHaveLength(512)
    expect(decryptRsaOaep(vectorKeyPair.privateKeyPem, serialized).toString('hex')).toBe(rsaVector.plaintext_hex)
  })

  it('names the strategy after the modulus, as cryppo-js does', () => {
    expect(encryptRsaOaep(smallPair.publicKeyPem, 'x')).toMatch(/^Rsa2048\./)
  })

  it('accepts a private key or a KeyObject where a public key is needed', () => {
    const fromPrivatePem = encryptRsaOaep(smallPair.privateKeyPem, 'a')
    const fromKeyObject = encryptRsaOaep(createPrivateKey(smallPair.privateKeyPem), 'b')
    expect(decryptRsaOaep(smallPair.privateKeyPem, fromPrivatePem).toString()).toBe('a')
    expect(decryptRsaOaep(smallPair.privateKeyPem, fromKeyObject).toString()).toBe('b')
  })

  it('reads a PEM given as base64, as meshblu.json stores it', () => {
    const wrapped = Buffer.from(smallPair.privateKeyPem).toString('base64')
    expect(decryptRsaOaep(wrapped, encryptRsaOaep(smallPair.publicKeyPem, 'c')).toString()).toBe('c')
  })

  it('refuses plaintext longer than one OAEP block with a 400 giving the limit', () => {
    expect(() => encryptRsaOaep(vectorKeyPair.publicKeyPem, randomBytes(471))).toThrow(BadRequest)
    expect(() => encryptRsaOaep(vectorKeyPair.publicKeyPem, randomBytes(471))).toThrow('plaintext is too long for Rsa4096: at most 470 bytes')
    expect(() => encryptRsaOaep(vectorKeyPair.publicKeyPem, randomBytes(470))).not.toThrow()
  })
})

describe('failures', () => {
  it('ciphertext for another key gives a 422', () => {
    const serialized = encryptRsaOaep(newRsaKeyPair().publicKeyPem, 'x')
    expect(() => decryptRsaOaep(smallPair.privateKeyPem, serialized)).toThrow(Unprocessable)
    expect(() => decryptRsaOaep(smallPair.privateKeyPem, serialized)).toThrow('Rsa2048 decryption failed: wrong key, or the data was altered')
  })

  it('truncated ciphertext gives a 422', () => {
    const [strategy, data, artifacts] = encryptRsaOaep(smallPair.publicKeyPem, 'x').split('.')
    const truncated = b64u(Buffer.from(data, 'base64').subarray(1))
    expect(() => decryptRsaOaep(smallPair.privateKeyPem, `${strategy}.${truncated}.${artifacts}`)).toThrow(Unprocessable)
  })

  it('a string of another strategy gives a 400', () => {
    expect(() => decryptRsaOaep(smallPair.privateKeyPem, vectors.aes256gcm_with_key[0].serialized)).toThrow('expected an Rsa<bits> string, got Aes256Gcm')
  })

  it('a key that is not a PEM gives a 400 that does not quote it', () => {
    expect(() => encryptRsaOaep('not-a-key-s3cret', 'x')).toThrow('public key is not a valid RSA PEM')
    expect(() => decryptRsaOaep('not-a-key-s3cret', rsaVector.serialized)).toThrow(expect.objectContaining({
      message: 'private key is not a valid RSA PEM',
    }))
  })

  it('a non-RSA key gives a 400', () => {
    const ecPem = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\nq9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n-----END PUBLIC KEY-----\n'
    expect(() => encryptRsaOaep(ecPem, 'x')).toThrow('public key is not an RSA key')
  })
})

describe('interoperability with node-forge (OAEP SHA-1, MGF1 SHA-1)', () => {
  it('decrypts what forge encrypts', () => {
    const forgePublic = forge.pki.publicKeyFromPem(smallPair.publicKeyPem)
    const ciphertext = Buffer.from(forgePublic.encrypt('from forge', 'RSA-OAEP'), 'binary')
    expect(decryptRsaOaep(smallPair.privateKeyPem, `Rsa2048.${b64u(ciphertext)}.QQUAAAAA`).toString()).toBe('from forge')
  })

  it('encrypts what forge decrypts', () => {
    const data = Buffer.from(encryptRsaOaep(smallPair.publicKeyPem, 'to forge').split('.')[1], 'base64')
    const forgePrivate = forge.pki.privateKeyFromPem(smallPair.privateKeyPem)
    expect(forgePrivate.decrypt(data.toString('binary'), 'RSA-OAEP')).toBe('to forge')
  })
})
