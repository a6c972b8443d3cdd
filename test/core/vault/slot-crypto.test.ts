// Slot values and value verification (meeco-vault §3), including both directions against @meeco/cryppo.
import { randomBytes } from 'node:crypto'
import cryppo from '@meeco/cryppo'
import {
  decryptSlotValue, encryptSlotValue, openSlotValue, resealSlotValue, sealOwnSlotValue, valueVerificationHash, verifySlotValue,
} from '../../../src/core/vault/slot-crypto.js'

const key = randomBytes(32)

describe('an owner sealing a slot value', () => {
  it('stores an Aes256Gcm Cryppo string, an encrypted 64-byte verification key and a hex HMAC-SHA256', () => {
    const sealed = sealOwnSlotValue(key, 'OUTATIME')
    expect(sealed.encrypted_value).toMatch(/^Aes256Gcm\.[\w=-]+\.[\w=-]+$/)
    expect(JSON.stringify(sealed)).not.toContain('OUTATIME')
    const open = openSlotValue(key, sealed)
    expect(open.value).toBe('OUTATIME')
    expect(open.verificationKey).toHaveLength(64)
    expect(sealed.value_verification_hash).toBe(valueVerificationHash(open.verificationKey as Buffer, 'OUTATIME'))
  })
})

describe('a reader verifying a shared slot', () => {
  const sealed = sealOwnSlotValue(key, 'DMC-12')
  const shareKey = randomBytes(32)
  const shared = resealSlotValue(shareKey, openSlotValue(key, sealed))

  it('accepts the value its owner hashed, under the share key', () => {
    expect(verifySlotValue('model', openSlotValue(shareKey, { ...shared }), sealed.value_verification_hash)).toBe(true)
  })

  it('reports a changed value as a 422 naming the slot', () => {
    const forged = { ...shared, encrypted_value: encryptSlotValue(shareKey, 'DMC-13') }
    expect(() => verifySlotValue('model', openSlotValue(shareKey, forged), sealed.value_verification_hash))
      .toThrow(expect.objectContaining({ code: 422, message: expect.stringContaining('slot "model" failed value verification') }))
  })

  it('treats a slot without a hash as unverified rather than failed', () => {
    expect(verifySlotValue('model', openSlotValue(shareKey, shared), null)).toBe(false)
  })
})

describe('slot values and @meeco/cryppo', () => {
  const cryppoKey = cryppo.EncryptionKey.fromBytes(new Uint8Array(key))

  it('decrypts a value cryppo-js encrypted with the DEK', async () => {
    const { serialized } = await cryppo.encryptWithKey({ key: cryppoKey, data: cryppo.utf8ToBytes('Zoë’s DeLorean 🚗'), strategy: cryppo.CipherStrategy.AES_GCM })
    expect(decryptSlotValue(key, String(serialized))).toBe('Zoë’s DeLorean 🚗')
  })

  it('writes values cryppo-js decrypts', async () => {
    const decrypted = await cryppo.decryptWithKey({ key: cryppoKey, serialized: encryptSlotValue(key, 'Zoë’s DeLorean 🚗') })
    expect(cryppo.bytesToUtf8(decrypted as Uint8Array)).toBe('Zoë’s DeLorean 🚗')
  })

  it('computes the same verification hash as cryppo-js hmacSha256Digest for ASCII values', () => {
    const vvk = randomBytes(64)
    expect(valueVerificationHash(vvk, 'OUTATIME')).toBe(cryppo.hmacSha256Digest(vvk.toString('binary'), 'OUTATIME'))
  })
})
