// JSON nesting checked on the raw text, before anything parses or walks it: V8 parses deep JSON
// iteratively, but JSON.stringify, ajv, mingo and our own walkers recurse, and a few KB of `[[[[…` overflow
// the stack in them. One linear pass over the bytes; strings (and their escapes) are skipped.
import { Unprocessable } from './errors.js'

const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b
const CLOSE_BRACE = 0x7d
const CLOSE_BRACKET = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c

/** The deepest nesting of objects and arrays in a JSON text (0 for a scalar). Malformed text gives a number too. */
export function jsonDepthOf (text: string | Uint8Array): number {
  let depth = 0
  let deepest = 0
  let inString = false
  const isString = typeof text === 'string'
  const length = text.length
  for (let i = 0; i < length; i++) {
    const c = isString ? (text as string).charCodeAt(i) : (text as Uint8Array)[i]
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
      continue
    }
    if (c === QUOTE) inString = true
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) { if (++depth > deepest) deepest = depth } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--
  }
  return deepest
}

/** The error every interface answers for too deep JSON (HTTP 422, an MQTT error reply, a job's 422). */
export class JsonTooDeep extends Unprocessable {
  constructor (maxDepth: number) {
    const message = `JSON is nested deeper than ${maxDepth} levels`
    super(message, { error: message })
  }
}

/** Throws JsonTooDeep when the text nests deeper than maxDepth. */
export function assertJsonDepth (text: string | Uint8Array, maxDepth: number): void {
  if (jsonDepthOf(text) > maxDepth) throw new JsonTooDeep(maxDepth)
}
