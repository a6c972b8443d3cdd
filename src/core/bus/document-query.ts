// Client queries and projections run with mingo, over a context that holds only the allow-listed
// operators (query-operators.ts checks first, so a refusal is a 422 naming the operator; the narrow context
// is the second lock). `$regex` runs in RE2, `$eq`/`$ne` walk an array field once,
// `$in`/`$nin` look values up in a Set built once per query
// instead of mingo's per-document hashing of the whole operand, and `$all` in a Set of the field's values.
import { Context } from 'mingo'
import { Query } from 'mingo/query'
import { $and, $elemMatch, $exists, $gt, $gte, $lt, $lte, $nor, $not, $or, $size, $type } from 'mingo/operators/query'
import { ensureArray, flatten, isEqual, isNil, resolve } from 'mingo/util'
import { DEFAULT_LIMITS } from '../limits.js'
import { isJsonObject } from '../json-object.js'
import { checkProjection, checkQuery, invalidQuery, type QueryLimits } from './query-operators.js'
import { linearRegexOf } from './linear-regex.js'

type Predicate = (document: unknown) => boolean

// Read once: the per-element loops below must not look globals up (inside a vm context, as under jest,
// each global lookup is an interceptor call costing ~250 ns, 40× the comparison itself).
const isArray = Array.isArray
const sameValue = Object.is
type Options = ConstructorParameters<typeof Query>[1]

function anyOf (values: unknown[]): (value: unknown) => boolean {
  const scalars = new Set(values.filter(v => v === null || typeof v !== 'object'))
  const objects = values.filter(v => v !== null && typeof v === 'object')
  return value => scalars.has(value) || (objects.length > 0 && objects.some(o => isEqual(o, value)))
}

/** `$in` as mingo defines it (null matches a missing field; an array field matches when any element does). */
function $in (selector: string, values: unknown[]): Predicate {
  const matches = anyOf(values)
  const matchesMissing = values.some(v => v === null)
  return document => {
    const found = resolve(document as Record<string, unknown>, selector, { unwrapArray: true })
    return isNil(found) ? matchesMissing : ensureArray(found).some(matches)
  }
}

function $nin (selector: string, values: unknown[]): Predicate {
  const inValues = $in(selector, values)
  return document => !inValues(document)
}

/**
 * Whether any candidate value of a resolved field matches, as mingo's `$eq` defines candidates: the
 * value itself, its elements, and (for a path of `depth` dots) elements of nested arrays down to that
 * depth. One pass without copies: mingo's `$eq` walks an array field twice and copies it on every
 * document (20 equalities on a 12 000-element array held a search ~40 ms a document).
 */
function anyCandidate (value: unknown, depth: number, match: (candidate: unknown) => boolean): boolean {
  if (match(value)) return true
  if (!isArray(value)) return false
  const stack: Array<[unknown[], number]> = [[value, 0]]
  while (stack.length > 0) {
    const [array, level] = stack.pop() as [unknown[], number]
    for (let i = 0; i < array.length; i++) {
      const element = array[i]
      const nested = isArray(element)
      if ((level === 0 || !nested || level === depth) && match(element)) return true
      if (nested && level < depth) stack.push([element, level + 1])
    }
  }
  return false
}

function $eqValue (selector: string, expected: unknown): Predicate {
  const depth = selector.split('.').length - 1
  const match = expected !== null && typeof expected === 'object'
    ? (candidate: unknown) => candidate !== null && typeof candidate === 'object' && isEqual(candidate, expected)
    : (candidate: unknown) => candidate === expected || sameValue(candidate, expected)
  return document => {
    const found = resolve(document as Record<string, unknown>, selector, { unwrapArray: true })
    return (isNil(found) && isNil(expected)) || anyCandidate(found, depth, match)
  }
}

function $neValue (selector: string, expected: unknown): Predicate {
  const equal = $eqValue(selector, expected)
  return document => !equal(document)
}

/**
 * `$all` as mingo defines it, with the field's values put in a Set once per document: mingo compares
 * every operand with every value (500 operands × a 12 000-element array held a search 250 ms a document).
 */
function $allValues (selector: string, operands: unknown[], options: Options): Predicate {
  const scalars = operands.filter(v => v === null || typeof v !== 'object')
  const elemMatches = operands.flatMap(v => isJsonObject(v) && Object.hasOwn(v, '$elemMatch') ? [new Query({ value: { $elemMatch: v.$elemMatch } }, options)] : [])
  const objects = operands.filter(v => v !== null && typeof v === 'object' && !(isJsonObject(v) && Object.hasOwn(v, '$elemMatch')))
  return document => {
    const values = resolve(document as Record<string, unknown>, selector, { unwrapArray: true })
    if (!isArray(values) || values.length === 0 || operands.length === 0) return false
    const present = new Set(values)
    return scalars.every(v => present.has(v)) &&
      objects.every(o => values.some(v => isEqual(o, v))) &&
      elemMatches.every(query => query.test({ value: values }))
  }
}

function regexOperator (maxLength: number) {
  return (selector: string, regExp: RegExp): Predicate => {
    const pattern = linearRegexOf(regExp, maxLength)
    const match = (value: unknown): boolean => typeof value === 'string' && pattern.test(value)
    return document => {
      const values = ensureArray(resolve(document as Record<string, unknown>, selector, { unwrapArray: true }))
      return values.some(match) || flatten(values, 1).some(match)
    }
  }
}

function contextFor (limits: QueryLimits): Context {
  return Context.init({
    query: {
      $eq: $eqValue, $ne: $neValue, $gt, $gte, $lt, $lte, $exists, $type, $size, $all: $allValues, $elemMatch, $and, $or, $nor, $not, $in, $nin,
      $regex: regexOperator(limits.queryMaxRegexLength),
    } as any,
  })
}

const contexts = new WeakMap<QueryLimits, Context>()

function optionsFor (limits: QueryLimits): Options {
  let context = contexts.get(limits)
  if (context === undefined) { context = contextFor(limits); contexts.set(limits, context) }
  return { context, scriptEnabled: false }
}

/** A predicate for the query; throws 422 naming the problem when the query is refused or cannot run. */
export function documentFilter (query: unknown, what: string, limits: QueryLimits = DEFAULT_LIMITS): (document: object) => boolean {
  if (query !== undefined && !isJsonObject(query)) throw invalidQuery(what, 'it must be an object')
  const condition = query ?? {}
  checkQuery(condition, what, limits)
  let compiled: Query
  try {
    compiled = new Query(condition, optionsFor(limits))
  } catch (error) {
    throw invalidQuery(what, (error as Error).message)
  }
  return document => {
    try {
      return compiled.test(document as Record<string, unknown>)
    } catch (error) {
      throw invalidQuery(what, (error as Error).message)
    }
  }
}

/** A function that projects one document (the identity without a projection); throws 422 for refused projections. */
export function documentProjection (projection: unknown, limits: QueryLimits = DEFAULT_LIMITS): ((document: object) => unknown) | undefined {
  if (projection === undefined) return undefined
  checkProjection(projection, limits)
  if (Object.keys(projection).length === 0) return undefined
  const query = new Query({}, optionsFor(limits))
  return document => {
    try {
      return query.find([document], projection).next()
    } catch (error) {
      throw invalidQuery('projection', (error as Error).message)
    }
  }
}
