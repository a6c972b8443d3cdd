// Configuration: one JSON Schema (each option with its environment variable, default and purpose),
// read from the environment, validated with ajv, then frozen. docs/configuration.md is generated from it.
import { Ajv } from 'ajv'
import path from 'node:path'

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    dataDir: { type: 'string', default: './data', 'x-env': 'DATA_DIR', description: 'Directory for the database file, meshblu.json and keys; created on first start.' },
    host: { type: 'string', default: '0.0.0.0', 'x-env': 'HOST', description: 'Address the MQTT and HTTP listeners bind to.' },
    mqttPort: { type: 'integer', minimum: 0, maximum: 65535, default: 1883, 'x-env': 'MQTT_PORT', description: 'MQTT (TCP) port; 0 picks a free one.' },
    httpPort: { type: 'integer', minimum: 0, maximum: 65535, default: 3000, 'x-env': 'PORT', description: 'HTTP port (REST API, schemas, onboarding, MQTT over WebSocket at /mqtt); 0 picks a free one.' },
    serviceUrl: { type: 'string', default: '', 'x-env': 'SERVICE_URL', description: 'Public base URL of the HTTP API (used in schema $refs and OAuth callbacks); defaults to http://localhost:<port>.' },
    databaseUrl: { type: 'string', default: '', 'x-env': 'DATABASE_URL', description: 'postgres://… to use PostgreSQL instead of the embedded SQLite file.' },
    maxPayloadBytes: { type: 'integer', minimum: 1024, default: 1048576, 'x-env': 'MAX_PAYLOAD_BYTES', description: 'Largest accepted MQTT payload or HTTP body. Recommended: keep at 1 MiB.' },
    drainTimeout: { type: 'integer', minimum: 100, default: 10000, 'x-env': 'MQTT_DRAIN_TIMEOUT_MS', description: 'ms a subscriber that stops reading may hold up delivery before it is disconnected, so it cannot stall others.' },
    logLevel: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', 'x-env': 'LOG_LEVEL', description: 'pino log level.' },
    platformAdmins: { type: 'array', items: { type: 'string' }, default: [], 'x-env': 'PLATFORM_ADMINS', description: 'Comma-separated device uuids allowed to validate organizations and services.' },
    credentialsCacheSize: { type: 'integer', minimum: 0, default: 10000, 'x-env': 'CREDENTIALS_CACHE_SIZE', description: 'Unwrapped credential data keys kept in memory (LRU), so a job costs one AES-GCM decrypt instead of an RSA operation.' },
    authAttemptsPerMinute: { type: 'integer', minimum: 1, default: 10, 'x-env': 'AUTH_ATTEMPTS_PER_MINUTE', description: 'Failed API-token authentications allowed per key id and per address each minute before 429.' },
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
        callbackUrl: { type: 'string', default: '', 'x-env': 'OAUTH_CALLBACK_URL', description: 'Absolute callback URL; defaults to <serviceUrl>/auth/api/callback.' },
        refreshMarginSeconds: { type: 'integer', minimum: 0, default: 60, 'x-env': 'OAUTH_REFRESH_MARGIN_SECONDS', description: 'Refresh access tokens this many seconds before they expire.' },
      },
    },
    intercoop: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'This instance as an intercoop entity.',
      properties: {
        peerId: { type: 'string', default: '', 'x-env': 'INTERCOOP_PEER_ID', description: 'Our peer id; defaults to "endo-vault-<first 8 chars of the service uuid>".' },
        peersDir: { type: 'string', default: '', 'x-env': 'INTERCOOP_PEERS_DIR', description: 'Directory of peer descriptors (YAML); defaults to <dataDir>/peers.' },
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
  maxPayloadBytes: number
  drainTimeout: number
  logLevel: string
  platformAdmins: string[]
  credentialsCacheSize: number
  authAttemptsPerMinute: number
  oauth: {
    authorizationUrl: string, tokenUrl: string, userinfoUrl: string, revocationUrl: string, clientId: string,
    clientSecret: string, scope: string, callbackUrl: string, refreshMarginSeconds: number
  }
  intercoop: { peerId: string, peersDir: string }
}

type Schema = { type?: string, properties?: Record<string, Schema>, 'x-env'?: string, items?: Schema }

function fromEnvironment (schema: Schema, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [key, option] of Object.entries(schema.properties ?? {})) {
    if (option.type === 'object') { result[key] = fromEnvironment(option, env); continue }
    const raw = option['x-env'] === undefined ? undefined : env[option['x-env']]
    if (raw === undefined || raw === '') continue
    result[key] = option.type === 'integer' ? Number(raw) : option.type === 'array' ? raw.split(',').map(s => s.trim()).filter(Boolean) : raw
  }
  return result
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

/** Reads the environment, applies overrides (tests), validates and freezes. A bad value throws naming it. */
export function loadConfig (overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const config = merge(fromEnvironment(CONFIG_SCHEMA as Schema, env), overrides as Record<string, unknown>)
  const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false })
  const validate = ajv.compile(CONFIG_SCHEMA)
  if (!validate(config)) {
    const problems = (validate.errors ?? []).map(e => `${e.instancePath.replaceAll('/', '.').slice(1) || 'config'} ${e.message ?? ''}`)
    throw new TypeError(`invalid configuration: ${problems.join('; ')}`)
  }
  const result = config as unknown as Config
  result.dataDir = path.resolve(result.dataDir)
  return deepFreeze(result)
}
