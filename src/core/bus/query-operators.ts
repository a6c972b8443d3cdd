// The Mongo query language clients may use, as an allow-list (issue 17): device and token searches,
// `$pull`/`$pullAll` conditions and projections are checked here before mingo sees them. Only listed
// operators pass; everything else (`$expr`, `$where`, `$function`, `$jsonSchema`, aggregation operators…)
// is a 422 naming it, because those run code, compute regular expressions or allocate in proportion to a
// client number (`$range`). The walk is iterative and counts nodes, so its cost is bounded before anything
// recursive (mingo) sees the value.
import { Unprocessable } from '../errors.js'
import { clipped, type Limits } from '../limits.js'
import { linearRegex, RegexRefused } from './linear-regex.js'

/** Operators that apply to one field (`{field: {$op: …}}`): what the original's MongoDB offered users, less code and expressions. */
export const FIELD_OPERATORS = [
  '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin',
  '$not', '$exists', '$type', '$all', '$elemMatch', '$size', '$regex', '$options',
] as const
/** Operators that combine whole queries. */
export const LOGICAL_OPERATORS = ['$and', '$or', '$nor'] as const

/**
 * The cost model behind queryMaxNodes: 1 per key and array element; an operator applied to a field walks
 * that field's values in every document searched (arrays included), so it costs OPERATOR_COST; a $regex
 * scans every string there, so it costs REGEX_COST plus its program size. A document of maxDeviceBytes then
 * costs at most about queryMaxNodes / OPERATOR_COST walks of itself.
 */
const OPERATOR_COST = 16
const REGEX_COST = 64

const FIELD = new Set<string>(FIELD_OPERATORS)
const LOGICAL = new Set<string>(LOGICAL_OPERATORS)
const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$exists'])
const POLLUTING_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
/** `$type` names mingo knows, and the BSON type numbers. */
const TYPE_NAMES = new Set(['array', 'boolean', 'bool', 'date', 'number', 'int', 'long', 'double', 'decimal', 'null', 'object', 'regexp', 'regex', 'string', 'undefined'])

export type QueryLimits = Pick<Limits, 'queryMaxNodes' | 'queryMaxRegexLength' | 'queryMaxFieldPathChars' | 'maxJsonDepth'>

/** The 422 of a refused query: `invalid <what> query: <reason>`. */
export function invalidQuery (what: string, reason: string): Unprocessable {
  return refusal(`invalid ${what} query`, reason)
}

