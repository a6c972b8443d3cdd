import {
  formatDerivedEncrypted, formatEncrypted, formatSignature, parseCryppo, parseDerivedEncrypted, parseEncrypted,
  parseSignature,
} from '../../../src/core/crypto/cryppo-serialized.js'
import { BadRequest } from '../../../src/core/errors.js'
import { vectors } from './cryppo-vectors.fixture.js'

const helloVector = vectors.aes256gcm_with_key[0]
const derivedVector = vectors.aes256gcm_with_derived_key[0]
const rsaVector = vectors.rsa4096_oaep[0]
const signatureVector = vectors.rsa_signature[0]

describe('parsing dispatches on the number of parts (meeco-vault §1.2)', () => {
  it('reads 3 parts as an encrypted value', () => {
    const value = parseCryppo(helloVector.serialized)
    expect(value.kind).toBe('encrypted')
    expect(value.strategy).toBe('Aes256Gcm')
    expect(value.data.toString('hex')).toBe('27d856a404f1f738d361bb62feda843d916afe')
  })

  it('reads 5 parts as a value encrypted with a derived key', () => {
    const value = parseCryppo(derivedVector.serialized)
    expect(value.kind).toBe('derived')
    expect(value.kind === 'derived' && value.kdfArtifacts.i).toBe(20000)
  })

  it('reads 4 parts as a signature carrying its data', () => {
    const value = parseCryppo(signatureVector.serialized)
    expect(value.kind).toBe('signature')
    expect(value.data.toString('utf8')).toBe('sign me')
    expect(value.kind === 'signature' && value.signature.length).toBe(512)
  })

  it('reads Rsa<bits> as an encryption strategy', () => {
    expect(parseEncrypted(rsaVector.serialized).strategy).toBe('Rsa4096')
    expect(parseEncrypted('Rsa2048.AAAA.QQUAAAAA').strategy).toBe('Rsa2048')
  })

  it('reads an empty data chunk as no bytes', () => {
    expect(parseEncrypted('Aes256Gcm..QQUAAAAA').data).toEqual(Buffer.alloc(0))
  })
})

describe('formatting', () => {
  it('reproduces cryppo-js strings byte for byte', () => {
    expect(formatEncrypted(parseEncrypted(helloVector.serialized))).toBe(helloVector.serialized)
    expect(formatDerivedEncrypted(parseDerivedEncrypted(derivedVector.serialized))).toBe(derivedVector.serialized)
    expect(formatEncrypted(parseEncrypted(rsaVector.serialized))).toBe(rsaVector.serialized)
    expect(formatSignature(parseSignature(signatureVector.serialized))).toBe(signatureVector.serialized)
  })
})

describe('malformed strings give a 400 saying what is wrong', () => {
  it.each([
    ['two parts', 'Aes256Gcm.AAAA', 'a Cryppo serialized string has 3, 4 or 5 dot-separated parts, got 2'],
    ['six parts', 'a.b.c.d.e.f', 'has 3, 4 or 5 dot-separated parts, got 6'],
    ['an unknown strategy', 'Des56Cbc.AAAA.QQUAAAAA', 'unknown Cryppo encryption strategy (expected Aes256Gcm, Aes256Ofb or Rsa<bits>)'],
    ['an unknown key derivation', 'Aes256Gcm.AAAA.QQUAAAAA.Scrypt.AAAA', 'unknown Cryppo key derivation strategy (expected Pbkdf2Hmac)'],
    ['four parts that are not a signature', 'Aes256Gcm.AAAA.QQUAAAAA.x', 'a 4-part Cryppo string is a signature and starts with "Sign."'],
    ['a signature with an unknown strategy', 'Sign.Ecdsa.AAAA.AAAA', 'unknown Cryppo signature strategy (expected Rsa<bits>)'],
    ['bad base64 in the data', 'Aes256Gcm.AA*A.QQUAAAAA', 'Aes256Gcm data is not valid base64url'],
    ['bad base64 in a signature', 'Sign.Rsa4096.AA*A.AAAA', 'signature is not valid base64url'],
  ])('%s', (_case, text, message) => {
    expect(() => parseCryppo(text)).toThrow(BadRequest)
    expect(() => parseCryppo(text)).toThrow(message)
  })

  it('never echoes an unknown strategy name, which may be a misplaced secret', () => {
    expect(() => parseCryppo('hunter2.AAAA.QQUAAAAA')).toThrow(expect.objectContaining({
      message: expect.not.stringContaining('hunter2'),
    }))
  })

  it('names the expected shape when a specific kind is asked for', () => {
    expect(() => parseEncrypted(derivedVector.serialized)).toThrow('an encrypted Cryppo string has 3 dot-separated parts, got 5')
    expect(() => parseDerivedEncrypted(helloVector.serialized)).toThrow('a Cryppo string encrypted with a derived key has 5 dot-separated parts, got 3')
    expect(() => parseSignature(helloVector.serialized)).toThrow('a Cryppo signature has 4 dot-separated parts, got 3')
  })

  it('rejects a value that is not a string', () => {
    expect(() => parseCryppo(42 as unknown as string)).toThrow('a Cryppo serialized value must be a string')
  })
})
