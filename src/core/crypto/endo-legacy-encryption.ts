// Endo's original credentials encryption, kept only to benchmark against the envelope (meshblu-endo §5.4):
// UTF-8 JSON split into (k − 42)-byte chunks, each RSA-OAEP SHA-1 encrypted, ciphertexts concatenated, base64.
import { constants, publicEncrypt } from 'node:crypto'
import { BadRequest, Unprocessable } from '../errors.js'
import { rsaModulusBits, rsaPrivateKey, rsaPublicKey, type RsaKeyInput } from './rsa-key.js'
import { rsaOaepDecryptBlock, rsaOaepMaxPlaintext } from './rsa-oaep.js'

/** `key` may be the service's private key, as in Endo (node-rsa encrypts with its public half). */
export function encryptEndoLegacy (key: RsaKeyInput, value: unknown): string {
  const publicKey = rsaPublicKey(key)
  const chunkBytes = rsaOaepMaxPlaintext(publicKey)
  const text = JSON.stringify(value) as string | undefined
  if (text === undefined) throw new BadRequest('Endo encryption needs a JSON value')
  const json = Buffer.from(text, 'utf8')
  const blocks: Buffer[] = []
  for (let offset = 0; offset < json.length; offset += chunkBytes) {
    const chunk = json.subarray(offset, offset + chunkBytes)
    blocks.push(publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, chunk))
  }
  return Buffer.concat(blocks).toString('base64')
}

export function decryptEndoLegacy (privateKey: RsaKeyInput, encrypted: string): unknown {
  const key = rsaPrivateKey(privateKey)
  const blockBytes = rsaModulusBits(key) / 8
  const bytes = Buffer.from(encrypted, 'base64')
  if (bytes.length === 0 || bytes.length % blockBytes !== 0) {
    throw new BadRequest(`Endo-encrypted data must be whole ${blockBytes}-byte RSA blocks`)
  }
  const chunks: Buffer[] = []
  for (let offset = 0; offset < bytes.length; offset += blockBytes) {
    chunks.push(rsaOaepDecryptBlock(key, bytes.subarray(offset, offset + blockBytes), 'Endo'))
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new Unprocessable('Endo-encrypted data does not hold JSON')
  }
}
