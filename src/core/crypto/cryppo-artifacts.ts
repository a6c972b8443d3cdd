// Cryppo artifact chunks (meeco-vault §1.3): written as a version byte + BSON document,
// read in that form or as the legacy YAML text that cryppo-js and old Ruby Cryppo wrote.
import { deserialize, serialize } from 'bson'
import { parse as parseYaml, type ScalarTag } from 'yaml'
import { BadRequest } from '../errors.js'
import { decodeBase64Url, encodeBase64Url } from './base64url.js'

/** Artifacts of an encryption: AES-GCM fills all three, RSA-OAEP none. */
export interface EncryptionArtifacts {
  iv?: Buffer
  at?: Buffer
  ad?: string
}

/** Artifacts of a key derivation: salt (`iv`), iterations (`i`), key length (`l`), hash (JS only). */
export interface DerivationArtifacts {
  iv: Buffer
  i: number
  l: number
  hash?: string
}

// §1.3: 'A' (0x41) precedes encryption artifacts, 'K' (0x4B) derivation artifacts.
const ENCRYPTION_VERSION_BYTE = 0x41
const DERIVATION_VERSION_BYTE = 0x4b
const YAML_START = Buffer.from('---')

/** 'A' + BSON with the fields in cryppo-js order (iv, at, ad), so output is byte-identical to cryppo-js. */
export function encodeEncryptionArtifacts (artifacts: EncryptionArtifacts): string {
  const document: Record<string, Buffer | string> = {}
  if (artifacts.iv !== undefined) document.iv = artifacts.iv
  if (artifacts.at !== undefined) document.at = artifacts.at
  if (artifacts.ad !== undefined) document.ad = artifacts.ad
  return encodeVersioned(ENCRYPTION_VERSION_BYTE, document)
}

/** 'K' + BSON with the fields in cryppo-js order (iv, i, l, hash). */
export function encodeDerivationArtifacts (artifacts: DerivationArtifacts): string {
  const document: Record<string, Buffer | string | number> = { iv: artifacts.iv, i: artifacts.i, l: artifacts.l }
  if (artifacts.hash !== undefined) document.hash = artifacts.hash
  return encodeVersioned(DERIVATION_VERSION_BYTE, document)
}

export function decodeEncryptionArtifacts (chunk: string): EncryptionArtifacts {
  const fields = decodeArtifactFields(chunk, ENCRYPTION_VERSION_BYTE, 'encryption artifacts')
  return {
    ...optional('iv', bytesField(fields, 'iv', 'encryption artifacts')),
    ...optional('at', bytesField(fields, 'at', 'encryption artifacts')),
    ...optional('ad', stringField(fields, 'ad', 'encryption artifacts')),
  }
}

export function decodeDerivationArtifacts (chunk: string): DerivationArtifacts {
  const what = 'derivation artifacts'
  const fields = decodeArtifactFields(chunk, DERIVATION_VERSION_BYTE, what)
  const iv = bytesField(fields, 'iv', what)
  const i = integerField(fields, 'i', what)
  const l = integerField(fields, 'l', what)
  if (iv === undefined || i === undefined || l === undefined) {
    throw new BadRequest(`${what} must hold the salt (iv), iterations (i) and key length (l)`)
  }
  return { iv, i, l, ...optional('hash', stringField(fields, 'hash', what)) }
}

function encodeVersioned (versionByte: number, document: Record<string, unknown>): string {
  return encodeBase64Url(Buffer.concat([Buffer.from([versionByte]), serialize(document)]))
}

// Detection rule of §1.3: text starting with `---` is YAML, anything else is version byte + BSON.
function decodeArtifactFields (chunk: string, versionByte: number, what: string): Record<string, unknown> {
  const bytes = decodeBase64Url(chunk, what)
  if (bytes.subarray(0, YAML_START.length).equals(YAML_START)) return parseLegacyYaml(bytes.toString('utf8'), what)
  if (bytes.length === 0) throw new BadRequest(`${what} are empty`)
  if (bytes[0] !== versionByte) {
    throw new BadRequest(`${what} have an unsupported version byte (expected '${String.fromCharCode(versionByte)}')`)
  }
  try {
    return deserialize(bytes.subarray(1), { promoteBuffers: true })
  } catch {
    throw new BadRequest(`${what} are not a valid BSON document`)
  }
}

// cryppo-js writes `!binary` (a local tag) where YAML 1.1 says `!!binary`; old Ruby wrote `!!binary`.
const LOCAL_BINARY_TAG: ScalarTag = {
  tag: '!binary',
  identify: () => false,
  resolve: (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'base64'),
}

function parseLegacyYaml (text: string, what: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = parseYaml(text, { version: '1.1', customTags: (tags) => [...tags, LOCAL_BINARY_TAG], logLevel: 'error' })
  } catch {
    throw new BadRequest(`${what} are not valid YAML`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadRequest(`${what} must be a YAML mapping`)
  }
  return parsed as Record<string, unknown>
}

function bytesField (fields: Record<string, unknown>, name: string, what: string): Buffer | undefined {
  const value = fields[name]
  if (value === undefined) return undefined
  if (value instanceof Uint8Array) return Buffer.from(value)
  throw new BadRequest(`${what}: '${name}' must be binary`)
}

function stringField (fields: Record<string, unknown>, name: string, what: string): string | undefined {
  const value = fields[name]
  if (value === undefined) return undefined
  if (typeof value === 'string') return value
  throw new BadRequest(`${what}: '${name}' must be a string`)
}

function integerField (fields: Record<string, unknown>, name: string, what: string): number | undefined {
  const value = fields[name]
  if (value === undefined) return undefined
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value
  throw new BadRequest(`${what}: '${name}' must be an integer`)
}

function optional<K extends string, V> (name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V }
}
