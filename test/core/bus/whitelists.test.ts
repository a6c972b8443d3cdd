// meshblu-endo §1.1, §1.3, §1.4, §1.6 "search": the whitelist rules as pure functions.
import { isDiscoverableBy, isWhitelisted, whitelistsOf, withV1RegistrationDefaults, WHITELIST_NAMES, type WhitelistName } from '../../../src/core/bus/whitelists.js'
import type { DeviceDocument } from '../../../src/core/bus/device.js'

const T = 'target-uuid'
const A = 'actor-uuid'

function listsOf (device: DeviceDocument): Record<string, string[]> {
  const sets = whitelistsOf(device)
  return Object.fromEntries(Object.entries(sets).map(([name, set]) => [name, [...set!].sort()]))
}

describe('meshblu-endo §1.4: the v1 → v2 conversion', () => {
  it.each<[string, WhitelistName[]]>([
    ['configureWhitelist', ['configure.update', 'broadcast.received', 'message.sent', 'message.received']],
    ['configureAsWhitelist', ['configure.as']],
    ['discoverWhitelist', ['discover.view', 'configure.sent']],
    ['discoverAsWhitelist', ['discover.as']],
    ['receiveWhitelist', ['broadcast.sent']],
    ['receiveAsWhitelist', ['message.received', 'broadcast.received']],
    ['sendWhitelist', ['message.from']],
    ['sendAsWhitelist', ['message.as']],
  ])('turns %s into exactly %j', (field, lists) => {
    const converted = listsOf({ uuid: T, [field]: [A] })
    expect(Object.keys(converted).sort()).toEqual([...lists].sort())
    for (const list of lists) expect(converted[list]).toEqual([A])
  })

  it('turns owner into every list except broadcast.as', () => {
    const converted = listsOf({ uuid: T, owner: A })
    expect(Object.keys(converted).sort()).toEqual(WHITELIST_NAMES.filter(n => n !== 'broadcast.as').sort())
    for (const uuids of Object.values(converted)) expect(uuids).toEqual([A])
  })

  it("carries '*' over as a member like any uuid", () => {
    expect(isWhitelisted({ uuid: T, sendWhitelist: ['*'] }, 'message.from', 'anyone')).toBe(true)
  })

  it('merges several v1 fields feeding one list', () => {
    expect(listsOf({ uuid: T, configureWhitelist: ['c'], receiveAsWhitelist: ['r'] })['message.received']).toEqual(['c', 'r'])
  })

  it('ignores entries that are not strings', () => {
    expect(listsOf({ uuid: T, sendWhitelist: [7, null, { uuid: A }, A] })['message.from']).toEqual([A])
  })

  it('is not applied to a v2 device, whose v1 fields and owner mean nothing', () => {
    expect(listsOf({ uuid: T, owner: A, sendWhitelist: ['*'], meshblu: { version: '2.0.0' } })).toEqual({})
  })

  it('reads a v2 device\'s tree, ignoring extra keys and malformed entries', () => {
    const device: DeviceDocument = { uuid: T, meshblu: { version: '2.0.0', whitelists: { message: { from: [{ uuid: A, note: 'x' }, { id: 'no-uuid' } as any, null as any] } } } }
    expect(listsOf(device)).toEqual({ 'message.from': [A] })
  })

  it('is cached per document, and a replaced document is converted afresh', () => {
    const before: DeviceDocument = { uuid: T, sendWhitelist: [] }
    expect(isWhitelisted(before, 'message.from', A)).toBe(false)
    const after: DeviceDocument = { ...before, sendWhitelist: [A] }
    expect(isWhitelisted(after, 'message.from', A)).toBe(true)
  })
})

