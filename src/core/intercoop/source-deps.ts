// What the source side's domain functions (called by the person-facing jobs) need.
import type { Store } from '../store/database.js'
import type { Logger } from '../log.js'
import type { IntercoopEntity } from './entity.js'
import type { PeerDirectory } from './peer-directory.js'
import type { PeerHttp } from './peer-client.js'

export interface IntercoopSourceOptions {
  /** How long a preview's consent id may be used to activate. */
  previewTtlSeconds: number
  /** expiresAt − issuedAt of the packages we send. */
  packageLifetimeSeconds: number
  /** Timeout of each call to a peer. */
  requestTimeoutMs: number
}

export const DEFAULT_SOURCE_OPTIONS: IntercoopSourceOptions = {
  previewTtlSeconds: 900,
  packageLifetimeSeconds: 300,
  requestTimeoutMs: 10_000,
}

export interface IntercoopSourceDeps {
  store: Store
  entity: IntercoopEntity
  peers: PeerDirectory
  logger?: Logger
  clock?: () => Date
  /** The HTTP client (global fetch by default). */
  fetch?: typeof fetch
  options?: Partial<IntercoopSourceOptions>
}

/** Options with defaults, the clock and the HTTP settings. */
export function sourceSettings (deps: IntercoopSourceDeps): { options: IntercoopSourceOptions, now: () => Date, http: PeerHttp } {
  const options = { ...DEFAULT_SOURCE_OPTIONS, ...deps.options }
  return {
    options,
    now: deps.clock ?? (() => new Date()),
    http: { fetch: deps.fetch ?? globalThis.fetch, timeoutMs: options.requestTimeoutMs },
  }
}
