// Mongo-style update operators on device documents (meshblu-endo §3.3), applied with mingo.
// Refuses what the original refused: other operators, touching uuid/token, null values. `$pull` and
// `$pullAll` operands are queries run on every element, so they pass the query allow-list
// (query-operators.ts); `$push`/`$addToSet` modifiers are listed too. Nothing here allocates more than
// the request's own size, except an array index in a path: that is bounded by what a document may hold.
import { update } from 'mingo'
import { PayloadTooLarge, Unprocessable } from '../errors.js'
import { clipped, DEFAULT_LIMITS, type Limits } from '../limits.js'
import { checkCondition } from './query-operators.js'
import type { DeviceDocument } from './device.js'

type UpdateLimits = Pick<Limits, 'queryMaxNodes' | 'queryMaxRegexLength' | 'queryMaxFieldPathChars' | 'maxJsonDepth' | 'maxDeviceBytes'>

export const UPDATE_OPERATORS = ['$set', '$unset', '$inc', '$mul', '$push', '$pull', '$addToSet', '$pop', '$pullAll', '$min', '$max'] as const

const FORBIDDEN_ROOTS = new Set(['uuid', 'token', '_id'])
const POLLUTING_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function invalid (message: string): never {
  throw new Unprocessable(message, { error: message })
}

function checkPath (operator: string, path: string, limits: UpdateLimits): void {
  if (path.length > limits.queryMaxFieldPathChars) invalid(`${operator} has a field path longer than ${limits.queryMaxFieldPathChars} characters`)
  const parts = path.split('.')
  const [root = ''] = parts
  if (FORBIDDEN_ROOTS.has(root)) invalid(`${operator} may not modify "${root}"`)
  if (parts.some(part => POLLUTING_KEYS.has(part) || part === '' || part.startsWith('$'))) invalid(`${operator} has an invalid field name "${clipped(path, 60)}"`)
  // `a.50000000` on an array makes it that long (sparse, then 250 MB of JSON): an index a document of
  // maxDeviceBytes cannot hold (each element is at least 2 bytes) is refused before anything is built.
  for (const part of parts) {
    if (/^\d+$/.test(part) && Number(part) >= limits.maxDeviceBytes / 2) {
      throw new PayloadTooLarge(`${operator} of "${clipped(path, 60)}" would make the device document larger than the limit of ${limits.maxDeviceBytes} bytes`)
    }
  }
}

const PUSH_MODIFIERS = new Set(['$each', '$position', '$slice', '$sort'])

/** `$push: {list: {$each, $position, $slice, $sort}}` and `$addToSet: {list: {$each}}`: only the listed modifiers, with plain operands. */
function checkModifiers (operator: string, path: string, value: unknown, limits: UpdateLimits): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, '$each')) return
  const allowed = operator === '$push' ? PUSH_MODIFIERS : new Set(['$each'])
  for (const [modifier, operand] of Object.entries(value)) {
    if (!allowed.has(modifier)) invalid(`${operator} of "${clipped(path, 60)}" has an unsupported modifier "${clipped(modifier, 40)}"`)
    if (modifier === '$each' && !Array.isArray(operand)) invalid(`${operator} of "${clipped(path, 60)}" needs $each to be an array`)
    if ((modifier === '$position' || modifier === '$slice') && !Number.isSafeInteger(operand)) invalid(`${operator} of "${clipped(path, 60)}" needs ${modifier} to be an integer`)
    if (modifier === '$sort' && !(operand === 1 || operand === -1 || isSortSpec(operand, limits))) invalid(`${operator} of "${clipped(path, 60)}" needs $sort to be 1, -1 or {field: 1 or -1}`)
  }
}

