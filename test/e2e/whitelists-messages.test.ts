// meshblu-endo §1.6 over the wire: who may message, broadcast to, spy on and watch whom (v2 whitelists).
// Deliveries are observed on the devices' MQTT topics; `as` goes through the bus facade (MQTT has no `as`).
import type { TestService } from '../support/test-service.js'
import { startBusService } from '../support/bus-service.js'
import {
  broadcast, broadcastAs, broadcastReceived, broadcastTopic, lists, message, messageAs, runCase, spy, watch, type WhitelistCase,
} from '../support/whitelist-world.js'

let service: TestService
beforeAll(async () => { service = await startBusService() })
afterAll(async () => { await service.stop() })

const plain = lists()

const cases: WhitelistCase[] = [
  // message.from ∋ F on T
  { name: 'message.from naming the sender admits its direct message', devices: { a: plain, t: lists(({ a }) => ({ 'message.from': [a] })) }, attempt: message('a', 't'), allowed: true },
  { name: "message.from holding '*' admits a message from anyone", devices: { a: plain, t: lists(() => ({ 'message.from': ['*'] })) }, attempt: message('a', 't'), allowed: true },
  { name: 'message.from naming only someone else refuses the sender silently', devices: { a: plain, o: plain, t: lists(({ o }) => ({ 'message.from': [o] })) }, attempt: message('a', 't'), allowed: false },
  { name: 'a v2 device without a message.from list refuses everyone', devices: { a: plain, t: plain }, attempt: message('a', 't'), allowed: false },
  { name: 'a device without any lists still passes its own message.from (messaging itself)', devices: { a: plain }, attempt: message('a', 'a'), allowed: true },
  { name: 'message.from on the sender does not matter, only the recipient\'s list does', devices: { t: plain, a: lists(({ t }) => ({ 'message.from': [t] })) }, attempt: message('a', 't'), allowed: false },

  // message.as ∋ A on X, then message.from ∋ X on T
  { name: 'message.as naming A lets A send as X to a T that admits X', devices: { a: plain, x: lists(({ a }) => ({ 'message.as': [a] })), t: lists(({ x }) => ({ 'message.from': [x] })) }, attempt: messageAs('a', 'x', 't'), allowed: true },
  { name: 'message.as without A refuses A sending as X', devices: { a: plain, x: plain, t: lists(() => ({ 'message.from': ['*'] })) }, attempt: messageAs('a', 'x', 't'), allowed: false },
  { name: 'sending as X is checked against message.from for X, not for A', devices: { a: plain, x: lists(({ a }) => ({ 'message.as': [a] })), t: lists(({ a }) => ({ 'message.from': [a] })) }, attempt: messageAs('a', 'x', 't'), allowed: false },
  { name: 'protect-your-as: A sending as X never reaches X itself', devices: { a: plain, x: lists(({ a }) => ({ 'message.as': [a], 'message.from': ['*'] })) }, attempt: messageAs('a', 'x', 'x'), allowed: false },
  { name: 'broadcast.as does not grant sending direct messages as X', devices: { a: plain, x: lists(({ a }) => ({ 'broadcast.as': [a] })), t: lists(() => ({ 'message.from': ['*'] })) }, attempt: messageAs('a', 'x', 't'), allowed: false },

  // broadcast.sent ∋ S on E, via (S, E, broadcast.sent) + (S, S, broadcast.received)
  { name: 'broadcast.sent naming the subscriber delivers the emitter\'s broadcasts', devices: { s: plain, e: lists(({ s }) => ({ 'broadcast.sent': [s] })) }, attempt: broadcast('e', 's'), allowed: true },
  { name: "broadcast.sent holding '*' delivers broadcasts to any subscriber", devices: { s: plain, e: lists(() => ({ 'broadcast.sent': ['*'] })) }, attempt: broadcast('e', 's'), allowed: true },
  { name: 'a broadcast subscription without broadcast.sent rights is refused silently at delivery', devices: { s: plain, o: plain, e: lists(({ o }) => ({ 'broadcast.sent': [o] })) }, attempt: broadcast('e', 's'), allowed: false },
  { name: 'message.from does not grant receiving broadcasts', devices: { s: plain, e: lists(({ s }) => ({ 'message.from': [s], 'message.sent': [s] })) }, attempt: broadcast('e', 's'), allowed: false },

  // §4: subscribing to E's MQTT topic
  { name: 'an MQTT subscription to E\'s topic with broadcast.sent rights receives its broadcasts', devices: { s: plain, e: lists(({ s }) => ({ 'broadcast.sent': [s] })) }, attempt: broadcastTopic('e', 's'), allowed: true },
  { name: 'an MQTT subscription to E\'s topic with configure.update rights gets E\'s replies, not its broadcasts (as the original)', devices: { s: plain, e: lists(({ s }) => ({ 'configure.update': [s] })) }, attempt: broadcastTopic('e', 's'), allowed: false },
  { name: 'an MQTT subscription to E/broadcast with configure.update rights receives its broadcasts', devices: { s: plain, e: lists(({ s }) => ({ 'configure.update': [s] })) }, attempt: broadcastTopic('e', 's', '/broadcast'), allowed: true },
  { name: 'an MQTT subscription to E/broadcast with broadcast.sent rights receives its broadcasts', devices: { s: plain, e: lists(({ s }) => ({ 'broadcast.sent': [s] })) }, attempt: broadcastTopic('e', 's', '/broadcast'), allowed: true },
  { name: 'an MQTT subscription to E\'s topic without rights is refused', devices: { s: plain, e: lists(({ s }) => ({ 'message.from': [s], 'discover.view': [s] })) }, attempt: broadcastTopic('e', 's'), allowed: false },

  // broadcast.as ∋ A on X
  { name: 'broadcast.as naming A lets A broadcast as X to X\'s subscribers', devices: { a: plain, s: plain, x: lists(({ a, s }) => ({ 'broadcast.as': [a], 'broadcast.sent': [s] })) }, attempt: broadcastAs('a', 'x', 's'), allowed: true },
  { name: 'broadcast.as without A refuses A broadcasting as X', devices: { a: plain, s: plain, x: lists(({ s }) => ({ 'broadcast.sent': [s] })) }, attempt: broadcastAs('a', 'x', 's'), allowed: false },
  { name: 'message.as does not grant broadcasting as X', devices: { a: plain, s: plain, x: lists(({ a, s }) => ({ 'message.as': [a], 'broadcast.sent': [s] })) }, attempt: broadcastAs('a', 'x', 's'), allowed: false },

  // broadcast.received ∋ W on R
  { name: 'broadcast.received naming W lets W see the broadcasts R receives', devices: { w: plain, r: lists(({ w }) => ({ 'broadcast.received': [w] })), e: lists(({ r }) => ({ 'broadcast.sent': [r] })) }, attempt: broadcastReceived('e', 'r', 'w'), allowed: true },
  { name: 'broadcast.received without W keeps R\'s broadcasts from W', devices: { w: plain, r: plain, e: lists(({ r, w }) => ({ 'broadcast.sent': [r, w] })) }, attempt: broadcastReceived('e', 'r', 'w'), allowed: false },

  // message.sent ∋ S on A
  { name: 'message.sent naming the spy lets it see what A sends', devices: { s: plain, b: lists(() => ({ 'message.from': ['*'] })), a: lists(({ s }) => ({ 'message.sent': [s] })) }, attempt: spy('a', 'b', 's'), allowed: true },
  { name: 'message.sent without the spy keeps A\'s messages private', devices: { s: plain, b: lists(() => ({ 'message.from': ['*'] })), a: lists(({ s }) => ({ 'message.received': [s] })) }, attempt: spy('a', 'b', 's'), allowed: false },

  // message.received ∋ N on B
  { name: 'message.received naming the watcher lets it see B\'s inbox', devices: { n: plain, a: plain, b: lists(({ n }) => ({ 'message.from': ['*'], 'message.received': [n] })) }, attempt: watch('a', 'b', 'n'), allowed: true },
  { name: 'message.received without the watcher keeps B\'s inbox private', devices: { n: plain, a: plain, b: lists(({ n }) => ({ 'message.from': ['*'], 'message.sent': [n] })) }, attempt: watch('a', 'b', 'n'), allowed: false },
]

describe('meshblu-endo §1.6: message and broadcast whitelists over MQTT', () => {
  it.each(cases.map(c => [c.allowed ? 'allowed' : 'denied', c.name, c] as const))('%s: %s', async (_verdict, _name, testCase) => {
    expect(await runCase(service, testCase)).toBe(testCase.allowed)
  })
})
