// Queries that arrive in a query string or a header (meshblu-endo §3.3): device search parameters,
// revoke-by-query filters and the `x-meshblu-projection` header. Query strings carry plain values only.
import { find } from 'mingo'
import { Unprocessable } from '../../errors.js'
import type { DeviceDocument } from '../../bus/device.js'

function invalid (message: string): never {
  throw new Unprocessable(message, { error: message })
}

function plainParameters (query: unknown): Array<[string, string | string[]]> {
  if (query === undefined || query === null) return []
  if (typeof query !== 'object') invalid('query must be a set of parameters')
  return Object.entries(query).map(([key, value]) => {
    if (key === '' || key.startsWith('$')) invalid(`query parameter "${key}" is not a field name`)
    if (typeof value === 'string') return [key, value]
    if (Array.isArray(value) && value.every(v => typeof v === 'string')) return [key, value as string[]]
    return invalid(`query parameter "${key}" must be a plain value`)
  })
}

function deviceValue (key: string, value: string): unknown {
  if (value === 'null' || value === '') return null // "field absent"
  if (key === 'online' && (value === 'true' || value === 'false')) return value === 'true'
  return value
}

/** GET /v2/devices, GET /devices, GET /mydevices: `'null'`/`''` mean absent, `online` is a boolean, repeats mean any of. */
export function deviceQueryFromQueryString (query: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [key, value] of plainParameters(query)) {
    result[key] = Array.isArray(value) ? { $in: value.map(v => deviceValue(key, v)) } : deviceValue(key, value)
  }
  return result
}

/** DELETE /devices/:uuid/tokens?k=v: equality on token metadata only. */
export function tokenQueryFromQueryString (query: unknown): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [key, value] of plainParameters(query)) {
    if (Array.isArray(value)) invalid(`query parameter "${key}" may be given once`)
    result[key] = value
  }
  if (Object.keys(result).length === 0) invalid('a query is required to revoke tokens')
  return result
}

/** Applies `x-meshblu-projection` (a JSON Mongo projection) to search results. */
export function projected (devices: DeviceDocument[], projectionHeader: string | undefined): unknown[] {
  if (projectionHeader === undefined) return devices
  let projection: unknown
  try {
    projection = JSON.parse(projectionHeader)
  } catch {
    invalid('x-meshblu-projection must be a JSON object')
  }
  if (projection === null || typeof projection !== 'object' || Array.isArray(projection)) invalid('x-meshblu-projection must be a JSON object')
  if (Object.keys(projection).length === 0) return devices
  try {
    return find(devices, {}, projection as Record<string, 0 | 1 | boolean>).all()
  } catch (error) {
    return invalid(`invalid projection: ${(error as Error).message}`)
  }
}