function isSortSpec (spec: unknown, limits: UpdateLimits): boolean {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return false
  const entries = Object.entries(spec)
  return entries.length > 0 && entries.length <= limits.queryMaxNodes && entries.every(([path, order]) =>
    (order === 1 || order === -1) && path.length <= limits.queryMaxFieldPathChars &&
    path.split('.').every(part => part !== '' && !part.startsWith('$') && !POLLUTING_KEYS.has(part)))
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
export function checkUpdateOperators (operators: unknown, limits: UpdateLimits = DEFAULT_LIMITS): asserts operators is Record<string, Record<string, unknown>> {
  if (operators === null || typeof operators !== 'object' || Array.isArray(operators)) invalid('update must be an object of operators')
  const entries = Object.entries(operators)
  if (entries.length === 0) invalid('update has no operators')
  for (const [operator, fields] of entries) {
    if (!(UPDATE_OPERATORS as readonly string[]).includes(operator)) invalid(`unsupported update operator "${operator}"`)
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) invalid(`${operator} must be an object`)
    for (const [path, value] of Object.entries(fields)) {
      checkPath(operator, path, limits)
      if (operator !== '$unset') checkValue(path, value)
      if (operator === '$pull') checkCondition(value, '$pull', limits)
      if (operator === '$pullAll' && Array.isArray(value)) checkCondition({ $in: value }, '$pullAll', limits)
      if (operator === '$push' || operator === '$addToSet') checkModifiers(operator, path, value, limits)
    }
  }
}

/** Wraps plain properties in `$set`, dropping uuid and token (PATCH semantics). */
export function setOperatorFor (properties: Record<string, unknown>): Record<string, Record<string, unknown>> {
  // fromEntries keeps a `__proto__` key as an own field, so the operator check refuses it instead of
  // the assignment silently turning it into the prototype of `fields`.
  return { $set: Object.fromEntries(Object.entries(properties).filter(([key]) => !FORBIDDEN_ROOTS.has(key))) }
}

type Kind = 'number' | 'array'
// What an operator needs at its path (missing is always fine) and of its operand. mingo skips a mismatch
// silently where MongoDB (the original's store) fails the update; a client must not get 204 for a no-op.
const TARGET_KIND: Record<string, Kind | undefined> = { $inc: 'number', $mul: 'number', $push: 'array', $addToSet: 'array', $pop: 'array', $pull: 'array', $pullAll: 'array' }
const OPERAND_CHECK: Record<string, ((value: unknown) => boolean) | undefined> = {
  $inc: value => typeof value === 'number',
  $mul: value => typeof value === 'number',
  $pop: value => value === 1 || value === -1,
  $pullAll: value => Array.isArray(value),
}

function kindOf (value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
}

/** "a string", "an object", "null". */
function describedKind (value: unknown): string {
  const kind = kindOf(value)
  return kind === 'null' ? kind : /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`
}

/** Refuses paths that cross a scalar and operators whose stored value or operand has the wrong type. */
function checkTypes (device: DeviceDocument, operators: Record<string, Record<string, unknown>>): void {
  for (const [operator, fields] of Object.entries(operators)) {
    for (const [path, operand] of Object.entries(fields)) {
      if (OPERAND_CHECK[operator]?.(operand) === false) invalid(`${operator} has an invalid value for "${path}"`)
      let current: unknown = device
      const parts = path.split('.')
      for (const [index, part] of parts.entries()) {
        if (current === undefined) break
        if (current === null || typeof current !== 'object') invalid(`${operator} cannot reach "${path}": "${parts.slice(0, index).join('.')}" is ${describedKind(current)}`)
        current = Object.hasOwn(current, part) ? (current as Record<string, unknown>)[part] : undefined
      }
      const expected = TARGET_KIND[operator]
      if (expected !== undefined && current !== undefined && kindOf(current) !== expected) invalid(`${operator} needs ${expected === 'array' ? 'an array' : 'a number'} at "${path}", not ${describedKind(current)}`)
    }
  }
}

/** Returns a new document with the operators applied; the given one is not touched. */
export function applyUpdateOperators (device: DeviceDocument, operators: unknown, limits: UpdateLimits = DEFAULT_LIMITS): DeviceDocument {
  checkUpdateOperators(operators, limits)
  checkTypes(device, operators)
  // A JSON copy (documents are JSON): plain objects of this realm, as mingo expects.
  const next = JSON.parse(JSON.stringify(device)) as DeviceDocument
  try {
    update(next, operators as any)
  } catch (error) {
    invalid(`update could not be applied: ${(error as Error).message}`)
  }
  return next
}
