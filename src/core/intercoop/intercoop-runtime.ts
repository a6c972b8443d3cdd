// This instance as a running intercoop entity: the entity (descriptor file + private key file), the
// peers directory, the target API router and the source deps the jobs use, built once at start.
// The peers directory can be reloaded (SIGHUP, tests) and the target URL settled once the HTTP port
// is bound; both rebuild the router, so the one handler mounted at /intercoop always serves the
// current state.
import fs from 'node:fs/promises'
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express'
import type { Store } from '../store/database.js'
import type { Logger } from '../log.js'
import { createIntercoopEntity, type IntercoopEntity } from './entity.js'
import { loadPeerDirectory, type PeerDirectory } from './peer-directory.js'
import { checkPeerDescriptor, PeerDescriptorError } from './peer-descriptor.js'
import { createIntercoopRouter } from './target-router.js'
import type { IntercoopTargetOptions } from './target-side.js'
import type { IntercoopSourceDeps, IntercoopSourceOptions } from './source-deps.js'
import { FILE_YAML_BOUNDS, parseYaml, YamlSyntaxError } from './yaml-1-1.js'

export interface IntercoopRuntimeOptions {
  store: Store
  logger: Logger
  /** Our descriptor, YAML; `targetUrl` and `publickey` may be left out (they are filled here). */
  descriptorFile: string
  privateKeyFile: string
  peersDir: string
  /** Overrides the descriptor's peerid. */
  peerid?: string
  /** Overrides the descriptor's targetUrl. */
  targetUrl?: string
  /** The targetUrl when neither the option nor the descriptor gives one (settled later with useFallbackTargetUrl). */
  fallbackTargetUrl: string
  continuationUrlTemplate?: string
  target?: Partial<IntercoopTargetOptions>
  source?: Partial<IntercoopSourceOptions>
  clock?: () => Date
  fetch?: typeof fetch
}

export interface IntercoopRuntime {
  /** Our entity as it is now (peerid, descriptor with publickey and targetUrl, key). */
  readonly entity: IntercoopEntity
  /** The peers as last loaded. */
  readonly peers: PeerDirectory
  /** The handler to mount at /intercoop (before any body parser: the target API reads raw bodies). */
  readonly handler: RequestHandler
  /** Deps for the source-side domain functions (the person-facing jobs), current entity and peers. */
  source: () => IntercoopSourceDeps
  /** Reads the peers directory again; a bad descriptor throws and the previous peers stay. */
  reloadPeers: () => Promise<void>
  /** Settles the targetUrl when it came from the fallback (the bound HTTP address is known only after listen). */
  useFallbackTargetUrl: (url: string) => void
}

/** Reads our descriptor file as a mapping (its checks come with the entity). */
async function readDescriptorFile (file: string): Promise<Record<string, unknown>> {
  const text = await fs.readFile(file, 'utf8')
  let value: unknown
  try {
    value = parseYaml(text, FILE_YAML_BOUNDS)
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw new PeerDescriptorError(file, `not YAML: ${error.message}`)
    throw error
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new PeerDescriptorError(file, 'a peer descriptor must be a YAML mapping')
  return value as Record<string, unknown>
}

export async function createIntercoopRuntime (options: IntercoopRuntimeOptions): Promise<IntercoopRuntime> {
  const [descriptor, privateKeyPem] = await Promise.all([
    readDescriptorFile(options.descriptorFile),
    fs.readFile(options.privateKeyFile, 'utf8'),
  ])
  const targetUrlOf = (fallback: string): { url: string, fromFallback: boolean } => {
    if (options.targetUrl !== undefined && options.targetUrl !== '') return { url: options.targetUrl, fromFallback: false }
    if (typeof descriptor.targetUrl === 'string' && descriptor.targetUrl !== '') return { url: descriptor.targetUrl, fromFallback: false }
    return { url: fallback, fromFallback: true }
  }
  const entityWith = (targetUrl: string): IntercoopEntity => {
    try {
      return createIntercoopEntity({
        descriptor: checkPeerDescriptor({
          ...descriptor,
          ...(options.peerid !== undefined && options.peerid !== '' ? { peerid: options.peerid } : {}),
          targetUrl,
        }, options.descriptorFile),
        privateKeyPem,
        continuationUrlTemplate: options.continuationUrlTemplate === '' ? undefined : options.continuationUrlTemplate,
      })
    } catch (error) {
      // the entity's own checks (key match, continuation template) name no file; say which one to fix
      if (error instanceof PeerDescriptorError && error.message.startsWith('entity descriptor: ')) throw new PeerDescriptorError(options.descriptorFile, error.message.replace(/^entity descriptor: /, ''))
      throw error
    }
  }

  const initial = targetUrlOf(options.fallbackTargetUrl)
  let entity = entityWith(initial.url)
  let peers = await loadPeerDirectory(options.peersDir)
  let router: Router
  const rebuild = (): void => {
    router = createIntercoopRouter({ store: options.store, entity, peers, logger: options.logger, clock: options.clock, options: options.target })
  }
  rebuild()
  const logLoaded = (): void => {
    options.logger.info({ event: 'intercoop.peers.loaded', peerid: entity.peerid, peers: peers.list().map(peer => peer.peerid) }, 'intercoop peers loaded')
  }
  logLoaded()

  return {
    get entity () { return entity },
    get peers () { return peers },
    handler: (req: Request, res: Response, next: NextFunction) => { router(req, res, next) },
    source: () => ({
      store: options.store,
      entity,
      peers,
      logger: options.logger,
      clock: options.clock,
      fetch: options.fetch,
      options: options.source,
    }),
    async reloadPeers () {
      peers = await loadPeerDirectory(options.peersDir)
      rebuild()
      logLoaded()
    },
    useFallbackTargetUrl (url) {
      if (!initial.fromFallback) return
      entity = entityWith(url)
      rebuild()
    },
  }
}
