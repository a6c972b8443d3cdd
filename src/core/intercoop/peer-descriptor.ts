// Peer descriptors (reference §A4, upstream peerdescriptor-schema.yaml): parsed, checked, typed.
// A descriptor that does not follow the schema is refused with the file and the rule it breaks.
import { createPublicKey, type KeyObject } from 'node:crypto'
import { FILE_YAML_BOUNDS, parseYaml, YamlSyntaxError } from './yaml-1-1.js'
import type { Translatable } from './translation.js'
import { isJsonObject } from '../json-object.js'

export interface ServiceDescriptor {
  name: Translatable
  description: Translatable
  /** Fields the service needs; when absent, the peer's `fields`. */
  fields?: string[]
}

export interface PeerDescriptor {
  intercoopVersion: '1.0'
  peerVersion: number
  peerid: string
  name: string
  logo: string
  description: Translatable
  url: Translatable
  privacyPolicyUrl: Translatable
  info?: Translatable
  services: Record<string, ServiceDescriptor>
  targetUrl: string
  dataFormat?: 'yaml'
  fields?: string[]
  /** RSA public key, PEM (SPKI `BEGIN PUBLIC KEY` or PKCS#1 `BEGIN RSA PUBLIC KEY`). */
  publickey?: string
}

export class PeerDescriptorError extends Error {
  constructor (source: string, problem: string) {
    super(`${source}: ${problem}`)
    this.name = 'PeerDescriptorError'
  }
}

const KEYS = new Set(['intercoopVersion', 'peerVersion', 'peerid', 'name', 'logo', 'description', 'url',
  'privacyPolicyUrl', 'info', 'services', 'targetUrl', 'dataFormat', 'fields', 'publickey'])
const REQUIRED = ['intercoopVersion', 'peerVersion', 'peerid', 'name', 'logo', 'description', 'url',
  'privacyPolicyUrl', 'services', 'targetUrl']
const ID = /^[a-z]+$/

function checkTranslatable (value: unknown, where: string, fail: (problem: string) => never): Translatable {
  if (typeof value === 'string') return value
  if (isJsonObject(value) && Object.keys(value).length > 0 && Object.values(value).every(v => typeof v === 'string')) {
    return value as Record<string, string>
  }
  return fail(`${where} must be a string or a map of language to string`)
}

function checkFields (value: unknown, where: string, fail: (problem: string) => never): string[] {
  if (Array.isArray(value) && value.every(v => typeof v === 'string')) return value as string[]
  return fail(`${where} must be a list of field names`)
}

/** Checks a parsed descriptor; `source` names it in errors (a file path). */
export function checkPeerDescriptor (value: unknown, source: string): PeerDescriptor {
  const fail = (problem: string): never => { throw new PeerDescriptorError(source, problem) }
  if (!isJsonObject(value)) return fail('a peer descriptor must be a YAML mapping')
  for (const key of REQUIRED) if (!(key in value)) fail(`missing ${key}`)
  for (const key of Object.keys(value)) if (!KEYS.has(key)) fail(`unknown key ${key}`)
  if (value.intercoopVersion !== '1.0') fail("intercoopVersion must be the string '1.0'")
  if (!Number.isInteger(value.peerVersion)) fail('peerVersion must be an integer')
  if (typeof value.peerid !== 'string' || !ID.test(value.peerid)) fail('peerid must match ^[a-z]+$')
  for (const key of ['name', 'logo', 'targetUrl'] as const) if (typeof value[key] !== 'string') fail(`${key} must be a string`)
  if (value.dataFormat !== undefined && value.dataFormat !== 'yaml') fail(`dataFormat ${String(value.dataFormat)} is not supported (only yaml)`)
  if (value.publickey !== undefined) {
    if (typeof value.publickey !== 'string') fail('publickey must be a PEM string')
    publicKeyOfDescriptorPem(value.publickey as string, fail)
  }
  const descriptor: PeerDescriptor = {
    intercoopVersion: '1.0',
    peerVersion: value.peerVersion as number,
    peerid: value.peerid as string,
    name: value.name as string,
    logo: value.logo as string,
    description: checkTranslatable(value.description, 'description', fail),
    url: checkTranslatable(value.url, 'url', fail),
    privacyPolicyUrl: checkTranslatable(value.privacyPolicyUrl, 'privacyPolicyUrl', fail),
    services: {},
    targetUrl: (value.targetUrl as string).replace(/\/+$/, ''),
  }
  if (value.info !== undefined) descriptor.info = checkTranslatable(value.info, 'info', fail)
  if (value.dataFormat !== undefined) descriptor.dataFormat = 'yaml'
  if (value.fields !== undefined) descriptor.fields = checkFields(value.fields, 'fields', fail)
  if (value.publickey !== undefined) descriptor.publickey = value.publickey as string
  if (!isJsonObject(value.services)) return fail('services must be a map of service id to service')
  for (const [id, service] of Object.entries(value.services)) {
    if (!ID.test(id)) fail(`service id ${id} must match ^[a-z]+$`)
    if (!isJsonObject(service)) return fail(`services.${id} must be a mapping`)
    for (const key of Object.keys(service)) if (!['name', 'description', 'fields'].includes(key)) fail(`services.${id}: unknown key ${key}`)
    descriptor.services[id] = {
      name: checkTranslatable(service.name, `services.${id}.name`, fail),
      description: checkTranslatable(service.description, `services.${id}.description`, fail),
      ...(service.fields !== undefined ? { fields: checkFields(service.fields, `services.${id}.fields`, fail) } : {}),
    }
  }
  return descriptor
}

/** Parses descriptor YAML text (YAML 1.1 rules, like the reference) from the operator's files. */
export function parsePeerDescriptor (text: string, source: string): PeerDescriptor {
  let value: unknown
  try {
    value = parseYaml(text, FILE_YAML_BOUNDS)
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new PeerDescriptorError(source, `not YAML: ${error.message}`)
    throw error
  }
  return checkPeerDescriptor(value, source)
}

function publicKeyOfDescriptorPem (pem: string, fail: (problem: string) => never): KeyObject {
  let key: KeyObject
  try {
    key = createPublicKey(pem)
  } catch (error) {
    return fail(`publickey is not a PEM public key (${(error as Error).message})`)
  }
  if (key.asymmetricKeyType !== 'rsa') fail('publickey must be an RSA key')
  return key
}

/** The public key of a descriptor, or undefined when it has none. */
export function descriptorPublicKey (descriptor: PeerDescriptor): KeyObject | undefined {
  if (descriptor.publickey === undefined) return undefined
  return publicKeyOfDescriptorPem(descriptor.publickey, problem => { throw new PeerDescriptorError(descriptor.peerid, problem) })
}
