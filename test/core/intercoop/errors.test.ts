import { publicError, UserError } from '../../../src/core/errors.js'
import {
  errorFromWire, BackendError, BadFormat, BadMessage, BadPeer, BadSignature, IntercoopError, IntercoopErrorText, MissingField,
  NoSuchUuid, WrongVersion,
} from '../../../src/core/intercoop/index.js'

describe('the upstream error classes (reference §A2 table)', () => {
  it.each([
    [new BadMessage('missing payload'), 'BadMessage', 'Malformed message: missing payload', ['missing payload'], 400],
    [new WrongVersion('1.0', '0.0'), 'WrongVersion', 'Wrong protocol version, expected 1.0, received 0.0', ['1.0', '0.0'], 400],
    [new BadFormat('oops'), 'BadFormat', 'Error while parsing message as YAML:\noops', ['oops'], 400],
    [new MissingField('originpeer'), 'MissingField', "Required field 'originpeer' missing on the payload", ['originpeer'], 400],
    [new BadPeer('unknownpeer'), 'BadPeer', "The entity 'unknownpeer' is not a recognized one", ['unknownpeer'], 403],
    [new BadSignature(), 'BadSignature', 'Signature verification failed, untrusted content', [], 403],
    [new NoSuchUuid('abc'), 'NoSuchUuid', "No personal data available for uuid 'abc'", ['abc'], 404],
    [new BackendError('timeout'), 'BackendError', 'Error comunicating with the other entity\ntimeout', ['timeout'], 502],
  ] as const)('%s has the class name, message, arguments and code of the reference', (error, name, message, args, code) => {
    expect([error.name, error.message, error.args, error.code]).toEqual([name, message, args, code])
    expect(error.toWire()).toEqual({ error: name, message, arguments: args })
  })
})

describe('every class of the catalogue', () => {
  it.each(Object.keys(IntercoopErrorText))('%s is rebuilt from its wire form as the same class, message and code', (name) => {
    const args = ['one', 'two']
    const rebuilt = errorFromWire({ error: name, message: 'ignored', arguments: args }, 400)
    expect(rebuilt.name).toBe(name)
    expect(rebuilt.code).toBe(IntercoopErrorText[name as keyof typeof IntercoopErrorText].code)
    expect(rebuilt.constructor).not.toBe(IntercoopError)
    expect(errorFromWire(rebuilt.toWire(), rebuilt.code).toWire()).toEqual(rebuilt.toWire())
  })

  it('is a UserError, so a job reply carries its code, message, class name and arguments', () => {
    const error = new BadPeer('somacme')
    expect(error).toBeInstanceOf(UserError)
    expect(publicError(error)).toEqual({ code: 403, message: "The entity 'somacme' is not a recognized one", details: { error: 'BadPeer', arguments: ['somacme'] } })
  })
})
