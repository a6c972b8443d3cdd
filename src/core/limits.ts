// Every bound the service enforces on what clients send or leave behind, in one table: each with its
// environment variable, default and reason. config.ts embeds this table under `limits`; README's
// Reliability section and docs/configuration.md list it. A leaf module: it imports nothing of ours.

const KiB = 1024
const MiB = 1024 * KiB

export const LIMITS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'Bounds on what any client (registration is open: anyone) can make the service hold, compute or write.',
  properties: {
    maxPayloadBytes: { type: 'integer', minimum: 1024, default: MiB, 'x-env': 'MAX_PAYLOAD_BYTES', description: 'Largest MQTT request payload or HTTP JSON body; larger ones get a 413 / error reply. Recommended: keep at 1 MiB.' },
    maxPacketBytes: { type: 'integer', minimum: 2048, default: 4 * MiB + 64 * KiB, 'x-env': 'MAX_PACKET_BYTES', description: 'Largest MQTT packet (TCP) and WebSocket frame (ws maxPayload): the connection is cut as soon as a header announces more, before the body is buffered. Between maxPayloadBytes and this, a request is read and answered with a 413 error reply.' },
    maxJsonDepth: { type: 'integer', minimum: 2, maximum: 1000, default: 64, 'x-env': 'MAX_JSON_DEPTH', description: 'Deepest nesting of objects/arrays in any JSON a client sends (MQTT, HTTP, jobs), checked on the raw bytes before parsing, so nothing recursive ever walks deeper input.' },
    maxRecipientsPerMessage: { type: 'integer', minimum: 1, default: 1000, 'x-env': 'MAX_RECIPIENTS_PER_MESSAGE', description: 'Devices one message may name in `devices` (each is a delivery of the whole message); more is a 422. Broadcasts (`*`) reach subscribers, not a list.' },
    maxDeviceBytes: { type: 'integer', minimum: 1024, default: 64 * KiB, 'x-env': 'MAX_DEVICE_BYTES', description: 'Largest device document (as JSON) after a registration or an update; larger ones are refused with 413 and nothing is stored.' },
    maxTokenMetadataBytes: { type: 'integer', minimum: 64, default: 4 * KiB, 'x-env': 'MAX_TOKEN_METADATA_BYTES', description: 'Largest metadata (as JSON) a session token may carry.' },
    maxTokensPerDevice: { type: 'integer', minimum: 2, default: 1000, 'x-env': 'MAX_TOKENS_PER_DEVICE', description: 'Session tokens one device may hold; creating one more answers 429 until some are revoked.' },
    maxSubscriptionsPerDevice: { type: 'integer', minimum: 1, default: 1000, 'x-env': 'MAX_SUBSCRIPTIONS_PER_DEVICE', description: 'Meshblu subscriptions one device may have as subscriber (and MQTT topic subscriptions one connection may hold).' },
    searchMaxResults: { type: 'integer', minimum: 1, default: 1000, 'x-env': 'SEARCH_MAX_RESULTS', description: 'Devices or tokens one search answers at most; the rest is reached with paging (see README).' },
    searchMaxBytes: { type: 'integer', minimum: 1024, default: 4 * MiB, 'x-env': 'SEARCH_MAX_BYTES', description: 'Largest answer of one search (JSON bytes); a page stops before it would pass this.' },
    queryMaxNodes: { type: 'integer', minimum: 64, default: 512, 'x-env': 'QUERY_MAX_NODES', description: 'Cost of one Mongo-style query, projection or $pull condition: 1 per key and array element, 16 per operator applied to a field, 64 plus the compiled size per $regex (the evaluation cost per document is proportional to it).' },
    queryMaxRegexLength: { type: 'integer', minimum: 1, default: 256, 'x-env': 'QUERY_MAX_REGEX_LENGTH', description: 'Longest literal $regex pattern. Patterns run in RE2 (linear time), only with the flags i, m, s; nested repetition is refused whatever the length.' },
    queryMaxFieldPathChars: { type: 'integer', minimum: 16, default: 1024, 'x-env': 'QUERY_MAX_FIELD_PATH_CHARS', description: 'Longest field path (`a.b.c`) in a query, projection or update; it is resolved on every document searched.' },
    deviceCacheSize: { type: 'integer', minimum: 100, default: 50_000, 'x-env': 'DEVICE_CACHE_SIZE', description: 'Device documents kept in memory besides those of connected devices (least recently used are dropped); any other device is one indexed read away. The registry itself lives in the store, so memory does not grow with the number of devices.' },
    searchScanRows: { type: 'integer', minimum: 100, default: 20_000, 'x-env': 'SEARCH_SCAN_ROWS', description: 'Store rows one search page reads at most (a query on uuid, type or owner reads only matching rows; any other reads devices newest first). When reached, the page ends early with a cursor in x-meshblu-next-page to continue from.' },
    maxIndexedValuesPerField: { type: 'integer', minimum: 1, default: 32, 'x-env': 'MAX_INDEXED_VALUES_PER_FIELD', description: 'Distinct strings one device may hold in an indexed field (type, owner: a string or an array of strings); more is a 422, since each is an index row.' },
    searchSliceMs: { type: 'integer', minimum: 1, maximum: 1000, default: 2, 'x-env': 'SEARCH_SLICE_MS', description: 'Longest a device search runs on the event loop before it lets other work in (it resumes right after), so a search over a large registry never holds up other clients.' },
    sessionQueueMaxMessages: { type: 'integer', minimum: 1, default: 1000, 'x-env': 'MQTT_SESSION_QUEUE_MAX_MESSAGES', description: 'QoS 1/2 messages kept for one offline persistent session (or one not yet acknowledged); the oldest are dropped past it.' },
    sessionQueueMaxBytes: { type: 'integer', minimum: 1024, default: 4 * MiB, 'x-env': 'MQTT_SESSION_QUEUE_MAX_BYTES', description: 'Payload bytes kept for one offline persistent session; the oldest are dropped past it.' },
    sessionExpirySeconds: { type: 'integer', minimum: 1, default: 86400, 'x-env': 'MQTT_SESSION_EXPIRY_SECONDS', description: 'How long a persistent session (clean=false) is kept after its connection ends: subscriptions, offline queue, client id ownership.' },
    maxInflightQos2: { type: 'integer', minimum: 1, default: 64, 'x-env': 'MQTT_MAX_INFLIGHT_QOS2', description: 'QoS 2 publications a client may leave unreleased (PUBREC without PUBREL); past it the connection is closed.' },
    maxPendingOutputBytes: { type: 'integer', minimum: 65536, default: 4 * MiB, 'x-env': 'MQTT_MAX_PENDING_OUTPUT_BYTES', description: 'Bytes waiting in one connection\'s socket buffer: a client that stops reading is disconnected past it (before drainTimeout if need be). With maxConnectionsPerDevice it bounds what one device can make the service hold for it (16 × 4 MiB); at least maxPayloadBytes + 64 KiB.' },
    drainTimeout: { type: 'integer', minimum: 100, default: 10000, 'x-env': 'MQTT_DRAIN_TIMEOUT_MS', description: 'ms a subscriber that stops reading may hold up delivery before it is disconnected, so it cannot stall others.' },
    connectTimeout: { type: 'integer', minimum: 100, default: 30000, 'x-env': 'MQTT_CONNECT_TIMEOUT_MS', description: 'ms a new MQTT or WebSocket connection has to deliver its whole CONNECT packet; past it the connection is closed, so a client that sends nothing, or one byte at a time, holds its buffers no longer.' },
    maxConnectionsPerDevice: { type: 'integer', minimum: 1, default: 16, 'x-env': 'MAX_CONNECTIONS_PER_DEVICE', description: 'Open MQTT/WebSocket connections one device (or API token) may have; one more is refused (CONNACK 5, not authorized).' },
    registrationsPerAddressPerMinute: { type: 'integer', minimum: 1, default: 600, 'x-env': 'REGISTRATIONS_PER_ADDRESS_PER_MINUTE', description: 'Open device registrations (POST /devices) from one client address each minute before 429.' },
    authFailuresPerAddressPerMinute: { type: 'integer', minimum: 1, default: 60, 'x-env': 'AUTH_FAILURES_PER_ADDRESS_PER_MINUTE', description: 'Failed authentications (MQTT CONNECT, HTTP) from one client address each minute; past it every attempt from there is refused (CONNACK 4 / HTTP 429) until the minute ends.' },
    authFailureAddressesTracked: { type: 'integer', minimum: 1000, default: 100000, 'x-env': 'AUTH_FAILURE_ADDRESSES_TRACKED', description: 'Client addresses (IPv6 by /64) whose failed authentications are counted at once; past it the oldest windows are forgotten first, so memory stays bounded under a flood from many addresses.' },
    authAttemptsPerMinute: { type: 'integer', minimum: 1, default: 10, 'x-env': 'AUTH_ATTEMPTS_PER_MINUTE', description: 'Failed API-token authentications allowed per key id and per address each minute before 429.' },
    intercoopMaxBodyBytes: { type: 'integer', minimum: 1024, default: 65536, 'x-env': 'INTERCOOP_MAX_BODY_BYTES', description: 'Largest package the intercoop target API accepts; larger ones are refused as BadMessage (413).' },
    intercoopMaxYamlAliases: { type: 'integer', minimum: 0, default: 16, 'x-env': 'INTERCOOP_MAX_YAML_ALIASES', description: 'YAML aliases one intercoop package (or peer answer) may use (alias bombs expand exponentially); more is BadMessage (envelope) or BadFormat (payload), 400.' },
    intercoopMaxYamlTokens: { type: 'integer', minimum: 256, default: 1024, 'x-env': 'INTERCOOP_MAX_YAML_TOKENS', description: 'YAML tokens (indicators, scalars, spaces, line breaks) in one intercoop envelope, payload or peer answer; parsing costs µs per token, and a real package has a few hundred. More is BadMessage / BadFormat, 400.' },
    clientStringMaxChars: { type: 'integer', minimum: 16, default: 200, 'x-env': 'CLIENT_STRING_MAX_CHARS', description: 'Longest client-supplied string copied into an error reply, a status device or a log line; longer ones are cut with "…".' },
    errorMessageMaxChars: { type: 'integer', minimum: 256, default: 8192, 'x-env': 'ERROR_MESSAGE_MAX_CHARS', description: 'Longest error message any reply carries (the last guard behind clientStringMaxChars: schema error lists, texts built from several client strings).' },
    maxValidationErrors: { type: 'integer', minimum: 1, default: 20, 'x-env': 'MAX_VALIDATION_ERRORS', description: 'Schema errors named in one 422 reply (each cut to clientStringMaxChars); the rest are counted.' },
    vaultMaxItemsPerOwner: { type: 'integer', minimum: 1, default: 10000, 'x-env': 'VAULT_MAX_ITEMS_PER_OWNER', description: 'Vault items (own and received) one person may keep; one more is a 409 naming the quota.' },
    vaultMaxSlotsPerItem: { type: 'integer', minimum: 1, default: 500, 'x-env': 'VAULT_MAX_SLOTS_PER_ITEM', description: 'Slots one vault item may have (UpdateItem adds slots; each message is bounded, the item was not).' },
    vaultMaxTemplatesPerOwner: { type: 'integer', minimum: 1, default: 1000, 'x-env': 'VAULT_MAX_TEMPLATES_PER_OWNER', description: 'Templates one person may create (ListTemplates answers all of them).' },
    statusErrorsKept: { type: 'integer', minimum: 1, default: 99, 'x-env': 'STATUS_ERRORS_KEPT', description: 'Job errors kept on a user device\'s status device (the oldest go first).' },
  },
} as const

