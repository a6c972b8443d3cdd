import {
  decryptCredentials, isCredentialsEnvelope, openCredentials, parseCredentials, resealCredentials, rewrapEnvelope, sealCredentials, type CredentialsEnvelope,
} from '../../../src/core/crypto/credentials-envelope.js'
import { ServiceKeyring } from '../../../src/core/crypto/service-keyring.js'
import { BadRequest, Unprocessable } from '../../../src/core/errors.js'
import { newRsaKeyPair, vectorKeyPair } from './cryppo-vectors.fixture.js'

const oldPair = newRsaKeyPair()
const newPair = newRsaKeyPair()
const credentials = {
  id: 'user-1',
  username: 'ada',
  secrets: { credentials: { secret: 'oauth-s3cret-value', refreshToken: 'refresh-s3cret' }, credentialsDeviceToken: 'tok-s3cret' },
}

function b64u (bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

/** The same key as a process restart would load it: nothing cached yet. */
function restarted (privateKeyPem: string, older: string[] = []): ServiceKeyring {
  return new ServiceKeyring(privateKeyPem, { older })
}

function thrownBy (action: () => unknown): Error {
  try {
    action()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

describe('sealing (DESIGN.md "Service-key envelope")', () => {
  const keyring = restarted(vectorKeyPair.privateKeyPem)
  const envelope = sealCredentials(credentials, keyring)

  it('gives version 1, the current key id, an Rsa4096-wrapped data key and Aes256Gcm ciphertext', () => {
    expect(envelope.version).toBe(1)
    expect(envelope.keyId).toBe(keyring.current.keyId)
    expect(envelope.wrappedKey).toMatch(/^Rsa4096\.[A-Za-z0-9_=-]+\.QQUAAAAA$/)
    expect(envelope.ciphertext).toMatch(/^Aes256Gcm\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+$/)
  })

  it('holds no secret in the clear', () => {
    expect(JSON.stringify(envelope)).not.toMatch(/s3cret|ada/)
  })

  it('uses a fresh data key each time', () => {
    expect(sealCredentials(credentials, keyring).wrappedKey).not.toBe(envelope.wrappedKey)
  })

  it('is recognised as an envelope, unlike other values', () => {
    expect(isCredentialsEnvelope(envelope)).toBe(true)
    expect(isCredentialsEnvelope({ ...envelope, version: 2 })).toBe(false)
    expect(isCredentialsEnvelope('Aes256Gcm.x.y')).toBe(false)
  })
})

describe('opening', () => {
  it('gives back the sealed object', () => {
    const keyring = restarted(oldPair.privateKeyPem)
    expect(openCredentials(sealCredentials(credentials, keyring), keyring)).toEqual(credentials)
  })

  it('after a restart costs one RSA decryption, and later opens none', () => {
    const envelope = sealCredentials(credentials, restarted(oldPair.privateKeyPem))
    const keyring = restarted(oldPair.privateKeyPem)
    expect(openCredentials(envelope, keyring)).toEqual(credentials)
    expect(keyring.stats).toEqual({ rsaUnwraps: 1, cacheHits: 0 })
    for (let i = 0; i < 5; i++) expect(openCredentials(envelope, keyring)).toEqual(credentials)
    expect(keyring.stats).toEqual({ rsaUnwraps: 1, cacheHits: 5 })
  })

  it('on the keyring that sealed costs no RSA decryption at all', () => {
    const keyring = restarted(oldPair.privateKeyPem)
    openCredentials(sealCredentials(credentials, keyring), keyring)
    expect(keyring.stats.rsaUnwraps).toBe(0)
  })

  it('keeps each keyring’s cache to itself', () => {
    const envelope = sealCredentials(credentials, restarted(oldPair.privateKeyPem))
    const first = restarted(oldPair.privateKeyPem)
    const second = restarted(oldPair.privateKeyPem)
    openCredentials(envelope, first)
    openCredentials(envelope, second)
    expect(first.stats.rsaUnwraps).toBe(1)
    expect(second.stats.rsaUnwraps).toBe(1)
  })

  it('keeps at most dataKeyCacheSize data keys, least recently used out first', () => {
    const sealer = restarted(oldPair.privateKeyPem)
    const a = sealCredentials({ n: 'a' }, sealer)
    const b = sealCredentials({ n: 'b' }, sealer)
    const keyring = new ServiceKeyring(oldPair.privateKeyPem, { dataKeyCacheSize: 1 })
    openCredentials(a, keyring)
    openCredentials(b, keyring)
    expect(openCredentials(a, keyring)).toEqual({ n: 'a' })
    expect(keyring.stats).toEqual({ rsaUnwraps: 3, cacheHits: 0 })
  })

  it('costs an RSA decryption again after the cache is cleared', () => {
    const keyring = restarted(oldPair.privateKeyPem)
    const envelope = sealCredentials(credentials, keyring)
    keyring.clearDataKeyCache()
    openCredentials(envelope, keyring)
    expect(keyring.stats.rsaUnwraps).toBe(1)
  })
})

describe('resealing an update', () => {
  const keyring = restarted(oldPair.privateKeyPem)
  const envelope = sealCredentials(credentials, keyring)
  const updated = { ...credentials, username: 'ada.lovelace' }
  const resealed = resealCredentials(envelope, updated, keyring)

  it('keeps the key id and wrapped data key and replaces the ciphertext', () => {
    expect(resealed.keyId).toBe(envelope.keyId)
    expect(resealed.wrappedKey).toBe(envelope.wrappedKey)
    expect(resealed.ciphertext).not.toBe(envelope.ciphertext)
  })

  it('opens to the new contents, also after a restart', () => {
    expect(openCredentials(resealed, keyring)).toEqual(updated)
    expect(openCredentials(resealed, restarted(oldPair.privateKeyPem))).toEqual(updated)
  })

  it('costs no RSA operation once the data key is cached', () => {
    const warm = restarted(oldPair.privateKeyPem)
    openCredentials(envelope, warm)
    resealCredentials(envelope, { again: true }, warm)
    expect(warm.stats.rsaUnwraps).toBe(1)
  })
})

describe('key rotation', () => {
  const before = restarted(oldPair.privateKeyPem)
  const envelope = sealCredentials(credentials, before)
  const rotated = restarted(newPair.privateKeyPem, [oldPair.privateKeyPem])

  it('still opens envelopes that name the older key', () => {
    expect(envelope.keyId).not.toBe(rotated.current.keyId)
    expect(openCredentials(envelope, rotated)).toEqual(credentials)
  })

  it('seals new envelopes with the new key', () => {
    expect(sealCredentials(credentials, rotated).keyId).toBe(rotated.current.keyId)
  })

  it('re-wraps an old envelope to name the new key, keeping the ciphertext byte for byte', () => {
    const rewrapped = rewrapEnvelope(envelope, rotated)
    expect(rewrapped.keyId).toBe(rotated.current.keyId)
    expect(rewrapped.wrappedKey).not.toBe(envelope.wrappedKey)
    expect(rewrapped.ciphertext).toBe(envelope.ciphertext)
  })

  it('leaves a re-wrapped envelope readable by a keyring that holds only the new key', () => {
    const onlyNew = restarted(newPair.privateKeyPem)
    expect(openCredentials(rewrapEnvelope(envelope, rotated), onlyNew)).toEqual(credentials)
    expect(onlyNew.stats.rsaUnwraps).toBe(1)
  })

  it('returns an envelope already on the current key unchanged', () => {
    const current = sealCredentials(credentials, rotated)
    expect(rewrapEnvelope(current, rotated)).toEqual(current)
  })

  it('cannot re-wrap an envelope whose key the keyring does not hold', () => {
    const stranger = sealCredentials(credentials, restarted(newRsaKeyPair().privateKeyPem))
    expect(() => rewrapEnvelope(stranger, rotated)).toThrow(`unknown service key id ${stranger.keyId}`)
  })
})

describe('a tampered or foreign envelope', () => {
  const keyring = restarted(oldPair.privateKeyPem)
  const envelope = sealCredentials(credentials, keyring)

  it('with altered ciphertext gives a 422 that says so', () => {
    const [strategy, data, artifacts] = envelope.ciphertext.split('.')
    const altered = Buffer.from(data, 'base64')
    altered[3] ^= 0x20
    const tampered = { ...envelope, ciphertext: `${strategy}.${b64u(altered)}.${artifacts}` }
    expect(() => openCredentials(tampered, keyring)).toThrow(Unprocessable)
    expect(() => openCredentials(tampered, keyring)).toThrow('credentials envelope could not be decrypted: its ciphertext was altered')
    // the job runner decrypts up front and parses on first read: the check must not wait for the parse
    expect(() => decryptCredentials(tampered, keyring)).toThrow('credentials envelope could not be decrypted: its ciphertext was altered')
  })

  it('decrypted bytes parse to the sealed object and are zeroed once parsed', () => {
    const plaintext = decryptCredentials(envelope, keyring)
    expect(parseCredentials(plaintext)).toEqual(credentials)
    expect(plaintext.every(byte => byte === 0)).toBe(true)
  })

  it('with another envelope’s ciphertext gives a 422', () => {
    const other = sealCredentials(credentials, keyring)
    expect(() => openCredentials({ ...envelope, ciphertext: other.ciphertext }, keyring)).toThrow(Unprocessable)
  })

  it('with an altered wrapped key gives a 422 after a restart', () => {
    const [strategy, data, artifacts] = envelope.wrappedKey.split('.')
    const altered = Buffer.from(data, 'base64')
    altered[10] ^= 1
    const tampered = { ...envelope, wrappedKey: `${strategy}.${b64u(altered)}.${artifacts}` }
    expect(() => openCredentials(tampered, restarted(oldPair.privateKeyPem))).toThrow(Unprocessable)
  })

  it('naming a key id the keyring does not hold gives a 422 naming the id', () => {
    const foreign = sealCredentials(credentials, restarted(newPair.privateKeyPem))
    expect(() => openCredentials(foreign, keyring)).toThrow(Unprocessable)
    expect(() => openCredentials(foreign, keyring)).toThrow(`unknown service key id ${foreign.keyId}`)
  })

  it('cannot borrow a cached data key by naming another key id', () => {
    const relabelled = { ...envelope, keyId: restarted(newPair.privateKeyPem).current.keyId }
    expect(() => openCredentials(relabelled, keyring)).toThrow('unknown service key id')
  })

  it('never puts a secret into the error', () => {
    const [strategy, data, artifacts] = envelope.ciphertext.split('.')
    const altered = Buffer.from(data, 'base64')
    altered[0] ^= 1
    const error = thrownBy(() => openCredentials({ ...envelope, ciphertext: `${strategy}.${b64u(altered)}.${artifacts}` }, keyring))
    expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(/s3cret/)
  })
})

describe('a malformed envelope gives a 400 saying what is wrong', () => {
  const keyring = restarted(oldPair.privateKeyPem)
  const envelope = sealCredentials(credentials, keyring)

  it.each([
    ['not an object', 'Aes256Gcm.x.y', 'credentials envelope must be an object'],
    ['another version', { ...envelope, version: 2 }, 'credentials envelope version must be 1'],
    ['no wrapped key', { version: 1, keyId: envelope.keyId, ciphertext: envelope.ciphertext }, 'credentials envelope must hold keyId, wrappedKey and ciphertext strings'],
    ['a key id that is not hex', { ...envelope, keyId: 'current' }, 'service key id must be 16 hex characters'],
    ['a wrapped key with the wrong number of parts', { ...envelope, wrappedKey: 'Rsa2048.AAAA' }, 'an encrypted Cryppo string has 3 dot-separated parts, got 2'],
    ['ciphertext with bad base64', { ...envelope, ciphertext: 'Aes256Gcm.A*A.QQUAAAAA' }, 'Aes256Gcm data is not valid base64url'],
    ['ciphertext of an unknown strategy', { ...envelope, ciphertext: 'Aes128Cbc.AAAA.QQUAAAAA' }, 'unknown Cryppo encryption strategy'],
  ])('%s', (_case, value, message) => {
    expect(() => openCredentials(value as CredentialsEnvelope, keyring)).toThrow(BadRequest)
    expect(() => openCredentials(value as CredentialsEnvelope, keyring)).toThrow(message)
  })

  it('credentials that are not an object are refused when sealing', () => {
    expect(() => sealCredentials('secret' as unknown as object, keyring)).toThrow('credentials must be a JSON object')
  })
})
