// meshblu-endo §1.5–§1.6 over the wire: who may update, watch the configuration of, and discover whom
// (v2 whitelists), and what acting `as` another device needs. Updates and configure events go over MQTT;
// discover and `as` through the bus facade (MQTT has neither GET device nor `as`).
import type { TestService } from '../support/test-service.js'
import { startBusService } from '../support/bus-service.js'
import {
  configReceived, configSent, discover, discoverAs, lists, runCase, update, updateAs, type WhitelistCase,
} from '../support/whitelist-world.js'

let service: TestService
beforeAll(async () => { service = await startBusService() })
afterAll(async () => { await service.stop() })

const plain = lists()

const cases: WhitelistCase[] = [
  // configure.update ∋ F on T
  { name: 'configure.update naming A lets A update T over MQTT', devices: { a: plain, t: lists(({ a }) => ({ 'configure.update': [a] })) }, attempt: update('a', 't'), allowed: true },
  { name: "configure.update holding '*' lets anyone update T", devices: { a: plain, t: lists(() => ({ 'configure.update': ['*'] })) }, attempt: update('a', 't'), allowed: true },
  { name: 'configure.update naming only someone else refuses A', devices: { a: plain, o: plain, t: lists(({ o }) => ({ 'configure.update': [o] })) }, attempt: update('a', 't'), allowed: false },
  { name: 'a v2 device without lists refuses every update but its own', devices: { a: plain, t: plain }, attempt: update('a', 't'), allowed: false },
  { name: 'a device without lists may update itself', devices: { a: plain }, attempt: update('a', 'a'), allowed: true },
  { name: 'discover.view does not grant updating', devices: { a: plain, t: lists(({ a }) => ({ 'discover.view': [a], 'configure.sent': [a] })) }, attempt: update('a', 't'), allowed: false },

  // configure.as ∋ A on X, then configure.update ∋ X on T
  { name: 'configure.as naming A lets A update, as X, a T that X may configure', devices: { a: plain, x: lists(({ a }) => ({ 'configure.as': [a] })), t: lists(({ x }) => ({ 'configure.update': [x] })) }, attempt: updateAs('a', 'x', 't'), allowed: true },
  { name: 'configure.as without A refuses A acting as X', devices: { a: plain, x: plain, t: lists(() => ({ 'configure.update': ['*'] })) }, attempt: updateAs('a', 'x', 't'), allowed: false },
  { name: 'acting as X is checked against configure.update for X, not for A', devices: { a: plain, x: lists(({ a }) => ({ 'configure.as': [a] })), t: lists(({ a }) => ({ 'configure.update': [a] })) }, attempt: updateAs('a', 'x', 't'), allowed: false },
  { name: 'protect-your-as: A may not update X as X, even with configure.as', devices: { a: plain, x: lists(({ a }) => ({ 'configure.as': [a], 'configure.update': [a] })) }, attempt: updateAs('a', 'x', 'x'), allowed: false },
  { name: 'acting as itself is no `as` at all', devices: { a: plain }, attempt: updateAs('a', 'a', 'a'), allowed: true },

  // configure.sent ∋ S on T, via (S, T, configure.sent) + (S, S, configure.received)
  { name: 'configure.sent naming S sends T\'s configure events to S', devices: { s: plain, t: lists(({ s }) => ({ 'configure.sent': [s] })) }, attempt: configSent('t', 's'), allowed: true },
  { name: 'configure.sent without S keeps T\'s configuration from S', devices: { s: plain, t: lists(({ s }) => ({ 'discover.view': [s] })) }, attempt: configSent('t', 's'), allowed: false },
  { name: 'configure.update does not grant configure events (configure.sent does)', devices: { s: plain, t: lists(({ s }) => ({ 'configure.update': [s] })) }, attempt: configSent('t', 's'), allowed: false },

  // configure.received ∋ W on R
  { name: 'configure.received naming W lets W see the configure events R receives', devices: { w: plain, r: lists(({ w }) => ({ 'configure.received': [w] })), t: lists(({ r }) => ({ 'configure.sent': [r] })) }, attempt: configReceived('t', 'r', 'w'), allowed: true },
  { name: 'configure.received without W keeps R\'s configure events from W', devices: { w: plain, r: plain, t: lists(({ r, w }) => ({ 'configure.sent': [r, w] })) }, attempt: configReceived('t', 'r', 'w'), allowed: false },

  // discover.view ∋ F on T
  { name: 'discover.view naming A lets A get T', devices: { a: plain, t: lists(({ a }) => ({ 'discover.view': [a] })) }, attempt: discover('a', 't'), allowed: true },
  { name: "discover.view holding '*' lets anyone get T", devices: { a: plain, t: lists(() => ({ 'discover.view': ['*'] })) }, attempt: discover('a', 't'), allowed: true },
  { name: 'discover.view without A answers 404 as for a missing device', devices: { a: plain, t: lists(({ a }) => ({ 'configure.update': [a] })) }, attempt: discover('a', 't'), allowed: false },
  { name: 'a device always discovers itself (whoami)', devices: { a: plain }, attempt: discover('a', 'a'), allowed: true },

  // discover.as ∋ A on X, then discover.view ∋ X on T
  { name: 'discover.as naming A lets A get, as X, a T that X may view', devices: { a: plain, x: lists(({ a }) => ({ 'discover.as': [a] })), t: lists(({ x }) => ({ 'discover.view': [x] })) }, attempt: discoverAs('a', 'x', 't'), allowed: true },
  { name: 'discover.as without A refuses A acting as X', devices: { a: plain, x: plain, t: lists(() => ({ 'discover.view': ['*'] })) }, attempt: discoverAs('a', 'x', 't'), allowed: false },
  { name: 'viewing as X is checked against discover.view for X, not for A', devices: { a: plain, x: lists(({ a }) => ({ 'discover.as': [a] })), t: lists(({ a }) => ({ 'discover.view': [a] })) }, attempt: discoverAs('a', 'x', 't'), allowed: false },
  { name: 'protect-your-as: "GET X as X" is refused', devices: { a: plain, x: lists(({ a }) => ({ 'discover.as': [a], 'discover.view': [a] })) }, attempt: discoverAs('a', 'x', 'x'), allowed: false },
  { name: 'configure.as does not grant discovering as X', devices: { a: plain, x: lists(({ a }) => ({ 'configure.as': [a] })), t: lists(({ x }) => ({ 'discover.view': [x] })) }, attempt: discoverAs('a', 'x', 't'), allowed: false },
]

describe('meshblu-endo §1.6: configure and discover whitelists, and `as`', () => {
  it.each(cases.map(c => [c.allowed ? 'allowed' : 'denied', c.name, c] as const))('%s: %s', async (_verdict, _name, testCase) => {
    expect(await runCase(service, testCase)).toBe(testCase.allowed)
  })
})
