// Mongo-style queries from clients (device and token searches), run with mingo. Anything mingo cannot
// compile or evaluate is the client's mistake (422), never a 500; operators that run code are refused, and so
// are regular expressions that could backtrack catastrophically (one such pattern over the registry would hold
// the event loop for every device).
import { Query } from 'mingo'
import safeRegex from 'safe-regex2'
import { Unprocessable } from '../errors.js'
import { isJsonObject } from '../json-object.js'

const CODE_OPERATORS = new Set(['$where', '$function', '$accumulator'])
/** `$regex: pattern`, and the aggregation operators that take `{ regex: pattern }`. */
const REGEX_EXPRESSION_OPERATORS = new Set(['$regexMatch', '$regexFind', '$regexFindAll'])
export const MAX_REGEX_LENGTH = 256

function invalid (what: string, reason: string): Unprocessable {
  const message = `invalid ${what} query: ${reason}`
  return new Unprocessable(message, { error: message })
}

function refuseCode (value: unknown, what: string, depth = 0): void {
  if (depth > 32) throw invalid(what, 'nested too deeply')
  if (value === null || typeof value !== 'object') return
  for (const [key, child] of Object.entries(value)) {
    if (CODE_OPERATORS.has(key)) throw invalid(what, `${key} is not allowed`)
    if (key === '$regex') checkPattern(child, what)
    if (REGEX_EXPRESSION_OPERATORS.has(key) && child !== null && typeof child === 'object') checkPattern((child as { regex?: unknown }).regex, what)
    refuseCode(child, what, depth + 1)
  }
}

function checkPattern (pattern: unknown, what: string): void {
  if (typeof pattern !== 'string') return // mingo names other mistakes itself
  if (pattern.length > MAX_REGEX_LENGTH) throw invalid(what, `$regex patterns are limited to ${MAX_REGEX_LENGTH} characters`)
  if (!safeRegex(pattern)) throw invalid(what, '$regex pattern has nested repetition that could take exponential time')
}

/** A predicate for the query; throws 422 naming the problem when the query is not one mingo can run. */
export function documentFilter (query: unknown, what: string): (document: object) => boolean {
  if (query !== undefined && !isJsonObject(query)) throw invalid(what, 'it must be an object')
  refuseCode(query, what)
  let compiled: Query
  try {
    compiled = new Query((query ?? {}) as Record<string, unknown>)
  } catch (error) {
    throw invalid(what, (error as Error).message)
  }
  return document => {
    try {
      return compiled.test(document as Record<string, unknown>)
    } catch (error) {
      throw invalid(what, (error as Error).message)
    }
  }
}
