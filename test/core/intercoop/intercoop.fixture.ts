// Fixtures of the intercoop suites: the shared vectors (copied from shared/vectors/intercoop-vectors.json,
// made by the reference's intercoop-probe.py), and running entities: an express app on
// 127.0.0.1:0 with its own store file, key pair, descriptor and peers directory.
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import express, { type Router } from 'express'
import { openStore, type Store } from '../../../src/core/store/database.js'
import { createLogger, type Logger } from '../../../src/core/log.js'
import {
  createIntercoopEntity, createIntercoopRouter, generateIntercoopKeyPair, loadPeerDirectory, dumpYaml,
  type IntercoopEntity, type PeerDirectory, type IntercoopSourceDeps, type IntercoopTargetOptions, type YamlValue,
} from '../../../src/core/intercoop/index.js'

export interface VectorFile {
  key: { publicKeyPem: string, publicKeyPemPkcs1: string, privateKeyPemTestOnly: string }
  vectors: Array<{ name: string, values: Record<string, YamlValue>, payloadYaml: string, envelope: string, envelopeFields: { intercoopVersion: string, payload: string, signature: string } }>
  negative: Array<{ name: string, envelope: string, messageMatch: 'exact' | 'prefix', expected: { error: string, message: string, arguments: string[], httpStatus: number } }>
}

export const vectorFile = JSON.parse(readFileSync(new URL('./intercoop-vectors.json', import.meta.url), 'utf8')) as VectorFile

/** A peer descriptor in the upstream format, as a plain object. */
export function descriptorOf (peerid: string, targetUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    intercoopVersion: '1.0',
    peerVersion: 1,
    peerid,
    name: `${peerid} SCCL`,
    logo: `https://${peerid}.example.coop/logo.png`,
    description: { es: `La cooperativa ${peerid}`, ca: `La cooperativa ${peerid} (ca)`, en: `The ${peerid} cooperative` },
    url: { es: `https://${peerid}.example.coop/es`, en: `https://${peerid}.example.coop/en` },
    privacyPolicyUrl: { es: `https://${peerid}.example.coop/es/privacidad`, en: `https://${peerid}.example.coop/en/privacy` },
    services: {
      contract: {
        name: { es: 'Contrata la luz', en: 'Electricity contract' },
        description: { es: 'Contratar luz', en: 'Sign an electricity contract' },
        fields: ['originpeer', 'nif', 'name', 'postalcode', 'peerroles', 'country'],
      },
      newsletter: { name: 'Newsletter', description: 'News by email', fields: ['email', 'lang'] },
    },
    targetUrl,
    ...extra,
  }
}

/** Log lines collected in memory, to check what never reaches the log. */
export function memoryLogger (): { logger: Logger, lines: string[] } {
  const lines: string[] = []
  const destination = new Writable({ write (chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  return { logger: createLogger({ destination, level: 'debug' }), lines }
}

export interface RunningEntity {
  peerid: string
  baseUrl: string
  /** `<baseUrl>/intercoop`, the descriptor's targetUrl. */
  targetUrl: string
  dir: string
  peersDir: string
  store: Store
  entity: IntercoopEntity
  peers: PeerDirectory
  logLines: string[]
  /** The clock the entity reads: real time plus an offset tests move. */
  clock: { now: () => Date, offsetMs: number }
  /** Deps for the source-side domain functions. */
  source: () => IntercoopSourceDeps
  /** Writes a peer descriptor file (an object, or YAML text written as is) and reloads the peers directory. */
  addPeer: (peerid: string, descriptor: Record<string, unknown> | string) => Promise<void>
  close: () => Promise<void>
}

export interface EntityOptions {
  peerid: string
  /** Changes to this entity's own descriptor. */
  descriptor?: Record<string, unknown>
  target?: Partial<IntercoopTargetOptions>
}

const keyPairs: Array<{ privateKeyPem: string, publicKeyPem: string }> = []
/** Key pairs reused across suites of a worker (generation is the slow part). */
export function keyPair (index: number): { privateKeyPem: string, publicKeyPem: string } {
  while (keyPairs.length <= index) keyPairs.push(generateIntercoopKeyPair())
  return keyPairs[index]
}
let nextKeyPair = 0

export async function startEntity (options: EntityOptions): Promise<RunningEntity> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `intercoop-${options.peerid}-`))
  const peersDir = path.join(dir, 'peers')
  await fs.mkdir(peersDir)
  const store = await openStore({ file: path.join(dir, 'store.sqlite') })
  const { logger, lines } = memoryLogger()
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) }
  let router: Router = express.Router()
  const app = express()
  app.use('/intercoop', (req, res, next) => router(req, res, next))
  const server: Server = await new Promise(resolve => { const s = app.listen(0, '127.0.0.1', () => resolve(s)) })
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const targetUrl = `${baseUrl}/intercoop`
  const entity = createIntercoopEntity({
    descriptor: dumpYaml(descriptorOf(options.peerid, targetUrl, options.descriptor) as YamlValue),
    privateKeyPem: keyPair(nextKeyPair++ % 3).privateKeyPem,
  })
  const running: RunningEntity = {
    peerid: options.peerid,
    baseUrl,
    targetUrl,
    dir,
    peersDir,
    store,
    entity,
    peers: await loadPeerDirectory(peersDir),
    logLines: lines,
    clock,
    source: () => ({ store, entity, peers: running.peers, logger, clock: clock.now }),
    async addPeer (peerid, descriptor) {
      const text = typeof descriptor === 'string' ? descriptor : dumpYaml(descriptor as YamlValue)
      await fs.writeFile(path.join(peersDir, `${peerid}.yaml`), text)
      running.peers = await loadPeerDirectory(peersDir)
      router = createIntercoopRouter({ store, entity, peers: running.peers, logger, clock: clock.now, options: options.target })
    },
    async close () {
      const closed = new Promise(resolve => server.close(resolve))
      server.closeAllConnections()
      await closed
      await store.destroy()
      await fs.rm(dir, { recursive: true, force: true })
    },
  }
  router = createIntercoopRouter({ store, entity, peers: running.peers, logger, clock: clock.now, options: options.target })
  return running
}

/** Each entity fetches the other's served descriptor and adds it to its peers directory. */
export async function introduce (a: RunningEntity, b: RunningEntity): Promise<void> {
  const descriptorOfB = await (await fetch(`${b.targetUrl}/peerDescriptor`)).text()
  const descriptorOfA = await (await fetch(`${a.targetUrl}/peerDescriptor`)).text()
  await a.addPeer(b.peerid, descriptorOfB)
  await b.addPeer(a.peerid, descriptorOfA)
}

/** A raw HTTP exchange: status, exact Content-Type and body text. */
export async function post (url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number, contentType: string | null, text: string }> {
  const response = await fetch(url, { method: 'POST', body, headers })
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() }
}

export async function get (url: string): Promise<{ status: number, contentType: string | null, text: string }> {
  const response = await fetch(url)
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() }
}
