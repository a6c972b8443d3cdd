// Configuration: one JSON Schema (each option with its environment variable, default and purpose),
// read from the environment, validated with ajv (config-validator.ts), then frozen. docs/configuration.md is
// generated from it.
import type { ErrorObject } from 'ajv'
import path from 'node:path'
import { LIMITS_SCHEMA, type Limits } from './limits.js'
import { configValidator } from './config-validator.js'

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    dataDir: { type: 'string', default: './data', 'x-env': 'DATA_DIR', description: 'Directory for the database file, meshblu.json and keys; created on first start.' },
    host: { type: 'string', default: '0.0.0.0', 'x-env': 'HOST', description: 'Address the MQTT and HTTP listeners bind to.' },
    mqttPort: { type: 'integer', minimum: 0, maximum: 65535, default: 1883, 'x-env': 'MQTT_PORT', description: 'MQTT (TCP) port; 0 picks a free one.' },
    httpPort: { type: 'integer', minimum: 0, maximum: 65535, default: 3000, 'x-env': 'PORT', description: 'HTTP port (REST API, schemas, onboarding, MQTT over WebSocket at /mqtt); 0 picks a free one.' },
    serviceUrl: { type: 'string', default: '', 'x-env': 'SERVICE_URL', description: 'Public base URL of the HTTP API (used in OAuth callbacks); when empty, the callback is resolved against the host of the request that started the authorization.' },
    databaseUrl: { type: 'string', default: '', 'x-env': 'DATABASE_URL', description: 'postgres://… to use PostgreSQL instead of the embedded SQLite file.' },
    redisUrl: { type: 'string', default: '', 'x-env': 'REDIS_URL', description: 'redis://… switches the instance into cluster mode (with DATABASE_URL): MQTT fan-out and sessions in Redis (mqemitter-redis, aedes-persistence-redis), device and credential changes announced to every instance. Empty: one instance, in-process.' },
    logLevel: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', 'x-env': 'LOG_LEVEL', description: 'pino log level.' },
    platformAdmins: { type: 'array', items: { type: 'string' }, default: [], 'x-env': 'PLATFORM_ADMINS', description: 'Comma-separated device uuids allowed to validate organizations and services.' },
    credentialsCacheSize: { type: 'integer', minimum: 0, default: 10000, 'x-env': 'CREDENTIALS_CACHE_SIZE', description: 'Unwrapped credential data keys kept in memory (LRU), so a job costs one AES-GCM decrypt instead of an RSA operation.' },
    gcProfile: { type: 'string', enum: ['auto', 'lean', 'parallel'], default: 'auto', 'x-env': 'GC_PROFILE', description: 'V8 garbage-collector threads of `endo-vault start`. lean: minor collections and ArrayBuffer sweeping on the main thread (no helper threads per scavenge); parallel: V8\'s defaults; auto: lean on 2 cores or fewer, where helper threads take the core the kernel\'s network work needs. Major collections stay concurrent in both.' },
    metricsToken: { type: 'string', default: '', 'x-env': 'METRICS_TOKEN', description: 'Bearer token that GET /metrics requires (`Authorization: Bearer <token>`), from any address. Empty: /metrics answers only requests from loopback; everyone else gets 404. Set it when a proxy on the same host forwards requests (they then come from loopback).' },
    drainTimeoutMs: { type: 'integer', minimum: 0, default: 10000, 'x-env': 'DRAIN_TIMEOUT_MS', description: 'On SIGTERM, how long the drain waits for running jobs before it closes the MQTT sessions and exits (/readyz answers 503 and no new connection is accepted meanwhile). Recommended: below the orchestrator\'s grace period (Kubernetes: 30 s).' },
    limits: LIMITS_SCHEMA,
    oauth: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The third-party OAuth2 provider used for onboarding (passport-oauth2). Onboarding is off unless authorizationUrl is set.',
      properties: {
        authorizationUrl: { type: 'string', default: '', 'x-env': 'OAUTH_AUTHORIZATION_URL', description: 'Provider authorization endpoint.' },
        tokenUrl: { type: 'string', default: '', 'x-env': 'OAUTH_TOKEN_URL', description: 'Provider token endpoint.' },
        userinfoUrl: { type: 'string', default: '', 'x-env': 'OAUTH_USERINFO_URL', description: 'Provider userinfo endpoint (needs the openid scope).' },
        revocationUrl: { type: 'string', default: '', 'x-env': 'OAUTH_REVOCATION_URL', description: 'Optional provider token revocation endpoint.' },
        clientId: { type: 'string', default: '', 'x-env': 'OAUTH_CLIENT_ID', description: 'Client id registered with the provider.' },
        clientSecret: { type: 'string', default: '', 'x-env': 'OAUTH_CLIENT_SECRET', description: 'Client secret (never logged).' },
        scope: { type: 'string', default: 'openid profile email offline_access', 'x-env': 'OAUTH_SCOPE', description: 'Space-separated scopes; openid is needed for userinfo, offline_access for refresh tokens.' },
        callbackUrl: { type: 'string', default: '', 'x-env': 'OAUTH_CALLBACK_URL', description: 'Absolute callback URL; defaults to <serviceUrl>/auth/api/callback, or to the requesting host when serviceUrl is empty (keeps the state cookie on the same host).' },
        refreshMarginSeconds: { type: 'integer', minimum: 0, default: 60, 'x-env': 'OAUTH_REFRESH_MARGIN_SECONDS', description: 'Refresh access tokens this many seconds before they expire.' },
      },
    },
    intercoop: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'This instance as an intercoop entity (Som Energia protocol): its identity, its target API at /intercoop, and the consent flow of the Intercoop jobs.',
      properties: {
        peerId: { type: 'string', pattern: '^([a-z]+)?$', default: '', 'x-env': 'INTERCOOP_PEER_ID', description: 'Our peer id (lower-case letters only, as peer descriptors require); overrides the one in our descriptor file. On first run it defaults to "endovault" plus 8 letters made from the service uuid.' },
        peersDir: { type: 'string', default: '', 'x-env': 'INTERCOOP_PEERS_DIR', description: 'Directory of peer descriptors, one `<peerid>.yaml` per peer (upstream format); defaults to <dataDir>/peers, created empty. Read at start and on SIGHUP.' },
        descriptorFile: { type: 'string', default: '', 'x-env': 'INTERCOOP_DESCRIPTOR_FILE', description: 'Our own peer descriptor (YAML, upstream format, without publickey: it comes from our key); defaults to <dataDir>/intercoop/descriptor.yaml, written on first run for the operator to complete (name, services, privacyPolicyUrl). Served at /intercoop/peerDescriptor.' },
        privateKeyFile: { type: 'string', default: '', 'x-env': 'INTERCOOP_PRIVATE_KEY_FILE', description: 'Our RSA private key (PEM), the one packages are signed with; defaults to <dataDir>/intercoop/private-key.pem, generated on first run (mode 0600).' },
        keyBits: { type: 'integer', minimum: 2048, maximum: 8192, default: 2048, 'x-env': 'INTERCOOP_KEY_BITS', description: 'RSA modulus of the key generated on first run. 2048 is what the Som Energia reference generates; every size verifies.' },
        targetUrl: { type: 'string', default: '', 'x-env': 'INTERCOOP_TARGET_URL', description: 'Public base URL of our target API, as peers must call it; overrides the descriptor file. Defaults to the descriptor\'s targetUrl, else <serviceUrl>/intercoop, else the bound HTTP address + /intercoop. Recommended: an https URL.' },
        continuationUrlTemplate: { type: 'string', default: '', 'x-env': 'INTERCOOP_CONTINUATION_URL', description: 'Where a person sent to us continues, `{uuid}` standing for the single-use token of the received data; defaults to <targetUrl>/activateService/{uuid} (the data itself, as YAML). Point it at the sign-up page that reads the token.' },
        tokenTtlSeconds: { type: 'integer', minimum: 1, default: 600, 'x-env': 'INTERCOOP_TOKEN_TTL_SECONDS', description: 'How long received data waits for its (single) collection before it is purged. Recommended: minutes.' },
        clockSkewSeconds: { type: 'integer', minimum: 0, default: 300, 'x-env': 'INTERCOOP_CLOCK_SKEW_SECONDS', description: 'Tolerated clock difference with peers when checking issuedAt/expiresAt of received packages.' },
        maxPackageLifetimeSeconds: { type: 'integer', minimum: 1, default: 3600, 'x-env': 'INTERCOOP_MAX_PACKAGE_LIFETIME_SECONDS', description: 'The longest validity a received package may claim (expiresAt − issuedAt); also the expiry of one with issuedAt only. Nonces are remembered this long.' },
        previewTtlSeconds: { type: 'integer', minimum: 1, default: 900, 'x-env': 'INTERCOOP_PREVIEW_TTL_SECONDS', description: 'How long the consent id of a PreviewIntercoopActivation may be used to activate.' },
        packageLifetimeSeconds: { type: 'integer', minimum: 1, default: 300, 'x-env': 'INTERCOOP_PACKAGE_LIFETIME_SECONDS', description: 'expiresAt − issuedAt of the packages we send (replay hardening).' },
        requestTimeoutMs: { type: 'integer', minimum: 100, default: 10000, 'x-env': 'INTERCOOP_REQUEST_TIMEOUT_MS', description: 'Timeout of each call to a peer\'s API; then the job answers BackendError (502).' },
        defaultLang: { type: 'string', pattern: '^[a-z]{2,3}$', default: 'es', 'x-env': 'INTERCOOP_DEFAULT_LANG', description: 'Language of catalogue texts and field labels when neither the job nor the person\'s profile locale gives one (upstream falls back to es).' },
        vaultTemplate: { type: 'string', pattern: '^([a-z0-9_]{1,64})?$', default: 'personal_details', 'x-env': 'INTERCOOP_VAULT_TEMPLATE', description: 'Vault template whose items (the person\'s own) fill transfer fields: a slot named like a field (nif, postal_code, phone…) gives its value, overriding the OAuth profile. Empty: profile only.' },
      },
    },
    vault: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The vault, connections and shares.',
      properties: {
        connectionKeyBits: { type: 'integer', minimum: 2048, maximum: 8192, default: 4096, 'x-env': 'VAULT_CONNECTION_KEY_BITS', description: 'RSA modulus of the key pair each side of a connection gets (shares are wrapped to it). Keep 4096 (Cryppo\'s Rsa4096); tests use 2048 for speed.' },
        keyPoolSize: { type: 'integer', minimum: 0, default: 2, 'x-env': 'VAULT_KEY_POOL_SIZE', description: 'Connection key pairs generated ahead (off the event loop) once the first invitation is made; 0 generates each on demand.' },
      },
    },
  },
} as const

