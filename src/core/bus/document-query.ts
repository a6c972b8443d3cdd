// Mongo-style queries from clients (device and token searches), run with mingo. Anything mingo cannot
// compile or evaluate is the client's mistake (422), never a 500; operators that run code are refused.
import { Query } from 'mingo'
import { Unprocessable } from '../errors.js'
import { isJsonObject } from '../json-object.js'

const CODE_OPERATORS = new Set(['$where', '$function', '$accumulator'])

function invalid (what: string, reason: string): Unprocessable {
  const message = `invalid ${what} query: ${reason}`
  return new Unprocessable(message, { error: message })
}

function refuseCode (value: unknown, what: string, depth = 0): void {
  if (depth > 32) throw invalid(what, 'nested too deeply')
  if (value === null || typeof value !== 'object') return
  for (const [key, child] of Object.entries(value)) {
    if (CODE_OPERATORS.has(key)) throw invalid(what, `${key} is not allowed`)
    refuseCode(child, what, depth + 1)
  }
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
