// Job metadata carried in `x-meshblu-*` headers (meshblu-endo §3.2): read on the way in
// (`x-meshblu-as` → `as`, `x-meshblu-projection` → `projection`), echoed on the way out.
import type { IncomingHttpHeaders } from 'node:http'
import type { Response } from 'express'
import type { Actor } from '../../bus/actor.js'
import { statusText } from '../../errors.js'

const PREFIX = 'x-meshblu-'
/** Credentials headers (§3.1) are not metadata. */
const NOT_METADATA = new Set(['x-meshblu-uuid', 'x-meshblu-token'])
/** Longest error message put in a header: the client's HTTP parser refuses large header blocks. */
const MAX_HEADER_MESSAGE = 1024

export type RequestMetadata = Record<string, string>

const camelCase = (kebab: string): string => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())
const kebabCase = (camel: string): string => camel.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)

/** Every `x-meshblu-<kebab>` request header as camelCase metadata, values trimmed. */
export function requestMetadata (headers: IncomingHttpHeaders): RequestMetadata {
  const metadata: RequestMetadata = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(PREFIX) || NOT_METADATA.has(name) || value === undefined) continue
    const text = (Array.isArray(value) ? value[0] ?? '' : value).trim()
    if (text !== '') metadata[camelCase(name.slice(PREFIX.length))] = text
  }
  return metadata
}

/** The caller as the bus sees it: the authenticated uuid, acting as `x-meshblu-as` when given (§1.5). */
export function actorOf (uuid: string, metadata: RequestMetadata): Actor {
  return metadata.as === undefined ? { uuid } : { uuid, as: metadata.as }
}

/** JSON a header can carry: anything outside printable ASCII is \u-escaped, so the value stays valid and parseable. */
export function headerSafeJson (value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export interface ResponseMetadata { code: number, error?: string }

/**
 * Echoes the response metadata as headers: `x-meshblu-code`, `x-meshblu-status`, the request's
 * `x-meshblu-response-id`, and `x-meshblu-error: {"message": …}` so meshblu-http reports the message.
 */
export function writeResponseMetadata (res: Response, request: RequestMetadata, response: ResponseMetadata): void {
  const headers: Record<string, string> = { code: String(response.code), status: statusText(response.code) }
  if (request.responseId !== undefined) headers.responseId = request.responseId
  if (response.error !== undefined) headers.error = headerSafeJson({ message: response.error.slice(0, MAX_HEADER_MESSAGE) })
  for (const [key, value] of Object.entries(headers)) {
    const safe = key === 'error' ? value : value.replace(/[^\t\x20-\x7e]/g, '')
    res.setHeader(`${PREFIX}${kebabCase(key)}`, safe)
  }
}
