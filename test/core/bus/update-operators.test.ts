// meshblu-endo §3.3, §7: Mongo-style update operators on device documents and the rules around them.
import { applyUpdateOperators, setOperatorFor } from '../../../src/core/bus/update-operators.js'
import { UserError } from '../../../src/core/errors.js'
import type { DeviceDocument } from '../../../src/core/bus/device.js'

function device (fields: Record<string, unknown> = {}): DeviceDocument {
  return Object.freeze({ uuid: 'd-1', ...fields }) as DeviceDocument
}

/** The 422 text of a refused update (throws if the update was accepted). */
function refusal (operators: unknown, doc = device()): string {
  try {
    applyUpdateOperators(doc, operators)
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).code).toBe(422)
    expect((error as UserError).details).toEqual({ error: (error as UserError).message })
    return (error as UserError).message
  }
  throw new Error('the update was accepted')
}

describe('meshblu-endo §3.3: each supported operator', () => {
  it.each<[string, Record<string, unknown>, unknown, Record<string, unknown>]>([
    ['$set', { a: 1 }, { $set: { a: 2, 'b.c': 3 } }, { a: 2, b: { c: 3 } }],
    ['$unset', { a: 1, b: 2 }, { $unset: { a: '' } }, { b: 2 }],
    ['$inc', { n: 1 }, { $inc: { n: 2, m: 5 } }, { n: 3, m: 5 }],
    ['$mul', { n: 3 }, { $mul: { n: 4 } }, { n: 12 }],
    ['$push', { list: [1] }, { $push: { list: 2 } }, { list: [1, 2] }],
    ['$push with $each', { list: [1] }, { $push: { list: { $each: [2, 3] } } }, { list: [1, 2, 3] }],
    ['$pull', { list: [1, 2, 1, 3] }, { $pull: { list: 1 } }, { list: [2, 3] }],
    ['$pull with a condition', { list: [1, 5, 9] }, { $pull: { list: { $gte: 5 } } }, { list: [1] }],
    ['$addToSet', { tags: ['a'] }, { $addToSet: { tags: 'a' } }, { tags: ['a'] }],
    ['$addToSet of a new value', { tags: ['a'] }, { $addToSet: { tags: 'b' } }, { tags: ['a', 'b'] }],
    ['$pop last', { list: [1, 2, 3] }, { $pop: { list: 1 } }, { list: [1, 2] }],
    ['$pop first', { list: [1, 2, 3] }, { $pop: { list: -1 } }, { list: [2, 3] }],
    ['$pullAll', { list: [1, 2, 3, 2] }, { $pullAll: { list: [2, 3] } }, { list: [1] }],
    ['$min', { low: 5, other: 1 }, { $min: { low: 3, other: 4 } }, { low: 3, other: 1 }],
    ['$max', { high: 5, other: 9 }, { $max: { high: 7, other: 4 } }, { high: 7, other: 9 }],
  ])('%s', (_name, before, operators, expected) => {
    expect(applyUpdateOperators(device(before), operators)).toEqual({ uuid: 'd-1', ...expected })
  })

  it('combines several operators in one update', () => {
    expect(applyUpdateOperators(device({ n: 1 }), { $inc: { n: 1 }, $set: { s: 'x' } })).toEqual({ uuid: 'd-1', n: 2, s: 'x' })
  })

  it('returns a new document and leaves the given one as it was', () => {
    const before = device({ nested: { list: [1] } })
    const after = applyUpdateOperators(before, { $push: { 'nested.list': 2 } })
    expect(before.nested).toEqual({ list: [1] })
    expect(after.nested).toEqual({ list: [1, 2] })
  })
})

