// The service's own identity, created on first run: the token pepper, the service RSA key and
// the service device, written to <dataDir>/meshblu.json (format: meshblu.json.example).
import fs from 'node:fs/promises'
import path from 'node:path'
import { generateKeyPair, randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import type { DeviceBus } from '../bus/device-bus.js'

const generateRsa = promisify(generateKeyPair)

export interface ServiceIdentityFile {
  uuid: string
  token: string
  /** base64 of the PEM (PKCS#8), as meshblu-config reads MESHBLU_PRIVATE_KEY. */
  privateKey: string
  /** Keys replaced by `endo-vault rotate-key`, kept until every envelope is re-wrapped. */
  previousPrivateKeys?: string[]
  hostname: string
  port: number
  mqttPort: number
  protocol: 'http' | 'https'
}

export interface ServiceIdentity {
  uuid: string
  privateKeyPem: string
  previousPrivateKeyPems: string[]
  pepper: Buffer
}

export const SERVICE_KEY_BITS = 2048

export function identityFilePath (dataDir: string): string {
  return path.join(dataDir, 'meshblu.json')
}

async function readIfExists (file: string): Promise<string | undefined> {
  try { return await fs.readFile(file, 'utf8') } catch (error) { if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; throw error }
}

/** The token pepper: 32 random bytes in <dataDir>/token-pepper, made once. */
export async function loadOrCreatePepper (dataDir: string): Promise<Buffer> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(dataDir, 'token-pepper')
  const existing = await readIfExists(file)
  if (existing !== undefined) return Buffer.from(existing.trim(), 'hex')
  const pepper = randomBytes(32)
  await fs.writeFile(file, pepper.toString('hex') + '\n', { mode: 0o600, flag: 'wx' })
  return pepper
}

export async function readIdentityFile (dataDir: string): Promise<ServiceIdentityFile | undefined> {
  const text = await readIfExists(identityFilePath(dataDir))
  return text === undefined ? undefined : JSON.parse(text)
}

export async function writeIdentityFile (dataDir: string, file: ServiceIdentityFile): Promise<void> {
  const target = identityFilePath(dataDir)
  await fs.writeFile(target + '.tmp', JSON.stringify(file, null, 2) + '\n', { mode: 0o600 })
  await fs.rename(target + '.tmp', target)
}

export async function generateServiceKeyPem (): Promise<string> {
  const { privateKey } = await generateRsa('rsa', {
    modulusLength: SERVICE_KEY_BITS,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
  return privateKey
}

const pemOf = (base64: string): string => Buffer.from(base64, 'base64').toString('utf8')

/**
 * Loads the identity, or on first run generates the key, registers the service device
 * (v2, discoverable, subscribed to its own message.received: the job runner listens there) and writes meshblu.json.
 */
export async function ensureServiceIdentity (bus: DeviceBus, dataDir: string, pepper: Buffer, listen: { hostname: string, port: number, mqttPort: number }): Promise<ServiceIdentity> {
  const existing = await readIdentityFile(dataDir)
  if (existing !== undefined && await bus.registry.get(existing.uuid) !== undefined) {
    return { uuid: existing.uuid, privateKeyPem: pemOf(existing.privateKey), previousPrivateKeyPems: (existing.previousPrivateKeys ?? []).map(pemOf), pepper }
  }
  const privateKeyPem = await generateServiceKeyPem()
  const { device, token } = await bus.register({
    type: 'device:endo-vault',
    name: 'endo-vault',
    meshblu: { version: '2.0.0', whitelists: { discover: { view: [{ uuid: '*' }] } } },
  })
  await bus.subscriptions.create({ subscriberUuid: device.uuid, emitterUuid: device.uuid, type: 'message.received' })
  await writeIdentityFile(dataDir, {
    uuid: device.uuid,
    token,
    privateKey: Buffer.from(privateKeyPem).toString('base64'),
    previousPrivateKeys: [],
    hostname: listen.hostname,
    port: listen.port,
    mqttPort: listen.mqttPort,
    protocol: 'http',
  })
  return { uuid: device.uuid, privateKeyPem, previousPrivateKeyPems: [], pepper }
}