function refusal (prefix: string, reason: string): Unprocessable {
  const message = `${prefix}: ${reason}`
  return new Unprocessable(message, { error: message })
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

type Position = 'query' | 'condition' | 'literal' | 'elemMatch'
interface Task { position: Position, value: unknown, depth: number }

class QueryWalk {
  private nodes = 0
  private readonly stack: Task[] = []

  /** prefix: "invalid search query", "invalid projection"… */
  constructor (private readonly prefix: string, private readonly limits: QueryLimits) {}

  refuse (reason: string): never {
    throw refusal(this.prefix, reason)
  }

  /** Counts `count` nodes (keys, elements, regex instructions) against queryMaxNodes. */
  spend (count: number, reason = `it has more than ${this.limits.queryMaxNodes} nodes (keys and array elements; operators count ${OPERATOR_COST}, regular expressions ${REGEX_COST} plus their size)`): void {
    this.nodes += count
    if (this.nodes > this.limits.queryMaxNodes) this.refuse(reason)
  }

  push (position: Position, value: unknown, depth: number): void {
    if (depth > this.limits.maxJsonDepth) this.refuse(`it is nested deeper than ${this.limits.maxJsonDepth} levels`)
    this.spend(1)
    this.stack.push({ position, value, depth })
  }

  run (position: Position, value: unknown): void {
    this.push(position, value, 0)
    while (this.stack.length > 0) {
      const task = this.stack.pop() as Task
      if (task.position === 'query') this.query(task.value, task.depth)
      else if (task.position === 'condition') this.condition(task.value, task.depth)
      else if (task.position === 'elemMatch') this.elemMatch(task.value, task.depth)
      else this.literal(task.value, task.depth)
    }
  }

  notAllowed (operator: string): never {
    this.refuse(`operator "${clipped(operator, 40)}" is not allowed`)
  }

  checkPath (path: string): void {
    if (path.length > this.limits.queryMaxFieldPathChars) this.refuse(`field path "${clipped(path, 40)}" is longer than ${this.limits.queryMaxFieldPathChars} characters`)
    const parts = path.split('.')
    this.spend(parts.length - 1)
    for (const part of parts) {
      if (part === '' || POLLUTING_KEYS.has(part)) this.refuse(`"${clipped(path, 40)}" is not a valid field path`)
      if (part.startsWith('$')) this.notAllowed(part)
    }
  }

  /** `{field: condition, $and: [...], ...}` */
  query (value: unknown, depth: number): void {
    if (!isPlainObject(value)) this.refuse('a query must be an object')
    for (const [key, child] of Object.entries(value)) {
      if (LOGICAL.has(key)) {
        if (!Array.isArray(child) || child.length === 0) this.refuse(`${key} needs a non-empty array of queries`)
        this.spend(1)
        for (const element of child) this.push('query', element, depth + 2)
      } else if (key.startsWith('$')) {
        this.notAllowed(key)
      } else {
        this.checkPath(key)
        this.push('condition', child, depth + 1)
      }
    }
  }

  /** The value of a field: a literal to compare with, or an object of field operators. */
  condition (value: unknown, depth: number): void {
    if (!isPlainObject(value)) { this.spend(OPERATOR_COST); this.push('literal', value, depth); return }
    const keys = Object.keys(value)
    const operators = keys.filter(key => key.startsWith('$'))
    if (operators.length === 0) { this.spend(OPERATOR_COST); this.literalObject(value, depth); return }
    if (operators.length !== keys.length) this.refuse(`operators cannot be mixed with field names ("${clipped(keys.find(key => !key.startsWith('$')), 40)}")`)
    for (const operator of keys) if (!FIELD.has(operator)) this.notAllowed(operator)
    for (const [operator, operand] of Object.entries(value)) this.operator(operator, operand, value, depth + 1)
  }

  operator (operator: string, operand: unknown, siblings: Record<string, unknown>, depth: number): void {
    if (operator !== '$options') this.spend(OPERATOR_COST)
    if (COMPARISONS.has(operator)) { this.push('literal', operand, depth); return }
    switch (operator) {
      case '$in': case '$nin': case '$all':
        if (!Array.isArray(operand)) this.refuse(`${operator} needs an array`)
        this.spend(1)
        for (const element of operand) {
          if (operator === '$all' && isPlainObject(element) && Object.keys(element).length === 1 && Object.hasOwn(element, '$elemMatch')) {
            this.spend(OPERATOR_COST)
            this.push('elemMatch', element.$elemMatch, depth + 2)
          } else {
            // an object or array in $all is compared with every value of the field
            if (operator === '$all' && element !== null && typeof element === 'object') this.spend(OPERATOR_COST)
            this.push('literal', element, depth + 1)
          }
        }
        return
      case '$elemMatch':
        this.push('elemMatch', operand, depth)
        return
      case '$not':
        this.push('condition', operand, depth)
        return
      case '$size':
        if (!Number.isSafeInteger(operand) || (operand as number) < 0) this.refuse('$size needs a non-negative integer')
        return
      case '$type':
        for (const type of Array.isArray(operand) ? operand : [operand]) {
          this.spend(1)
          if (!(typeof type === 'number' || (typeof type === 'string' && TYPE_NAMES.has(type)))) this.refuse(`$type "${clipped(type, 40)}" is not a type name`)
        }
        return
      case '$regex':
        try {
          const { size } = linearRegex(operand, siblings.$options, this.limits.queryMaxRegexLength)
          this.spend(REGEX_COST + size, `$regex compiles to ${size} instructions: with its other operators and regular expressions the query costs more than ${this.limits.queryMaxNodes} nodes`)
        } catch (error) {
          if (error instanceof RegexRefused) this.refuse(error.message)
          throw error
        }
        return
      case '$options':
        if (!Object.hasOwn(siblings, '$regex')) this.refuse('$options needs a $regex beside it')
        return
      default:
        this.notAllowed(operator)
    }
  }

  /** `$elemMatch` takes field operators (`{$gt: 1}`) for arrays of values, or a query for arrays of objects (as mingo decides). */
  elemMatch (value: unknown, depth: number): void {
    if (!isPlainObject(value)) this.refuse('$elemMatch needs an object')
    const keys = Object.keys(value)
    const operatorsOnly = keys.length > 0 && keys.every(key => key.startsWith('$') && !LOGICAL.has(key))
    if (operatorsOnly) this.condition(value, depth)
    else this.query(value, depth)
  }

  /** A value compared as it is: any shape, but no operators hidden inside it. */
  literal (value: unknown, depth: number): void {
    if (value === null || typeof value !== 'object') return
    if (Array.isArray(value)) {
      for (const element of value) this.push('literal', element, depth + 1)
      return
    }
    this.literalObject(value as Record<string, unknown>, depth)
  }

  literalObject (value: Record<string, unknown>, depth: number): void {
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith('$')) {
        if (FIELD.has(key) || LOGICAL.has(key)) this.refuse(`operator "${key}" is not allowed inside a value`)
        this.notAllowed(key)
      }
      if (POLLUTING_KEYS.has(key)) this.refuse(`"${key}" is not a valid field name`)
      this.push('literal', child, depth + 1)
    }
  }
}

/** Throws 422 unless the value is a query of listed operators within the limits. */
export function checkQuery (query: unknown, what: string, limits: QueryLimits): void {
  new QueryWalk(`invalid ${what} query`, limits).run('query', query)
}

/**
 * Throws 422 unless the value is a `$pull` condition within the limits: a value or field operators for
 * arrays of values, a query for arrays of objects (mingo's rule: an object without operators is a query).
 */
export function checkCondition (condition: unknown, what: string, limits: QueryLimits): void {
  const walk = new QueryWalk(`invalid ${what} query`, limits)
  const isQuery = isPlainObject(condition) && !Object.keys(condition).some(key => key.startsWith('$'))
  walk.run(isQuery ? 'query' : 'condition', condition)
}

/**
 * Throws 422 unless the value is a projection of field paths to 0/1/true/false, all inclusions or all
 * exclusions (no expressions, no `$slice`/`$elemMatch`: those compute on every document).
 */
export function checkProjection (projection: unknown, limits: QueryLimits): asserts projection is Record<string, 0 | 1 | boolean> {
  const walk = new QueryWalk('invalid projection', limits)
  if (!isPlainObject(projection)) throw refusal('invalid projection', 'a projection must be an object')
  let including: boolean | undefined
  for (const [path, value] of Object.entries(projection)) {
    walk.spend(1)
    walk.checkPath(path)
    if (value !== 0 && value !== 1 && value !== true && value !== false) walk.refuse(`the value of "${clipped(path, 40)}" must be 0, 1, true or false`)
    const includes = value === 1 || value === true
    if (including !== undefined && including !== includes) walk.refuse('a projection cannot mix inclusion and exclusion')
    including = includes
  }
}
