import { createPrivateKey, createPublicKey } from 'node:crypto'
import { generateRsaKeyPair, KeyPairPool, type RsaKeyPairPem } from '../../../src/core/crypto/key-pair-pool.js'
import { decryptRsaOaep, encryptRsaOaep } from '../../../src/core/crypto/rsa-oaep.js'

async function until (condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

function isWorkingPair ({ publicKeyPem, privateKeyPem }: RsaKeyPairPem): boolean {
  return decryptRsaOaep(privateKeyPem, encryptRsaOaep(publicKeyPem, 'probe')).toString() === 'probe'
}

describe('generating a key pair', () => {
  it('gives PEMs in the formats cryppo-js writes (SPKI public, PKCS#1 private) that work together', async () => {
    const pair = await generateRsaKeyPair(2048)
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/)
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/)
    expect(createPublicKey(pair.publicKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048)
    expect(isWorkingPair(pair)).toBe(true)
  })

  it('is 4096 bits by default', async () => {
    const pair = await generateRsaKeyPair()
    expect(createPrivateKey(pair.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(4096)
  })

  it('leaves the event loop free while the key is computed', async () => {
    let ticks = 0
    const timer = setInterval(() => { ticks++ }, 0)
    await generateRsaKeyPair(2048)
    clearInterval(timer)
    expect(ticks).toBeGreaterThan(0)
  })
})

describe('a pool', () => {
  it('fills itself to its size in the background', async () => {
    const pool = new KeyPairPool({ size: 2, modulusLength: 2048 })
    expect(pool.available).toBe(0)
    await until(() => pool.available === 2)
    await pool.close()
  })

  it('hands out each pair once and refills after a take', async () => {
    const pool = new KeyPairPool({ size: 2, modulusLength: 2048 })
    await until(() => pool.available === 2)
    const first = await pool.take()
    const second = await pool.take()
    expect(first.privateKeyPem).not.toBe(second.privateKeyPem)
    expect(isWorkingPair(first) && isWorkingPair(second)).toBe(true)
    await until(() => pool.available === 2)
    await pool.close()
  })

  it('serves a burst larger than its size, each caller a distinct pair', async () => {
    const pool = new KeyPairPool({ size: 1, modulusLength: 2048 })
    const pairs = await Promise.all([pool.take(), pool.take(), pool.take()])
    expect(new Set(pairs.map((pair) => pair.privateKeyPem)).size).toBe(3)
    await pool.close()
  })

  it('of size 0 generates on demand and keeps nothing ready', async () => {
    const pool = new KeyPairPool({ size: 0, modulusLength: 2048 })
    expect(isWorkingPair(await pool.take())).toBe(true)
    expect(pool.available).toBe(0)
    await pool.close()
  })

  it('refuses takes once closed', async () => {
    const pool = new KeyPairPool({ size: 1, modulusLength: 2048 })
    await pool.close()
    await expect(pool.take()).rejects.toThrow('key pair pool is closed')
  })

  it('passes a generation failure to the caller instead of retrying forever', async () => {
    const pool = new KeyPairPool({ size: 1, modulusLength: 7 })
    await expect(pool.take()).rejects.toThrow()
    await pool.close()
  })
})
