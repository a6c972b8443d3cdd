// Turns RSA key material (PEM text, base64 of a PEM as meshblu.json holds it, or a KeyObject) into node KeyObjects.
// Errors name the role of the key, never its content.
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto'
import { BadRequest } from '../errors.js'

export type RsaKeyInput = string | KeyObject

/** A public key from a public PEM, a private PEM (its public half) or a KeyObject of either kind. */
export function rsaPublicKey (input: RsaKeyInput): KeyObject {
  if (input instanceof KeyObject) return checkRsa(input.type === 'private' ? createPublicKey(input) : input, 'public key')
  try {
    return checkRsa(createPublicKey(pemText(input)), 'public key')
  } catch (error) {
    throw rethrown(error, 'public key')
  }
}

export function rsaPrivateKey (input: RsaKeyInput): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'private') throw new BadRequest('private key is a public key')
    return checkRsa(input, 'private key')
  }
  try {
    return checkRsa(createPrivateKey(pemText(input)), 'private key')
  } catch (error) {
    throw rethrown(error, 'private key')
  }
}

export function rsaModulusBits (key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength
  if (bits === undefined) throw new BadRequest('key has no RSA modulus')
  return bits
}

function pemText (input: string): string {
  if (typeof input !== 'string') throw new BadRequest('key must be a PEM string or a KeyObject')
  if (input.includes('-----BEGIN')) return input
  const decoded = Buffer.from(input.trim(), 'base64').toString('utf8')
  return decoded.includes('-----BEGIN') ? decoded : input
}

function checkRsa (key: KeyObject, role: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') throw new BadRequest(`${role} is not an RSA key`)
  return key
}

function rethrown (error: unknown, role: string): Error {
  return error instanceof BadRequest ? error : new BadRequest(`${role} is not a valid RSA PEM`)
}
