import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto'
import { encryptRsaOaep } from '../../../src/core/crypto/rsa-oaep.js'
import { ServiceKeyring, serviceKeyId } from '../../../src/core/crypto/service-keyring.js'
import { BadRequest, Unprocessable } from '../../../src/core/errors.js'
import { newRsaKeyPair, vectorKeyPair } from './cryppo-vectors.fixture.js'

const oldPair = newRsaKeyPair()
const newPair = newRsaKeyPair()

function spkiKeyId (publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(der).digest('hex').slice(0, 16)
}

describe('key ids', () => {
  it('are the first 16 hex characters of SHA-256 over the SPKI DER', () => {
    expect(serviceKeyId(vectorKeyPair.publicKeyPem)).toBe(spkiKeyId(vectorKeyPair.publicKeyPem))
    expect(serviceKeyId(vectorKeyPair.publicKeyPem)).toMatch(/^[0-9a-f]{16}$/)
  })

  it('do not depend on how the key is written (PKCS#1, PKCS#8, \\r\\n lines, base64 of the PEM)', () => {
    const pkcs8 = createPrivateKey(oldPair.privateKeyPem).export({ type: 'pkcs8', format: 'pem' }).toString()
    const crlf = oldPair.privateKeyPem.replace(/\n/g, '\r\n')
    const base64 = Buffer.from(oldPair.privateKeyPem).toString('base64')
    const expected = spkiKeyId(oldPair.publicKeyPem)
    for (const form of [oldPair.privateKeyPem, pkcs8, crlf, base64]) expect(new ServiceKeyring(form).current.keyId).toBe(expected)
  })
})

describe('a keyring with a current and an older key', () => {
  const keyring = new ServiceKeyring(newPair.privateKeyPem, { older: [oldPair.privateKeyPem] })

  it('lists the current key id first', () => {
    expect(keyring.keyIds).toEqual([spkiKeyId(newPair.publicKeyPem), spkiKeyId(oldPair.publicKeyPem)])
  })

  it('finds each key by id', () => {
    expect(keyring.find(spkiKeyId(oldPair.publicKeyPem))?.keyId).toBe(spkiKeyId(oldPair.publicKeyPem))
    expect(keyring.find('0000000000000000')).toBeUndefined()
  })

  it('wraps with the current key', () => {
    const { keyId, wrappedKey } = keyring.wrapDataKey(randomBytes(32))
    expect(keyId).toBe(keyring.current.keyId)
    expect(wrappedKey).toMatch(/^Rsa2048\./)
  })

  it('unwraps what an older key wrapped', () => {
    const dataKey = randomBytes(32)
    const { keyId, wrappedKey } = new ServiceKeyring(oldPair.privateKeyPem).wrapDataKey(dataKey)
    expect(keyring.unwrapDataKey(keyId, wrappedKey)).toEqual(dataKey)
  })

  it('lists a repeated older key once', () => {
    expect(new ServiceKeyring(newPair.privateKeyPem, { older: [newPair.privateKeyPem, oldPair.privateKeyPem, oldPair.privateKeyPem] }).keyIds).toHaveLength(2)
  })
})

describe('unwrapping', () => {
  it('costs one RSA decryption, then comes from the cache', () => {
    const dataKey = randomBytes(32)
    const { keyId, wrappedKey } = new ServiceKeyring(oldPair.privateKeyPem).wrapDataKey(dataKey)
    const keyring = new ServiceKeyring(oldPair.privateKeyPem)
    expect(keyring.unwrapDataKey(keyId, wrappedKey)).toEqual(dataKey)
    expect(keyring.unwrapDataKey(keyId, wrappedKey)).toEqual(dataKey)
    expect(keyring.stats).toEqual({ rsaUnwraps: 1, cacheHits: 1 })
  })

  it('hands out copies, so a caller wiping its key does not wipe the cache', () => {
    const keyring = new ServiceKeyring(oldPair.privateKeyPem)
    const dataKey = randomBytes(32)
    const { keyId, wrappedKey } = keyring.wrapDataKey(dataKey)
    keyring.unwrapDataKey(keyId, wrappedKey).fill(0)
    expect(keyring.unwrapDataKey(keyId, wrappedKey)).toEqual(dataKey)
  })

  it('with an unknown key id gives a 422 naming the id', () => {
    const { keyId, wrappedKey } = new ServiceKeyring(newPair.privateKeyPem).wrapDataKey(randomBytes(32))
    const keyring = new ServiceKeyring(oldPair.privateKeyPem)
    expect(() => keyring.unwrapDataKey(keyId, wrappedKey)).toThrow(Unprocessable)
    expect(() => keyring.unwrapDataKey(keyId, wrappedKey)).toThrow(`unknown service key id ${keyId}`)
  })

  it('with a key id that is not 16 hex characters gives a 400', () => {
    expect(() => new ServiceKeyring(oldPair.privateKeyPem).unwrapDataKey('zz', 'Rsa2048.AAAA.QQUAAAAA')).toThrow(BadRequest)
  })

  it('of a wrapped value that is not a 32-byte key gives a 422', () => {
    const keyring = new ServiceKeyring(oldPair.privateKeyPem)
    const wrappedKey = encryptRsaOaep(oldPair.publicKeyPem, randomBytes(16))
    expect(() => keyring.unwrapDataKey(keyring.current.keyId, wrappedKey)).toThrow(Unprocessable)
    expect(() => keyring.unwrapDataKey(keyring.current.keyId, wrappedKey)).toThrow('wrapped data key must hold 32 bytes')
  })
})

describe('construction', () => {
  it('refuses a current key that is not a private key PEM, without quoting it', () => {
    expect(() => new ServiceKeyring('s3cret-not-a-key')).toThrow('private key is not a valid RSA PEM')
  })

  it('refuses a public key where a private key is needed', () => {
    expect(() => new ServiceKeyring(createPublicKey(oldPair.publicKeyPem))).toThrow('private key is a public key')
  })
})
