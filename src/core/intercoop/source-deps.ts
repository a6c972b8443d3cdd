// What the source side's domain functions (called by the person-facing jobs) need.
import type { Store } from '../store/database.js'
import type { Logger } from '../log.js'
import type { IntercoopEntity } from './entity.js'
import type { PeerDirectory } from './peer-directory.js'
import type { PeerHttp } from './peer-client.js'
import { PEER_YAML_BOUNDS, type YamlBounds } from './yaml-1-1.js'
import { DEFAULT_LIMITS } from '../limits.js'

export interface IntercoopSourceOptions {
  /** How long a preview's consent id may be used to activate. */
  previewTtlSeconds: number
  /** expiresAt − issuedAt of the packages we send. */
  packageLifetimeSeconds: number
  /** Timeout of each call to a peer (reading its answer included). */
  requestTimeoutMs: number
  /** Largest answer read from a peer. */
  maxResponseBytes: number
  /** What parsing a peer's answer may cost (aliases, depth, tokens). */
  yamlBounds: YamlBounds
}

export const DEFAULT_SOURCE_OPTIONS: IntercoopSourceOptions = {
  previewTtlSeconds: 900,
  packageLifetimeSeconds: 300,
  requestTimeoutMs: 10_000,
  maxResponseBytes: DEFAULT_LIMITS.intercoopMaxBodyBytes,
  yamlBounds: PEER_YAML_BOUNDS,
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
    http: { fetch: deps.fetch ?? globalThis.fetch, timeoutMs: options.requestTimeoutMs, maxResponseBytes: options.maxResponseBytes, yamlBounds: options.yamlBounds },
  }
}
