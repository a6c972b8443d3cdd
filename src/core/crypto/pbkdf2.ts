// The Cryppo `Pbkdf2Hmac` key derivation (meeco-vault §1.4) and encryption with a passphrase-derived key:
// `Aes256Gcm.<ct>.<artifacts>.Pbkdf2Hmac.<K+BSON {iv: salt, i, l, hash: "SHA256"}>`. Derivation runs on the
// libuv threadpool (async pbkdf2), so a 100 000-iteration derivation does not block the event loop.
import { pbkdf2, randomBytes, randomInt } from 'node:crypto'
import { promisify } from 'node:util'
import { BadRequest, Unprocessable } from '../errors.js'
import { openAes256Gcm, sealAes256Gcm } from './aes-256-gcm.js'
import type { DerivationArtifacts } from './cryppo-artifacts.js'
import { formatDerivedEncrypted, parseDerivedEncrypted } from './cryppo-serialized.js'

export const PBKDF2_HMAC = 'Pbkdf2Hmac'
const HASH = 'SHA256'
const SALT_BYTES = 20
const KEY_BYTES = 32
const MIN_ITERATIONS = 20000
const ITERATION_VARIANCE = 2000
/** Upper bound accepted from serialized input, so a crafted string cannot pin a threadpool thread for minutes. */
export const MAX_PBKDF2_ITERATIONS = 5_000_000

const pbkdf2Async = promisify(pbkdf2)

export interface Pbkdf2Options {
  salt?: Buffer
  /** Default: 20000 + a random 0..1999, as Ruby and cryppo-js do. */
  iterations?: number
}

export interface DerivedKey {
  key: Buffer
  artifacts: DerivationArtifacts
}

export async function derivePbkdf2Key (passphrase: string, options: Pbkdf2Options = {}): Promise<DerivedKey> {
  const artifacts: DerivationArtifacts = {
    iv: options.salt ?? randomBytes(SALT_BYTES),
    i: options.iterations ?? MIN_ITERATIONS + randomInt(ITERATION_VARIANCE),
    l: KEY_BYTES,
    hash: HASH,
  }
  return { key: await deriveFromArtifacts(passphraseBytes(passphrase), artifacts), artifacts }
}

export async function encryptWithPassphrase (
  passphrase: string, plaintext: Buffer | string, options: Pbkdf2Options & { iv?: Buffer } = {}
): Promise<string> {
  const { key, artifacts } = await derivePbkdf2Key(passphrase, options)
  return formatDerivedEncrypted({ ...sealAes256Gcm(key, plaintext, options.iv), kdf: PBKDF2_HMAC, kdfArtifacts: artifacts })
}

/**
 * Decrypts a 5-part string. The passphrase is UTF-8 encoded; if that fails and the passphrase is non-ASCII Latin-1,
 * it retries with one byte per character, the "binary string" that old cryppo-js fed to forge (EncodingVersions.legacy).
 */
export async function decryptWithPassphrase (passphrase: string, serialized: string): Promise<Buffer> {
  const value = parseDerivedEncrypted(serialized)
  const utf8Key = await deriveFromArtifacts(passphraseBytes(passphrase), value.kdfArtifacts)
  try {
    return openAes256Gcm(utf8Key, value)
  } catch (error) {
    if (!(error instanceof Unprocessable) || !hasLegacyEncoding(passphrase)) throw error
    return openAes256Gcm(await deriveFromArtifacts(Buffer.from(passphrase, 'latin1'), value.kdfArtifacts), value)
  }
}

async function deriveFromArtifacts (passphrase: Buffer, artifacts: DerivationArtifacts): Promise<Buffer> {
  checkArtifacts(artifacts)
  return await pbkdf2Async(passphrase, artifacts.iv, artifacts.i, artifacts.l, 'sha256')
}

function checkArtifacts ({ i, l, hash }: DerivationArtifacts): void {
  if (i < 1 || i > MAX_PBKDF2_ITERATIONS) throw new BadRequest(`${PBKDF2_HMAC} iterations must be 1..${MAX_PBKDF2_ITERATIONS}`)
  if (l !== KEY_BYTES) throw new BadRequest(`${PBKDF2_HMAC} key length must be ${KEY_BYTES} for Aes256Gcm`)
  // Ruby omits `hash` and always means SHA-256.
  if (hash !== undefined && hash.toUpperCase().replace('-', '') !== HASH) {
    throw new BadRequest(`${PBKDF2_HMAC} supports only the SHA256 hash`)
  }
}

function passphraseBytes (passphrase: string): Buffer {
  if (typeof passphrase !== 'string') throw new BadRequest('passphrase must be a string')
  return Buffer.from(passphrase, 'utf8')
}

// Forge hashes a JS string byte-per-char; that matches latin1 only when every char is ≤ U+00FF.
function hasLegacyEncoding (passphrase: string): boolean {
  // eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose: every latin1 char
  return /[\u0080-\u00ff]/.test(passphrase) && !/[^\u0000-\u00ff]/.test(passphrase)
}
