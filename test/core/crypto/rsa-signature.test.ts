import forge from 'node-forge'
import { signRsa, verifyRsaSignature } from '../../../src/core/crypto/rsa-signature.js'
import { BadRequest } from '../../../src/core/errors.js'
import { newRsaKeyPair, vectorKeyPair, vectors } from './cryppo-vectors.fixture.js'

const signatureVector = vectors.rsa_signature[0]
const smallPair = newRsaKeyPair()

function b64u (bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

describe('the cryppo-vectors.json signature (meeco-vault §1.5)', () => {
  it('verifies with the public key', () => {
    expect(verifyRsaSignature(vectorKeyPair.publicKeyPem, signatureVector.serialized)).toBe(true)
  })

  it('is reproduced byte for byte, PKCS#1 v1.5 being deterministic', () => {
    expect(signRsa(vectorKeyPair.privateKeyPem, signatureVector.data_utf8)).toBe(signatureVector.serialized)
  })
})

describe('signing', () => {
  it('writes Sign.Rsa<bits>.<signature>.<data> with the data readable inside', () => {
    const serialized = signRsa(smallPair.privateKeyPem, 'hello')
    const [prefix, strategy, , data] = serialized.split('.')
    expect([prefix, strategy]).toEqual(['Sign', 'Rsa2048'])
    expect(Buffer.from(data, 'base64').toString()).toBe('hello')
    expect(verifyRsaSignature(smallPair.publicKeyPem, serialized)).toBe(true)
  })
})

describe('verification', () => {
  it('is false for data changed after signing', () => {
    const [prefix, strategy, signature] = signRsa(smallPair.privateKeyPem, 'hello').split('.')
    expect(verifyRsaSignature(smallPair.publicKeyPem, `${prefix}.${strategy}.${signature}.${b64u(Buffer.from('hellp'))}`)).toBe(false)
  })

  it('is false under another key', () => {
    expect(verifyRsaSignature(smallPair.publicKeyPem, signatureVector.serialized)).toBe(false)
  })

  it('is false for a signature of the wrong length', () => {
    expect(verifyRsaSignature(smallPair.publicKeyPem, 'Sign.Rsa2048.AAAA.AAAA')).toBe(false)
  })

  it.each([
    ['three parts', 'Sign.Rsa4096.AAAA', 'a Cryppo signature has 4 dot-separated parts, got 3'],
    ['a missing Sign prefix', 'Signed.Rsa4096.AAAA.AAAA', 'a 4-part Cryppo string is a signature and starts with "Sign."'],
    ['an unknown strategy', 'Sign.Dsa1024.AAAA.AAAA', 'unknown Cryppo signature strategy (expected Rsa<bits>)'],
  ])('throws a 400 for %s', (_case, serialized, message) => {
    expect(() => verifyRsaSignature(smallPair.publicKeyPem, serialized)).toThrow(BadRequest)
    expect(() => verifyRsaSignature(smallPair.publicKeyPem, serialized)).toThrow(message)
  })
})

describe('interoperability with node-forge', () => {
  it('verifies what forge signs with SHA-256', () => {
    const digest = forge.md.sha256.create()
    digest.update('from forge')
    const signature = Buffer.from(forge.pki.privateKeyFromPem(smallPair.privateKeyPem).sign(digest), 'binary')
    const serialized = `Sign.Rsa2048.${b64u(signature)}.${b64u(Buffer.from('from forge'))}`
    expect(verifyRsaSignature(smallPair.publicKeyPem, serialized)).toBe(true)
  })

  it('signs what forge verifies', () => {
    const [, , signature] = signRsa(smallPair.privateKeyPem, 'to forge').split('.')
    const digest = forge.md.sha256.create()
    digest.update('to forge')
    const publicKey = forge.pki.publicKeyFromPem(smallPair.publicKeyPem)
    expect(publicKey.verify(digest.digest().bytes(), Buffer.from(signature, 'base64').toString('binary'))).toBe(true)
  })
})
