// Meshblu request credentials (meshblu-endo §3.1): which headers carry the uuid and token, in order, and
// checking them. Failed checks count against the client's address (bus.authFailures, shared with MQTT
// CONNECT); an address past limits.authFailuresPerAddressPerMinute is answered 429 with Retry-After,
// good credentials or not, until its minute ends.
import type { IncomingHttpHeaders } from 'node:http'
import type { DeviceBus } from '../../bus/device-bus.js'
import { TooManyRequests } from '../../errors.js'

export interface MeshbluCredentials { uuid: string, token: string }

function header (headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  const text = Array.isArray(value) ? value[0] : value
  return typeof text === 'string' ? text.trim() : undefined
}

function pair (uuid: string | undefined, token: string | undefined): MeshbluCredentials | undefined {
  const u = uuid?.trim()
  const t = token?.trim()
  return u === undefined || t === undefined || u === '' || t === '' ? undefined : { uuid: u, token: t }
}

/** `Authorization: <any scheme> base64(uuid:token)`: Basic and Bearer alike (a Meshblu bearer token is that base64). */
function fromAuthorization (value: string | undefined): MeshbluCredentials | undefined {
  if (value === undefined) return undefined
  const [, encoded] = value.split(/\s+/, 2)
  if (encoded === undefined || !/^[A-Za-z0-9+/_-]+=*$/.test(encoded)) return undefined
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : pair(decoded.slice(0, colon), decoded.slice(colon + 1))
}

/** meshblu-endo §3.1, first match wins: Authorization, meshblu_auth_*, skynet_auth_*, X-Meshblu-UUID/Token. */
export function parseMeshbluCredentials (headers: IncomingHttpHeaders): MeshbluCredentials | undefined {
  return fromAuthorization(header(headers, 'authorization')) ??
    pair(header(headers, 'meshblu_auth_uuid'), header(headers, 'meshblu_auth_token')) ??
    pair(header(headers, 'skynet_auth_uuid'), header(headers, 'skynet_auth_token')) ??
    pair(header(headers, 'x-meshblu-uuid'), header(headers, 'x-meshblu-token'))
}

/** The address failures are counted against: the socket's peer (`req.ip` when a proxy is trusted). */
export function clientAddress (req: { ip?: string, socket: { remoteAddress?: string } }): string | undefined {
  return req.ip ?? req.socket.remoteAddress
}

export const TOO_MANY_FAILURES = 'Too many failed authentications from this address: retry later'

/**
 * The authenticated device's uuid, or undefined: the caller answers every failure the same way. With the
 * client's address, failures are counted and a blocked address gets TooManyRequests (429) instead.
 */
export async function authenticatedUuid (bus: DeviceBus, headers: IncomingHttpHeaders, address?: string): Promise<string | undefined> {
  const credentials = parseMeshbluCredentials(headers)
  if (credentials === undefined) return undefined
  return await authenticatedPair(bus, credentials, address) ? credentials.uuid : undefined
}

/** Checks a uuid and token presented from `address`, counting a failure against it (429 once it is blocked). */
export async function authenticatedPair (bus: DeviceBus, credentials: MeshbluCredentials, address: string | undefined): Promise<boolean> {
  const retryAfter = await bus.authFailures.retryAfterSeconds(address)
  if (retryAfter !== undefined) throw new TooManyRequests(TOO_MANY_FAILURES, retryAfter)
  if (await bus.authenticate(credentials.uuid, credentials.token)) return true
  await bus.authFailures.recordFailure(address)
  return false
}
