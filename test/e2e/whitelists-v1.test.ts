// meshblu-endo §1.1 and §1.4 over the wire: v1 devices (registration defaults, the v1 → v2 conversion,
// owner) and device search, which uses its own query rather than the conversion table.
import type { TestService } from '../support/test-service.js'
import { startBusService } from '../support/bus-service.js'
import {
  broadcast, broadcastReceived, configSent, discover, discoverAs, lists, message, messageAs, runCase, search, spy, update, updateAs, v1, watch,
  type WhitelistCase,
} from '../support/whitelist-world.js'

let service: TestService
beforeAll(async () => { service = await startBusService() })
afterAll(async () => { await service.stop() })

const plain = lists()
/** A v1 device whose four defaulted lists are closed, plus the given fields. */
const closedV1 = (fields: (ids: Record<string, string>) => Record<string, unknown> = () => ({})) =>
  v1(ids => ({ discoverWhitelist: [], configureWhitelist: [], sendWhitelist: [], receiveWhitelist: [], ...fields(ids) }))

const cases: WhitelistCase[] = [
  // §1.1 registration defaults
  { name: 'a v1 device registered without lists admits messages from anyone (sendWhitelist defaults to *)', devices: { a: plain, t: v1() }, attempt: message('a', 't'), allowed: true },
  { name: 'a v1 device registered without lists may be updated by anyone (configureWhitelist defaults to *)', devices: { a: plain, t: v1() }, attempt: update('a', 't'), allowed: true },
  { name: 'a v1 device registered without lists gets no *As* default: nobody may act as it', devices: { a: plain, x: v1(), t: lists(({ x }) => ({ 'message.from': [x] })) }, attempt: messageAs('a', 'x', 't'), allowed: false },

  // §1.4 conversion, list by list
  { name: 'v1 sendWhitelist naming A becomes message.from', devices: { a: plain, t: closedV1(({ a }) => ({ sendWhitelist: [a] })) }, attempt: message('a', 't'), allowed: true },
  { name: 'v1 sendWhitelist left empty refuses messages', devices: { a: plain, t: closedV1() }, attempt: message('a', 't'), allowed: false },
  { name: 'v1 receiveWhitelist naming S becomes broadcast.sent', devices: { s: plain, e: closedV1(({ s }) => ({ receiveWhitelist: [s] })) }, attempt: broadcast('e', 's'), allowed: true },
  { name: 'v1 receiveWhitelist left empty refuses broadcast subscribers', devices: { s: plain, e: closedV1() }, attempt: broadcast('e', 's'), allowed: false },
  { name: 'v1 configureWhitelist naming A becomes configure.update', devices: { a: plain, t: closedV1(({ a }) => ({ configureWhitelist: [a] })) }, attempt: update('a', 't'), allowed: true },
  { name: 'v1 configureWhitelist naming S becomes message.sent', devices: { s: plain, b: lists(() => ({ 'message.from': ['*'] })), a: closedV1(({ s }) => ({ configureWhitelist: [s] })) }, attempt: spy('a', 'b', 's'), allowed: true },
  { name: 'v1 configureWhitelist naming N becomes message.received', devices: { n: plain, a: plain, b: closedV1(({ n }) => ({ configureWhitelist: [n], sendWhitelist: ['*'] })) }, attempt: watch('a', 'b', 'n'), allowed: true },
  { name: 'v1 configureWhitelist naming W becomes broadcast.received', devices: { w: plain, r: closedV1(({ w }) => ({ configureWhitelist: [w] })), e: lists(({ r }) => ({ 'broadcast.sent': [r] })) }, attempt: broadcastReceived('e', 'r', 'w'), allowed: true },
  { name: 'v1 discoverWhitelist naming A becomes discover.view', devices: { a: plain, t: closedV1(({ a }) => ({ discoverWhitelist: [a] })) }, attempt: discover('a', 't'), allowed: true },
  { name: 'v1 discoverWhitelist naming S becomes configure.sent', devices: { s: plain, t: closedV1(({ s }) => ({ discoverWhitelist: [s] })) }, attempt: configSent('t', 's'), allowed: true },
  { name: 'v1 discoverWhitelist left empty hides the device', devices: { a: plain, t: closedV1() }, attempt: discover('a', 't'), allowed: false },
  { name: 'v1 receiveWhitelist does not grant configure rights', devices: { a: plain, t: closedV1(({ a }) => ({ receiveWhitelist: [a] })) }, attempt: update('a', 't'), allowed: false },
  { name: 'v1 sendAsWhitelist naming A becomes message.as', devices: { a: plain, x: closedV1(({ a }) => ({ sendAsWhitelist: [a] })), t: lists(({ x }) => ({ 'message.from': [x] })) }, attempt: messageAs('a', 'x', 't'), allowed: true },
  { name: 'v1 configureAsWhitelist naming A becomes configure.as', devices: { a: plain, x: closedV1(({ a }) => ({ configureAsWhitelist: [a] })), t: lists(({ x }) => ({ 'configure.update': [x] })) }, attempt: updateAs('a', 'x', 't'), allowed: true },
  { name: 'v1 discoverAsWhitelist naming A becomes discover.as', devices: { a: plain, x: closedV1(({ a }) => ({ discoverAsWhitelist: [a] })), t: lists(({ x }) => ({ 'discover.view': [x] })) }, attempt: discoverAs('a', 'x', 't'), allowed: true },
  { name: 'v1 receiveAsWhitelist naming N becomes message.received', devices: { n: plain, a: plain, b: closedV1(({ n }) => ({ receiveAsWhitelist: [n], sendWhitelist: ['*'] })) }, attempt: watch('a', 'b', 'n'), allowed: true },
  { name: "v1 '*' entries carry over: configureWhitelist ['*'] lets anyone spy on message.sent", devices: { s: plain, b: lists(() => ({ 'message.from': ['*'] })), a: closedV1(() => ({ configureWhitelist: ['*'] })) }, attempt: spy('a', 'b', 's'), allowed: true },

  // owner: every list but broadcast.as
  { name: 'the owner of a v1 device may message it even with sendWhitelist empty', devices: { o: plain, t: closedV1(({ o }) => ({ owner: o })) }, attempt: message('o', 't'), allowed: true },
  { name: 'the owner of a v1 device may send as it', devices: { o: plain, x: closedV1(({ o }) => ({ owner: o })), t: lists(({ x }) => ({ 'message.from': [x] })) }, attempt: messageAs('o', 'x', 't'), allowed: true },
  { name: 'the owner of a v1 device gets its broadcasts', devices: { o: plain, e: closedV1(({ o }) => ({ owner: o })) }, attempt: broadcast('e', 'o'), allowed: true },
  { name: 'the owner of a v1 device may update it as another device it owns', devices: { o: plain, x: closedV1(({ o }) => ({ owner: o })), t: closedV1(({ x }) => ({ configureWhitelist: [x] })) }, attempt: updateAs('o', 'x', 't'), allowed: true },
  { name: 'an owner field on a v2 device grants nothing', devices: { o: plain, t: ({ o }) => ({ owner: o, meshblu: { version: '2.0.0' } }) }, attempt: update('o', 't'), allowed: false },

  // §1.6 search: a query of its own
  { name: 'search finds a v1 device for its owner', devices: { o: plain, t: closedV1(({ o }) => ({ owner: o })) }, attempt: search('o', 't'), allowed: true },
  { name: 'search finds a v2 device whose discover.view names the viewer', devices: { a: plain, t: lists(({ a }) => ({ 'discover.view': [a] })) }, attempt: search('a', 't'), allowed: true },
  { name: 'search does not use the conversion table: v1 configureWhitelist alone does not make a device findable', devices: { a: plain, t: closedV1(({ a }) => ({ configureWhitelist: [a] })) }, attempt: search('a', 't'), allowed: false },
]

describe('meshblu-endo §1.1, §1.4: v1 devices, their conversion and owner', () => {
  it.each(cases.map(c => [c.allowed ? 'allowed' : 'denied', c.name, c] as const))('%s: %s', async (_verdict, _name, testCase) => {
    expect(await runCase(service, testCase)).toBe(testCase.allowed)
  })
})