export interface Config {
  dataDir: string
  host: string
  mqttPort: number
  httpPort: number
  serviceUrl: string
  databaseUrl: string
  redisUrl: string
  logLevel: string
  platformAdmins: string[]
  credentialsCacheSize: number
  gcProfile: 'auto' | 'lean' | 'parallel'
  metricsToken: string
  drainTimeoutMs: number
  limits: Limits
  oauth: {
    authorizationUrl: string, tokenUrl: string, userinfoUrl: string, revocationUrl: string, clientId: string,
    clientSecret: string, scope: string, callbackUrl: string, refreshMarginSeconds: number
  }
  intercoop: {
    peerId: string, peersDir: string, descriptorFile: string, privateKeyFile: string, keyBits: number, targetUrl: string,
    continuationUrlTemplate: string, tokenTtlSeconds: number, clockSkewSeconds: number, maxPackageLifetimeSeconds: number,
    previewTtlSeconds: number, packageLifetimeSeconds: number, requestTimeoutMs: number,
    defaultLang: string, vaultTemplate: string
  }
  vault: { connectionKeyBits: number, keyPoolSize: number }
}

type Schema = { type?: string, properties?: Record<string, Schema>, 'x-env'?: string, items?: Schema }

function fromEnvironment (schema: Schema, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [key, option] of Object.entries(schema.properties ?? {})) {
    if (option.type === 'object') { result[key] = fromEnvironment(option, env); continue }
    const raw = option['x-env'] === undefined ? undefined : env[option['x-env']]
    if (raw === undefined || raw === '') continue
    // a non-number stays a string, so validation says "must be integer" once rather than failing every bound on NaN
    result[key] = option.type === 'integer' ? (Number.isNaN(Number(raw)) ? raw : Number(raw)) : option.type === 'array' ? raw.split(',').map(s => s.trim()).filter(Boolean) : raw
  }
  return result
}

