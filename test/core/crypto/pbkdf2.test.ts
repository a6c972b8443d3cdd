import { createDecipheriv } from 'node:crypto'
import { deserialize, serialize } from 'bson'
import forge from 'node-forge'
import { decryptWithPassphrase, derivePbkdf2Key, encryptWithPassphrase } from '../../../src/core/crypto/pbkdf2.js'
import { BadRequest, Unprocessable } from '../../../src/core/errors.js'
import { vectors } from './cryppo-vectors.fixture.js'

const derivedVector = vectors.aes256gcm_with_derived_key[0]
const salt = Buffer.from(derivedVector.salt_hex, 'hex')

function b64u (bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

function withKdfArtifacts (serialized: string, document: Uint8Array): string {
  return serialized.split('.').slice(0, 4).join('.') + '.' + b64u(Buffer.concat([Buffer.from('K'), document]))
}

describe('the cryppo-vectors.json Pbkdf2Hmac vector (meeco-vault §1.4)', () => {
  it('derives the same key from passphrase, salt and iterations', async () => {
    const { key } = await derivePbkdf2Key(derivedVector.passphrase, { salt, iterations: derivedVector.iterations })
    expect(key.toString('hex')).toBe(derivedVector.derived_key_hex)
  })

  it('is reproduced byte for byte with the fixed salt, iterations and IV', async () => {
    const serialized = await encryptWithPassphrase(derivedVector.passphrase, derivedVector.plaintext_utf8, {
      salt, iterations: derivedVector.iterations, iv: Buffer.from(derivedVector.iv_hex, 'hex'),
    })
    expect(serialized).toBe(derivedVector.serialized)
  })

  it('decrypts with BSON derivation artifacts', async () => {
    const plaintext = await decryptWithPassphrase(derivedVector.passphrase, derivedVector.serialized)
    expect(plaintext.toString('utf8')).toBe(derivedVector.plaintext_utf8)
  })

  it('decrypts with legacy YAML derivation artifacts', async () => {
    const plaintext = await decryptWithPassphrase(derivedVector.passphrase, derivedVector.serialized_with_legacy_yaml_derivation_part)
    expect(plaintext.toString('utf8')).toBe(derivedVector.plaintext_utf8)
  })

  it('decrypts the Ruby-written vector, whose artifacts have no hash', async () => {
    const vector = vectors.ruby_interop[1]
    const plaintext = await decryptWithPassphrase(String(vector.passphrase), vector.serialized)
    expect(plaintext.toString('utf8')).toBe(vector.expected_plaintext_utf8)
  })
})

describe('encryption with a passphrase', () => {
  it('writes a 20-byte random salt, 20000..21999 iterations, length 32 and hash SHA256', async () => {
    const serialized = await encryptWithPassphrase('correct horse', 'payload')
    const parts = serialized.split('.')
    expect(parts).toHaveLength(5)
    expect(parts[3]).toBe('Pbkdf2Hmac')
    const kdf = Buffer.from(parts[4], 'base64')
    expect(kdf[0]).toBe(0x4b)
    const document = deserialize(kdf.subarray(1), { promoteBuffers: true })
    expect(Object.keys(document)).toEqual(['iv', 'i', 'l', 'hash'])
    expect(document.iv).toHaveLength(20)
    expect(document.i).toBeGreaterThanOrEqual(20000)
    expect(document.i).toBeLessThan(22000)
    expect(document.l).toBe(32)
    expect(document.hash).toBe('SHA256')
    expect((await decryptWithPassphrase('correct horse', serialized)).toString()).toBe('payload')
  })

  it('encodes a non-ASCII passphrase as UTF-8', async () => {
    const serialized = await encryptWithPassphrase('pässwörd ✓', 'payload', { iterations: 1000 })
    expect((await decryptWithPassphrase('pässwörd ✓', serialized)).toString()).toBe('payload')
  })
})

describe('decryption failures', () => {
  it('a wrong passphrase gives a 422', async () => {
    await expect(decryptWithPassphrase('wrong', derivedVector.serialized)).rejects.toThrow(Unprocessable)
    await expect(decryptWithPassphrase('wrong', derivedVector.serialized)).rejects.toThrow('Aes256Gcm decryption failed')
  })

  it('a wrong passphrase is never quoted in the error', async () => {
    await expect(decryptWithPassphrase('my-s3cret-guess', derivedVector.serialized)).rejects.toThrow(expect.objectContaining({
      message: expect.not.stringContaining('s3cret'),
    }))
  })

  it('a 3-part string gives a 400', async () => {
    await expect(decryptWithPassphrase('x', vectors.aes256gcm_with_key[0].serialized)).rejects.toThrow(
      'a Cryppo string encrypted with a derived key has 5 dot-separated parts, got 3')
  })

  it('an iteration count beyond the limit gives a 400 before any derivation', async () => {
    const serialized = withKdfArtifacts(derivedVector.serialized, serialize({ iv: salt, i: 2_000_000_000, l: 32 }))
    await expect(decryptWithPassphrase('x', serialized)).rejects.toThrow(BadRequest)
    await expect(decryptWithPassphrase('x', serialized)).rejects.toThrow('Pbkdf2Hmac iterations must be 1..5000000')
  })

  it('a hash other than SHA256 gives a 400', async () => {
    const serialized = withKdfArtifacts(derivedVector.serialized, serialize({ iv: salt, i: 20000, l: 32, hash: 'SHA1' }))
    await expect(decryptWithPassphrase('x', serialized)).rejects.toThrow('Pbkdf2Hmac supports only the SHA256 hash')
  })

  it('a key length other than 32 gives a 400', async () => {
    const serialized = withKdfArtifacts(derivedVector.serialized, serialize({ iv: salt, i: 20000, l: 16 }))
    await expect(decryptWithPassphrase('x', serialized)).rejects.toThrow('Pbkdf2Hmac key length must be 32 for Aes256Gcm')
  })
})

describe('interoperability with node-forge', () => {
  it('forge derives the same key from the vector', () => {
    const key = forge.pkcs5.pbkdf2(derivedVector.passphrase, salt.toString('binary'), 20000, 32, forge.md.sha256.create())
    expect(Buffer.from(key, 'binary').toString('hex')).toBe(derivedVector.derived_key_hex)
  })

  it('what we encrypt decrypts with a forge-derived key', async () => {
    const serialized = await encryptWithPassphrase('forge pass', 'payload', { iterations: 1000 })
    const [, data, artifacts, , kdfArtifacts] = serialized.split('.')
    const kdf = deserialize(Buffer.from(kdfArtifacts, 'base64').subarray(1), { promoteBuffers: true })
    const key = forge.pkcs5.pbkdf2('forge pass', Buffer.from(kdf.iv).toString('binary'), kdf.i, kdf.l, forge.md.sha256.create())
    const { iv, at } = deserialize(Buffer.from(artifacts, 'base64').subarray(1), { promoteBuffers: true })
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'binary'), iv)
    decipher.setAAD(Buffer.from('none'))
    decipher.setAuthTag(at)
    const plaintext = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()])
    expect(plaintext.toString()).toBe('payload')
  })
})
