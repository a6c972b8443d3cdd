// This instance's intercoop identity, created on first run like the service key: the entity's RSA
// key pair (<dataDir>/intercoop/private-key.pem, PKCS#1 as the Python reference writes it), our
// own peer descriptor for the operator to complete (<dataDir>/intercoop/descriptor.yaml) and an
// empty peers directory (<dataDir>/peers). Files that exist are never rewritten.
import fs from 'node:fs/promises'
import path from 'node:path'
import { generateKeyPair } from 'node:crypto'
import { promisify } from 'node:util'
import type { Config } from '../config.js'
import type { Store } from '../store/database.js'
import type { Logger } from '../log.js'
import { dumpYaml, yamlBoundsOf } from '../intercoop/yaml-1-1.js'
import { createIntercoopRuntime, type IntercoopRuntime } from '../intercoop/intercoop-runtime.js'

const generateRsa = promisify(generateKeyPair)

export interface IntercoopFiles {
  descriptorFile: string
  privateKeyFile: string
  peersDir: string
}

export function intercoopFiles (config: Readonly<Config>): IntercoopFiles {
  const own = (value: string, fallback: string): string => path.resolve(config.dataDir, value === '' ? fallback : value)
  return {
    descriptorFile: own(config.intercoop.descriptorFile, 'intercoop/descriptor.yaml'),
    privateKeyFile: own(config.intercoop.privateKeyFile, 'intercoop/private-key.pem'),
    peersDir: own(config.intercoop.peersDir, 'peers'),
  }
}

/** "endovault" and 8 letters from the service uuid: peer ids must match ^[a-z]+$ (reference §A4). */
export function defaultPeerId (serviceUuid: string): string {
  const letters = serviceUuid.replace(/[^0-9a-f]/gi, '').slice(0, 8).toLowerCase()
    .replace(/[0-9a-f]/g, digit => String.fromCharCode(97 + parseInt(digit, 16)))
  return `endovault${letters}`
}

const DESCRIPTOR_HEADER = [
  '# Our intercoop peer descriptor (Som Energia format, reference §A4). Peers add this entity from',
  '# GET <targetUrl>/peerDescriptor, which serves it with targetUrl and publickey filled in.',
  '# Complete name, logo, description, url, privacyPolicyUrl (per language) and the services we offer,',
  '# each with the fields it needs. targetUrl may be set here or with INTERCOOP_TARGET_URL.',
  '',
].join('\n')

function initialDescriptor (peerid: string): string {
  return DESCRIPTOR_HEADER + dumpYaml({
    intercoopVersion: '1.0',
    peerVersion: 1,
    peerid,
    name: `endo-vault ${peerid}`,
    logo: '',
    description: { es: 'Entidad endo-vault', en: 'endo-vault entity' },
    url: '',
    privacyPolicyUrl: '',
    services: {},
  })
}

async function exists (file: string): Promise<boolean> {
  try { await fs.access(file); return true } catch { return false }
}

/** Writes what is missing: the key pair, our descriptor, the peers directory. */
export async function ensureIntercoopIdentity (config: Readonly<Config>, serviceUuid: string): Promise<IntercoopFiles> {
  const files = intercoopFiles(config)
  await fs.mkdir(files.peersDir, { recursive: true })
  if (!await exists(files.privateKeyFile)) {
    await fs.mkdir(path.dirname(files.privateKeyFile), { recursive: true, mode: 0o700 })
    const { privateKey } = await generateRsa('rsa', {
      modulusLength: config.intercoop.keyBits,
      publicExponent: 65537,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    })
    await fs.writeFile(files.privateKeyFile, privateKey, { mode: 0o600, flag: 'wx' })
  }
  if (!await exists(files.descriptorFile)) {
    await fs.mkdir(path.dirname(files.descriptorFile), { recursive: true, mode: 0o700 })
    const peerid = config.intercoop.peerId !== '' ? config.intercoop.peerId : defaultPeerId(serviceUuid)
    await fs.writeFile(files.descriptorFile, initialDescriptor(peerid), { mode: 0o644, flag: 'wx' })
  }
  return files
}

/**
 * The running entity: first-run files, then the runtime. `httpPort` gives the provisional targetUrl
 * when none is configured; start-service settles it once the port is bound.
 */
export async function openIntercoop (deps: { config: Readonly<Config>, store: Store, logger: Logger, serviceUuid: string }): Promise<IntercoopRuntime> {
  const { config, logger } = deps
  const files = await ensureIntercoopIdentity(config, deps.serviceUuid)
  const base = config.serviceUrl !== '' ? config.serviceUrl : `http://localhost:${config.httpPort}`
  const runtime = await createIntercoopRuntime({
    store: deps.store,
    logger,
    ...files,
    peerid: config.intercoop.peerId,
    targetUrl: config.intercoop.targetUrl,
    fallbackTargetUrl: `${base.replace(/\/+$/, '')}/intercoop`,
    continuationUrlTemplate: config.intercoop.continuationUrlTemplate,
    target: {
      tokenTtlSeconds: config.intercoop.tokenTtlSeconds,
      clockSkewSeconds: config.intercoop.clockSkewSeconds,
      maxPackageLifetimeSeconds: config.intercoop.maxPackageLifetimeSeconds,
      bodyLimit: `${config.limits.intercoopMaxBodyBytes}b`,
      yamlBounds: yamlBoundsOf(config.limits),
    },
    source: {
      previewTtlSeconds: config.intercoop.previewTtlSeconds,
      packageLifetimeSeconds: config.intercoop.packageLifetimeSeconds,
      requestTimeoutMs: config.intercoop.requestTimeoutMs,
      // a peer's answers are held to what we accept from peers
      maxResponseBytes: config.limits.intercoopMaxBodyBytes,
      yamlBounds: yamlBoundsOf(config.limits),
    },
  })
  if (translatableIsEmpty(runtime.entity.descriptor.privacyPolicyUrl)) {
    logger.warn({ event: 'intercoop.descriptor.incomplete', file: files.descriptorFile }, 'our intercoop descriptor has no privacyPolicyUrl: peers show it on their consent screens')
  }
  return runtime
}

function translatableIsEmpty (value: string | Record<string, string>): boolean {
  return typeof value === 'string' ? value === '' : Object.values(value).every(text => text === '')
}