/** `gcProfile must be one of auto, lean, parallel (environment: GC_PROFILE)` */
function problemText (error: ErrorObject): string {
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
  const text = error.keyword === 'enum' && allowed !== undefined ? `must be one of ${allowed.join(', ')}` : error.message ?? 'is invalid'
  return optionProblem(error.instancePath.split('/').slice(1).join('.') || 'config', text)
}

/** A problem with one option (dotted path, e.g. `oauth.clientId`), naming the environment variable that sets it. */
export function optionProblem (option: string, text: string): string {
  let schema: Schema | undefined = CONFIG_SCHEMA as Schema
  for (const key of option.split('.')) schema = schema?.properties?.[key]
  return `${option} ${text}${schema?.['x-env'] === undefined ? '' : ` (environment: ${schema['x-env']})`}`
}

function merge (base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const result = { ...base }
  for (const [key, value] of Object.entries(overrides)) {
    result[key] = value !== null && typeof value === 'object' && !Array.isArray(value)
      ? merge((base[key] as Record<string, unknown>) ?? {}, value as Record<string, unknown>)
      : value
  }
  return result
}

function deepFreeze<T> (value: T): T {
  if (value !== null && typeof value === 'object') { for (const child of Object.values(value)) deepFreeze(child); Object.freeze(value) }
  return value
}

export type ConfigOverrides = { [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> | Config[K] : Config[K] }

/** A setting the service cannot start with; the message names the option and its environment variable. */
export class ConfigError extends TypeError {
  constructor (problems: string) {
    super(`invalid configuration: ${problems}`)
    this.name = 'ConfigError'
  }
}

/** Reads the environment, applies overrides (tests), validates and freezes. A bad value throws naming it. */
export function loadConfig (overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const config = merge(fromEnvironment(CONFIG_SCHEMA as Schema, env), overrides as Record<string, unknown>)
  const validate = configValidator(CONFIG_SCHEMA)
  if (!validate(config)) throw new ConfigError((validate.errors ?? []).map(problemText).join('; '))
  const result = config as unknown as Config
  // one delivery (a message of maxPayloadBytes in its envelope) must fit in a connection's output backlog
  if (result.limits.maxPendingOutputBytes < result.limits.maxPayloadBytes + 65536) {
    throw new ConfigError(optionProblem('limits.maxPendingOutputBytes', 'must be at least limits.maxPayloadBytes + 64 KiB (one delivery of the largest message)'))
  }
  result.dataDir = path.resolve(result.dataDir)
  return deepFreeze(result)
}
