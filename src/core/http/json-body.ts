// The one JSON body parser of every HTTP interface: express.json cut at limits.maxPayloadBytes (413), and
// in its verify hook the nesting depth measured on the raw bytes (limits.maxJsonDepth, 422) before
// JSON.parse runs, so nothing recursive (ajv, mingo, our walkers, JSON.stringify) ever sees deeper input.
import { TextDecoder } from 'node:util'
import express, { type RequestHandler } from 'express'
import { JsonTooDeep, jsonDepthOf } from '../json-depth.js'
import type { Limits } from '../limits.js'

/** body-parser's `type` for too deep JSON (beside its own 'entity.too.large', 'entity.parse.failed'…). */
export const JSON_TOO_DEEP = 'entity.too.deep'

/**
 * The bytes as the parser will read them. Depth is counted on bytes only for UTF-8: in UTF-16 a
 * character inside a string can hold a `"` byte and hide brackets from the count, so those are decoded
 * first; a charset TextDecoder does not know (UTF-32) is refused rather than counted wrong.
 */
function decoded (raw: Buffer, encoding: string): Buffer | string {
  if (encoding === 'utf-8') return raw
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(encoding, { fatal: true })
  } catch {
    throw Object.assign(new Error(`unsupported charset "${encoding.toUpperCase()}"`), { status: 415, type: 'charset.unsupported' })
  }
  try {
    return decoder.decode(raw)
  } catch {
    throw Object.assign(new Error(`the body is not valid ${encoding.toUpperCase()}`), { status: 400, type: 'entity.parse.failed' })
  }
}

/**
 * express.json with the depth check. What verify throws reaches the route's error handling as
 * body-parser's error, which sets `status` and `expose` on it: hence a plain Error with status 422 and
 * JsonTooDeep's message, not the UserError itself (its `expose` is a getter).
 */
export function jsonBody (limits: Pick<Limits, 'maxPayloadBytes' | 'maxJsonDepth'>): RequestHandler {
  return express.json({
    limit: limits.maxPayloadBytes,
    verify (_req, _res, raw, encoding) {
      if (jsonDepthOf(decoded(raw, encoding)) > limits.maxJsonDepth) {
        throw Object.assign(new Error(new JsonTooDeep(limits.maxJsonDepth).message), { status: 422, type: JSON_TOO_DEEP })
      }
    },
  })
}

/** A body-parser refusal (4xx with a `type`): its status and message, for the route family to answer in its shape. */
export function bodyRefusal (error: unknown): { code: number, message: string, type: string } | undefined {
  const refusal = error as { type?: unknown, status?: unknown, message?: unknown } | null | undefined
  if (typeof refusal?.type !== 'string' || typeof refusal.status !== 'number' || refusal.status < 400 || refusal.status >= 500) return undefined
  return { code: refusal.status, message: String(refusal.message), type: refusal.type }
}
