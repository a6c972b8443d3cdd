// This endo-vault instance as an intercoop entity: its peer id, its RSA key pair and its own
// descriptor (served so peers can add it), plus where a received transfer continues.
import fs from 'node:fs/promises'
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { checkPeerDescriptor, parsePeerDescriptor, PeerDescriptorError, type PeerDescriptor } from './peer-descriptor.js'

export interface IntercoopEntity {
  peerid: string
  /** Our descriptor, `publickey` filled from the key pair. */
  descriptor: PeerDescriptor
  privateKey: KeyObject
  /** The URL a source redirects the person to, carrying the token of the received data. */
  continuationUrl: (token: string) => string
}

export interface IntercoopEntityOptions {
  /** The descriptor, parsed or as YAML text (the upstream format; `publickey` may be left out). */
  descriptor: PeerDescriptor | string
  /** The entity's RSA private key, PEM (PKCS#1 or PKCS#8). */
  privateKeyPem: string
  /**
   * Where a received transfer continues, `{uuid}` standing for the token. Default:
   * `<targetUrl>/activateService/{uuid}`, the API's own single-use data endpoint.
   */
  continuationUrlTemplate?: string
}

export function createIntercoopEntity (options: IntercoopEntityOptions): IntercoopEntity {
  const source = 'entity descriptor'
  const parsed = typeof options.descriptor === 'string'
    ? parsePeerDescriptor(options.descriptor, source)
    : checkPeerDescriptor(options.descriptor, source)
  const privateKey = createPrivateKey(options.privateKeyPem)
  if (privateKey.asymmetricKeyType !== 'rsa') throw new PeerDescriptorError(source, 'the entity key must be an RSA key')
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()
  if (parsed.publickey !== undefined && !samePublicKey(parsed.publickey, publicKeyPem)) {
    throw new PeerDescriptorError(source, 'publickey does not match the entity private key')
  }
  const descriptor: PeerDescriptor = { ...parsed, publickey: publicKeyPem }
  const template = options.continuationUrlTemplate ?? `${descriptor.targetUrl}/activateService/{uuid}`
  if (!template.includes('{uuid}')) throw new PeerDescriptorError(source, 'the continuation URL template must contain {uuid}')
  return {
    peerid: descriptor.peerid,
    descriptor,
    privateKey,
    continuationUrl: token => template.replaceAll('{uuid}', encodeURIComponent(token)),
  }
}

export interface IntercoopEntityFiles {
  /** Our descriptor, YAML (upstream format). */
  descriptorFile: string
  /** Our RSA private key, PEM. */
  privateKeyFile: string
  continuationUrlTemplate?: string
}

/** Loads the entity from its descriptor file and private key file. */
export async function loadIntercoopEntity (files: IntercoopEntityFiles): Promise<IntercoopEntity> {
  const [descriptorText, privateKeyPem] = await Promise.all([
    fs.readFile(files.descriptorFile, 'utf8'),
    fs.readFile(files.privateKeyFile, 'utf8'),
  ])
  return createIntercoopEntity({
    descriptor: parsePeerDescriptor(descriptorText, files.descriptorFile),
    privateKeyPem,
    continuationUrlTemplate: files.continuationUrlTemplate,
  })
}

/** A new entity key pair, in the formats the Python reference writes (PKCS#1 private, SPKI public). */
export function generateIntercoopKeyPair (modulusLength = 2048): { privateKeyPem: string, publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength, publicExponent: 65537 })
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  }
}

function samePublicKey (a: string, b: string): boolean {
  const der = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' })
  return der(a).equals(der(b))
}