export interface Limits {
  maxPayloadBytes: number
  maxPacketBytes: number
  maxJsonDepth: number
  maxRecipientsPerMessage: number
  maxDeviceBytes: number
  maxTokenMetadataBytes: number
  maxTokensPerDevice: number
  maxSubscriptionsPerDevice: number
  searchMaxResults: number
  searchMaxBytes: number
  queryMaxNodes: number
  queryMaxRegexLength: number
  queryMaxFieldPathChars: number
  searchSliceMs: number
  deviceCacheSize: number
  searchScanRows: number
  maxIndexedValuesPerField: number
  sessionQueueMaxMessages: number
  sessionQueueMaxBytes: number
  sessionExpirySeconds: number
  maxInflightQos2: number
  maxPendingOutputBytes: number
  drainTimeout: number
  connectTimeout: number
  maxConnectionsPerDevice: number
  registrationsPerAddressPerMinute: number
  authFailuresPerAddressPerMinute: number
  authFailureAddressesTracked: number
  authAttemptsPerMinute: number
  intercoopMaxBodyBytes: number
  intercoopMaxYamlAliases: number
  intercoopMaxYamlTokens: number
  clientStringMaxChars: number
  errorMessageMaxChars: number
  maxValidationErrors: number
  vaultMaxItemsPerOwner: number
  vaultMaxSlotsPerItem: number
  vaultMaxTemplatesPerOwner: number
  statusErrorsKept: number
}

type Defaults = { [K in keyof Limits]: number }

/** The defaults of the table, for code that runs without a loaded configuration (tools, unit tests). */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze(Object.fromEntries(
  Object.entries(LIMITS_SCHEMA.properties).map(([key, option]) => [key, option.default])
) as Defaults)

/**
 * A client string as it may appear in an error, a status device or a log line: at most `max` characters,
 * cut with "…". Non-strings are shown as JSON, cut the same way (never stringified whole first).
 */
export function clipped (value: unknown, max: number = DEFAULT_LIMITS.clientStringMaxChars): string {
  if (typeof value === 'string') return value.length <= max ? value : `${value.slice(0, max)}…`
  if (value === undefined) return 'undefined'
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeof value === 'object' ? (Array.isArray(value) ? 'an array' : 'an object') : typeof value
}