describe('meshblu-endo §7: updates that are refused with 422', () => {
  it.each([
    ['$set of uuid', { $set: { uuid: 'x' } }, '$set may not modify "uuid"'],
    ['$set of token', { $set: { token: 'x' } }, '$set may not modify "token"'],
    ['$set below token', { $set: { 'token.part': 'x' } }, '$set may not modify "token"'],
    ['$unset of uuid', { $unset: { uuid: '' } }, '$unset may not modify "uuid"'],
    ['$inc of token', { $inc: { token: 1 } }, '$inc may not modify "token"'],
    ['$push to uuid', { $push: { uuid: 'x' } }, '$push may not modify "uuid"'],
  ])('%s', (_name, operators, message) => {
    expect(refusal(operators)).toBe(message)
  })

  it.each([
    ['as a path segment', { $set: { 'a.__proto__.polluted': true } }],
    ['as a whole path', JSON.parse('{"$set": {"__proto__": {"polluted": true}}}')],
    ['inside a value', JSON.parse('{"$set": {"a": {"__proto__": {"polluted": true}}}}')],
    ['deep inside a value', JSON.parse('{"$push": {"list": {"x": [{"__proto__": {"polluted": true}}]}}}')],
    ['as constructor.prototype', { $set: { 'constructor.prototype.polluted': true } }],
  ])('__proto__ %s, polluting nothing', (_where, operators) => {
    expect(refusal(operators)).toMatch(/invalid (field name|key)/)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  it.each([
    ['a null value', { $set: { a: null } }, 'value of "a" may not be null'],
    ['a nested null', { $set: { a: { b: null } } }, 'value of "a.b" may not be null'],
    ['a null inside an array', { $push: { list: { $each: [1, null] } } }, 'value of "list.$each.1" may not be null'],
    ['a null $min', { $min: { n: null } }, 'value of "n" may not be null'],
  ])('%s', (_name, operators, message) => {
    expect(refusal(operators)).toBe(message)
  })

  it.each([
    ['an unsupported operator', { $rename: { a: 'b' } }, 'unsupported update operator "$rename"'],
    ['a plain property instead of an operator', { name: 'x' }, 'unsupported update operator "name"'],
    ['no operators at all', {}, 'update has no operators'],
    ['an array', [{ $set: { a: 1 } }], 'update must be an object of operators'],
    ['an operator whose value is not an object', { $set: 5 }, '$set must be an object'],
    ['an empty path segment', { $set: { 'a..b': 1 } }, '$set has an invalid field name "a..b"'],
    ['a $ path segment', { $set: { 'a.$where': 1 } }, '$set has an invalid field name "a.$where"'],
  ])('%s', (_name, operators, message) => {
    expect(refusal(operators)).toBe(message)
  })

  // MongoDB fails these; mingo would skip them silently and the client would get 204 for a no-op.
  it.each([
    ['$inc of a string', { $inc: { name: 1 } }, '$inc needs a number at "name", not a string'],
    ['$inc by a string', { $inc: { n: '1' } }, '$inc has an invalid value for "n"'],
    ['$mul of an object', { $mul: { nested: 2 } }, '$mul needs a number at "nested", not an object'],
    ['$push to a string', { $push: { name: 1 } }, '$push needs an array at "name", not a string'],
    ['$addToSet to a number', { $addToSet: { n: 1 } }, '$addToSet needs an array at "n", not a number'],
    ['$pop by 2', { $pop: { list: 2 } }, '$pop has an invalid value for "list"'],
    ['$pullAll of a scalar', { $pullAll: { list: 1 } }, '$pullAll has an invalid value for "list"'],
    ['$set below a string', { $set: { 'name.first': 'x' } }, '$set cannot reach "name.first": "name" is a string'],
  ])('%s', (_name, operators, message) => {
    expect(refusal(operators, device({ name: 'text', n: 1, nested: {}, list: [1] }))).toBe(message)
  })
})

describe('meshblu-endo §3.3: PATCH semantics (setOperatorFor)', () => {
  it('wraps plain properties in $set and drops uuid and token', () => {
    expect(setOperatorFor({ uuid: 'x', token: 'y', name: 'n', nested: { a: 1 } })).toEqual({ $set: { name: 'n', nested: { a: 1 } } })
  })

  it('keeps a __proto__ key as a field, so the operator check refuses it', () => {
    const operators = setOperatorFor(JSON.parse('{"__proto__": {"polluted": true}}'))
    expect(Object.keys(operators.$set)).toEqual(['__proto__'])
    expect(refusal(operators)).toBe('$set has an invalid field name "__proto__"')
  })
})
