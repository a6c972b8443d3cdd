import { constants, publicEncrypt } from 'node:crypto'
import forge from 'node-forge'
import { decryptEndoLegacy, encryptEndoLegacy } from '../../../src/core/crypto/endo-legacy-encryption.js'
import { BadRequest, Unprocessable } from '../../../src/core/errors.js'
import { newRsaKeyPair } from './cryppo-vectors.fixture.js'

const pair = newRsaKeyPair()
const user = {
  id: '1234',
  username: 'ada',
  secrets: { credentials: { secret: 'x'.repeat(300), refreshToken: 'r'.repeat(100) }, credentialsDeviceToken: 't'.repeat(40) },
}

describe('the original Endo scheme (meshblu-endo §5.4)', () => {
  it('round-trips a JSON value', () => {
    expect(decryptEndoLegacy(pair.privateKeyPem, encryptEndoLegacy(pair.publicKeyPem, user))).toEqual(user)
  })

  it('encrypts with the public half of the service private key, as node-rsa did', () => {
    expect(decryptEndoLegacy(pair.privateKeyPem, encryptEndoLegacy(pair.privateKeyPem, user))).toEqual(user)
  })

  it('writes one 256-byte RSA block per 214 bytes of JSON for a 2048-bit key', () => {
    const json = Buffer.from(JSON.stringify(user))
    const blocks = Buffer.from(encryptEndoLegacy(pair.publicKeyPem, user), 'base64')
    expect(blocks.length).toBe(Math.ceil(json.length / 214) * 256)
    expect(blocks.length / 256).toBeGreaterThan(1)
  })

  it('decrypts blocks forge encrypted chunk by chunk with OAEP SHA-1', () => {
    const json = JSON.stringify(user)
    const forgePublic = forge.pki.publicKeyFromPem(pair.publicKeyPem)
    let encrypted = ''
    for (let offset = 0; offset < json.length; offset += 214) encrypted += forgePublic.encrypt(json.slice(offset, offset + 214), 'RSA-OAEP')
    expect(decryptEndoLegacy(pair.privateKeyPem, Buffer.from(encrypted, 'binary').toString('base64'))).toEqual(user)
  })

  it('gives a 400 for data that is not whole RSA blocks', () => {
    const truncated = Buffer.from(encryptEndoLegacy(pair.publicKeyPem, user), 'base64').subarray(1).toString('base64')
    expect(() => decryptEndoLegacy(pair.privateKeyPem, truncated)).toThrow(BadRequest)
    expect(() => decryptEndoLegacy(pair.privateKeyPem, truncated)).toThrow('Endo-encrypted data must be whole 256-byte RSA blocks')
  })

  it('gives a 422 for blocks under another key', () => {
    expect(() => decryptEndoLegacy(pair.privateKeyPem, encryptEndoLegacy(newRsaKeyPair().publicKeyPem, user))).toThrow(Unprocessable)
  })

  it('gives a 422 for blocks that do not hold JSON', () => {
    const block = publicEncrypt({ key: pair.publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('{not json'))
    expect(() => decryptEndoLegacy(pair.privateKeyPem, block.toString('base64'))).toThrow('Endo-encrypted data does not hold JSON')
  })
})
