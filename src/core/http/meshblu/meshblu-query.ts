// Queries that arrive in a query string or a header (meshblu-endo §3.3): device search parameters,
// revoke-by-query filters, the `x-meshblu-projection` header and the paging headers. Query strings carry
// plain values only.
import { Unprocessable } from '../../errors.js'

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

/** The `x-meshblu-projection` header as a value (the bus checks it against the projection allow-list). */
export function projectionOf (projectionHeader: string | undefined): unknown {
  if (projectionHeader === undefined) return undefined
  try {
    return JSON.parse(projectionHeader)
  } catch {
    return invalid('x-meshblu-projection must be a JSON object')
  }
}

/**
 * Paging of searches, from request headers (query strings are field filters there): `x-meshblu-page-size`
 * (1 to searchMaxResults; larger sizes are cut to it) and `x-meshblu-page`, the cursor a previous answer
 * gave in `x-meshblu-next-page`.
 */
export function pageOf (metadata: Record<string, string>, maxResults: number): { pageSize?: number, after?: string } {
  const page: { pageSize?: number, after?: string } = {}
  if (metadata.pageSize !== undefined) {
    const size = /^\d{1,9}$/.test(metadata.pageSize) ? Number(metadata.pageSize) : 0
    if (size < 1) invalid(`x-meshblu-page-size must be an integer from 1 to ${maxResults}`)
    page.pageSize = Math.min(size, maxResults)
  }
  if (metadata.page !== undefined) page.after = metadata.page
  return page
}
