import { randomBytes } from 'node:crypto'
import { deserialize, serialize } from 'bson'
import forge from 'node-forge'
import { decryptAes256Gcm, encryptAes256Gcm } from '../../../src/core/crypto/aes-256-gcm.js'
import { BadRequest, Unprocessable } from '../../../src/core/errors.js'
import { vectors } from './cryppo-vectors.fixture.js'

const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex')

function b64u (bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

describe('the cryppo-vectors.json Aes256Gcm vectors', () => {
  it.each(vectors.aes256gcm_with_key.map((vector) => [vector.format, vector.plaintext_utf8, vector] as const))(
    'decrypt (%s artifacts) to %j', (_format, plaintext, vector) => {
      expect(decryptAes256Gcm(Buffer.from(vector.key_hex, 'hex'), vector.serialized).toString('utf8')).toBe(plaintext)
    })

  it.each(vectors.aes256gcm_with_key.filter((vector) => vector.format === 'latest_version').map((vector) => [vector.plaintext_utf8, vector] as const))(
    'encrypt %j with the fixed IV to the exact cryppo-js string', (plaintext, vector) => {
      const serialized = encryptAes256Gcm(Buffer.from(vector.key_hex, 'hex'), plaintext, Buffer.from(vector.iv_hex, 'hex'))
      expect(serialized).toBe(vector.serialized)
    })

  it('decrypt the Ruby-written vector, whose artifacts are in Ruby field order', () => {
    const vector = vectors.ruby_interop[0]
    const rubyKey = Buffer.from(String(vector.key_b64url), 'base64')
    expect(decryptAes256Gcm(rubyKey, vector.serialized).toString('utf8')).toBe(vector.expected_plaintext_utf8)
  })
})

describe('encryption', () => {
  it('writes Aes256Gcm.<ct>.<artifacts> with a fresh 12-byte IV, a 16-byte tag and ad "none"', () => {
    const serialized = encryptAes256Gcm(key, 'secret')
    const [strategy, , artifacts] = serialized.split('.')
    expect(strategy).toBe('Aes256Gcm')
    const bytes = Buffer.from(artifacts, 'base64')
    expect(bytes[0]).toBe(0x41)
    const document = deserialize(bytes.subarray(1), { promoteBuffers: true })
    expect(Object.keys(document)).toEqual(['iv', 'at', 'ad'])
    expect(document.iv).toHaveLength(12)
    expect(document.at).toHaveLength(16)
    expect(document.ad).toBe('none')
  })

  it('gives a different string each time for the same plaintext', () => {
    const first = encryptAes256Gcm(key, 'secret')
    const second = encryptAes256Gcm(key, 'secret')
    expect(first).not.toBe(second)
    expect(decryptAes256Gcm(key, first).toString()).toBe('secret')
    expect(decryptAes256Gcm(key, second).toString()).toBe('secret')
  })

  it('round-trips binary plaintext', () => {
    const plaintext = randomBytes(1000)
    expect(decryptAes256Gcm(key, encryptAes256Gcm(key, plaintext))).toEqual(plaintext)
  })

  it('encrypts the empty plaintext as Ruby does, and decrypts it back after checking the tag', () => {
    const serialized = encryptAes256Gcm(key, '')
    expect(serialized).toMatch(/^Aes256Gcm\.\.QU/)
    expect(decryptAes256Gcm(key, serialized)).toEqual(Buffer.alloc(0))
  })

  it('refuses a key that is not 32 bytes', () => {
    expect(() => encryptAes256Gcm(key.subarray(0, 16), 'x')).toThrow('Aes256Gcm key must be 32 bytes')
  })
})

describe('decryption failures', () => {
  const serialized = vectors.aes256gcm_with_key[0].serialized

  it('a wrong key gives a 422 that says decryption failed', () => {
    expect(() => decryptAes256Gcm(randomBytes(32), serialized)).toThrow(Unprocessable)
    expect(() => decryptAes256Gcm(randomBytes(32), serialized)).toThrow('Aes256Gcm decryption failed: wrong key, or the data was altered')
  })

  it('an altered ciphertext gives a 422', () => {
    const [strategy, data, artifacts] = serialized.split('.')
    const altered = Buffer.from(data, 'base64')
    altered[0] ^= 1
    expect(() => decryptAes256Gcm(key, `${strategy}.${b64u(altered)}.${artifacts}`)).toThrow(Unprocessable)
  })

  it('an altered ad gives a 422', () => {
    const [strategy, data] = serialized.split('.')
    const document = { iv: Buffer.from('0a0b0c0d0e0f101112131415', 'hex'), at: Buffer.from('be9119261389edf0cd84317533db9c52', 'hex'), ad: 'nonf' }
    const artifacts = b64u(Buffer.concat([Buffer.from('A'), serialize(document)]))
    expect(() => decryptAes256Gcm(key, `${strategy}.${data}.${artifacts}`)).toThrow(Unprocessable)
  })

  it('artifacts without a tag give a 400', () => {
    const artifacts = b64u(Buffer.concat([Buffer.from('A'), serialize({ iv: Buffer.alloc(12), ad: 'none' })]))
    expect(() => decryptAes256Gcm(key, `Aes256Gcm.AAAA.${artifacts}`)).toThrow(BadRequest)
    expect(() => decryptAes256Gcm(key, `Aes256Gcm.AAAA.${artifacts}`)).toThrow('Aes256Gcm artifacts lack a 16-byte authentication tag (at)')
  })

  it('artifacts without an IV give a 400', () => {
    expect(() => decryptAes256Gcm(key, 'Aes256Gcm.AAAA.QQUAAAAA')).toThrow('Aes256Gcm artifacts lack the IV (iv)')
  })

  it('a string of another strategy gives a 400 naming both', () => {
    expect(() => decryptAes256Gcm(key, vectors.rsa4096_oaep[0].serialized)).toThrow('expected an Aes256Gcm string, got Rsa4096')
  })
})

describe('interoperability with node-forge', () => {
  it('decrypts what forge encrypts with AES-GCM and AAD "none"', () => {
    const iv = randomBytes(12)
    const cipher = forge.cipher.createCipher('AES-GCM', forge.util.createBuffer(key.toString('binary')))
    cipher.start({ iv: forge.util.createBuffer(iv.toString('binary')), additionalData: 'none', tagLength: 128 })
    cipher.update(forge.util.createBuffer(forge.util.encodeUtf8('from forge ✓')))
    cipher.finish()
    const artifacts = serialize({ iv, at: Buffer.from(cipher.mode.tag.getBytes(), 'binary'), ad: 'none' })
    const serialized = `Aes256Gcm.${b64u(Buffer.from(cipher.output.getBytes(), 'binary'))}.${b64u(Buffer.concat([Buffer.from('A'), artifacts]))}`
    expect(decryptAes256Gcm(key, serialized).toString('utf8')).toBe('from forge ✓')
  })

  it('encrypts what forge decrypts', () => {
    const [, data, artifacts] = encryptAes256Gcm(key, 'to forge ✓').split('.')
    const { iv, at, ad } = deserialize(Buffer.from(artifacts, 'base64').subarray(1), { promoteBuffers: true })
    const decipher = forge.cipher.createDecipher('AES-GCM', forge.util.createBuffer(key.toString('binary')))
    decipher.start({
      iv: forge.util.createBuffer(Buffer.from(iv).toString('binary')),
      additionalData: ad,
      tagLength: 128,
      tag: forge.util.createBuffer(Buffer.from(at).toString('binary')),
    })
    decipher.update(forge.util.createBuffer(Buffer.from(data, 'base64').toString('binary')))
    expect(decipher.finish()).toBe(true)
    expect(forge.util.decodeUtf8(decipher.output.getBytes())).toBe('to forge ✓')
  })
})