describe('meshblu-endo §1.3: the matching rule', () => {
  const v2 = (whitelists: Record<string, Record<string, Array<{ uuid: string }>>>): DeviceDocument => ({ uuid: T, meshblu: { version: '2.0.0', whitelists } })

  it('refuses when the target does not exist', () => {
    expect(isWhitelisted(undefined, 'message.from', A)).toBe(false)
  })

  it('admits the device itself on every list, even with none', () => {
    for (const name of WHITELIST_NAMES) expect(isWhitelisted(v2({}), name, T)).toBe(true)
  })

  it('admits a candidate the list names', () => {
    expect(isWhitelisted(v2({ discover: { view: [{ uuid: A }] } }), 'discover.view', A)).toBe(true)
  })

  it("admits anyone when the list holds '*'", () => {
    expect(isWhitelisted(v2({ discover: { view: [{ uuid: '*' }] } }), 'discover.view', 'x')).toBe(true)
  })

  it('refuses a candidate the list does not name', () => {
    expect(isWhitelisted(v2({ discover: { view: [{ uuid: 'other' }] } }), 'discover.view', A)).toBe(false)
  })

  it('refuses when the list is missing: a missing v2 list means nobody but the device', () => {
    expect(isWhitelisted(v2({ discover: { view: [{ uuid: A }] } }), 'discover.as', A)).toBe(false)
  })

  it('does not let one list stand in for another of the same category', () => {
    expect(isWhitelisted(v2({ message: { from: [{ uuid: A }] } }), 'message.as', A)).toBe(false)
  })
})

describe('meshblu-endo §1.1: v1 registration defaults', () => {
  it("open the four lists to '*' when no owner is given, and leave the *As* lists alone", () => {
    expect(withV1RegistrationDefaults({ name: 'n' })).toEqual({
      name: 'n', discoverWhitelist: ['*'], configureWhitelist: ['*'], sendWhitelist: ['*'], receiveWhitelist: ['*'],
    })
  })

  it('give the owner discover and configure rights, and open send and receive', () => {
    expect(withV1RegistrationDefaults({ owner: A })).toEqual({
      owner: A, discoverWhitelist: [A], configureWhitelist: [A], sendWhitelist: ['*'], receiveWhitelist: ['*'],
    })
  })

  it("add the owner to given lists unless they hold '*' or the owner already", () => {
    expect(withV1RegistrationDefaults({ owner: A, discoverWhitelist: ['*'], configureWhitelist: ['b'] })).toMatchObject({
      discoverWhitelist: ['*'], configureWhitelist: ['b', A],
    })
    expect(withV1RegistrationDefaults({ owner: A, configureWhitelist: [A] }).configureWhitelist).toEqual([A])
  })

  it('keep lists that were given, empty ones included', () => {
    expect(withV1RegistrationDefaults({ sendWhitelist: [] }).sendWhitelist).toEqual([])
  })

  it('do not touch the given arrays', () => {
    const given = ['b']
    withV1RegistrationDefaults({ owner: A, configureWhitelist: given })
    expect(given).toEqual(['b'])
  })

  it('add nothing to a v2 device', () => {
    const v2 = { owner: A, meshblu: { version: '2.0.0' } }
    expect(withV1RegistrationDefaults(v2)).toBe(v2)
  })
})

describe('meshblu-endo §1.6 "search": who finds a device', () => {
  it.each<[string, DeviceDocument, boolean]>([
    ['the device itself', { uuid: A, discoverWhitelist: [] }, true],
    ['the owner of a v1 device', { uuid: T, owner: A, discoverWhitelist: [] }, true],
    ["anyone, when a v1 discoverWhitelist holds '*'", { uuid: T, discoverWhitelist: ['*'] }, true],
    ['a viewer a v1 discoverWhitelist names', { uuid: T, discoverWhitelist: [A] }, true],
    ['not a viewer only on a v1 configureWhitelist', { uuid: T, discoverWhitelist: [], configureWhitelist: [A] }, false],
    ['a viewer a v2 discover.view names', { uuid: T, meshblu: { version: '2.0.0', whitelists: { discover: { view: [{ uuid: A }] } } } }, true],
    ['not the owner named on a v2 device', { uuid: T, owner: A, meshblu: { version: '2.0.0' } }, false],
  ])('is %s', (_who, device, found) => {
    expect(isDiscoverableBy(device, A)).toBe(found)
  })
})
