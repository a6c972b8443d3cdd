// Turns ajv errors into sentences a person can act on, naming the field: `data.label is required`.
import type { ErrorObject } from 'ajv'
import { DEFAULT_LIMITS, clipped } from '../limits.js'

function fieldOf (error: ErrorObject, root: string): string {
  const path = error.instancePath.split('/').slice(1).map(p => p.replaceAll('~1', '/').replaceAll('~0', '~'))
  return [root, ...path].filter(Boolean).join('.')
}

export function describeValidationError (error: ErrorObject, root = 'message'): string {
  const field = fieldOf(error, root)
  const p = error.params as Record<string, any>
  switch (error.keyword) {
    case 'required': return `${field}.${p.missingProperty as string} is required`
    case 'type': return `${field} must be ${/^[aeiou]/.test(String(p.type)) ? 'an' : 'a'} ${String(p.type)}`
    case 'enum': return `${field} must be one of: ${(p.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}`
    case 'const': return `${field} must be ${JSON.stringify(p.allowedValue)}`
    case 'additionalProperties': return `${field} has an unknown field "${p.additionalProperty as string}"`
    case 'minLength': return `${field} must have at least ${p.limit as number} character${p.limit === 1 ? '' : 's'}`
    case 'maxLength': return `${field} must have at most ${p.limit as number} characters`
    case 'minItems': return `${field} must have at least ${p.limit as number} item${p.limit === 1 ? '' : 's'}`
    case 'maxItems': return `${field} must have at most ${p.limit as number} items`
    case 'format': return `${field} must be a valid ${p.format as string}`
    case 'pattern': return `${field} has the wrong form (expected ${p.pattern as string})`
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `${field} ${error.message ?? 'is out of range'}`
    default: return `${field} ${error.message ?? 'is invalid'}`
  }
}

/**
 * Distinct sentences, the most specific first; anyOf/oneOf wrappers are dropped when details exist. Field
 * names are the client's keys, so each sentence is cut, and at most `maxErrors` are given (a message with
 * 100,000 unknown fields must not be answered with 100,000 sentences).
 */
export function describeValidationErrors (errors: ErrorObject[] | null | undefined, root = 'message', maxErrors = DEFAULT_LIMITS.maxValidationErrors, maxChars = DEFAULT_LIMITS.clientStringMaxChars): string[] {
  const list = errors ?? []
  const specific = list.filter(e => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if')
  const sentences = new Set<string>()
  for (const error of specific.length > 0 ? specific : list) {
    if (sentences.size === maxErrors) { sentences.add(`and ${list.length - maxErrors} more`); break }
    sentences.add(clipped(describeValidationError(error, root), maxChars))
  }
  return [...sentences]
}
