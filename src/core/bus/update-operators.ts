// Mongo-style update operators on device documents (meshblu-endo §3.3), applied with mingo.
// Refuses what the original refused: other operators, touching uuid/token, null values.
import { update } from 'mingo'
import { Unprocessable } from '../errors.js'
import type { DeviceDocument } from './device.js'

export const UPDATE_OPERATORS = ['$set', '$unset', '$inc', '$mul', '$push', '$pull', '$addToSet', '$pop', '$pullAll', '$min', '$max'] as const

const FORBIDDEN_ROOTS = new Set(['uuid', 'token', '_id'])
const POLLUTING_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function invalid (message: string): never {
  throw new Unprocessable(message, { error: message })
}

function checkPath (operator: string, path: string): void {
  const parts = path.split('.')
  if (FORBIDDEN_ROOTS.has(parts[0])) invalid(`${operator} may not modify "${parts[0]}"`)
  if (parts.some(part => POLLUTING_KEYS.has(part) || part === '' || part.startsWith('$'))) invalid(`${operator} has an invalid field name "${path}"`)
}

function checkValue (path: string, value: unknown, depth = 0): void {
  if (depth > 32) invalid(`value of "${path}" is nested too deeply`)
  if (value === null) invalid(`value of "${path}" may not be null`)
  if (typeof value === 'object' && value !== undefined) {
    for (const [key, child] of Object.entries(value)) {
      if (POLLUTING_KEYS.has(key)) invalid(`value of "${path}" has an invalid key "${key}"`)
      checkValue(`${path}.${key}`, child, depth + 1)
    }
  }
}

/** Validates an operator document; throws 422 `{error}` naming what is wrong. */
export function checkUpdateOperators (operators: unknown): asserts operators is Record<string, Record<string, unknown>> {
  if (operators === null || typeof operators !== 'object' || Array.isArray(operators)) invalid('update must be an object of operators')
  const entries = Object.entries(operators)
  if (entries.length === 0) invalid('update has no operators')
  for (const [operator, fields] of entries) {
    if (!(UPDATE_OPERATORS as readonly string[]).includes(operator)) invalid(`unsupported update operator "${operator}"`)
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) invalid(`${operator} must be an object`)
    for (const [path, value] of Object.entries(fields)) {
      checkPath(operator, path)
      if (operator !== '$unset') checkValue(path, value)
    }
  }
}

/** Wraps plain properties in `$set`, dropping uuid and token (PATCH semantics). */
export function setOperatorFor (properties: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(properties)) {
    if (!FORBIDDEN_ROOTS.has(key)) fields[key] = value
  }
  return { $set: fields }
}

/** Returns a new document with the operators applied; the given one is not touched. */
export function applyUpdateOperators (device: DeviceDocument, operators: unknown): DeviceDocument {
  checkUpdateOperators(operators)
  const next = structuredClone(device) as DeviceDocument
  try {
    update(next, operators as any)
  } catch (error) {
    invalid(`update could not be applied: ${(error as Error).message}`)
  }
  return next
}
