// Meshblu v2 whitelists: the list names, the v1 → v2 conversion and the matching rule
// (meshblu-endo §1.2–§1.4). Checks are synchronous over in-memory documents.
import { isV2, type DeviceDocument, type WhitelistEntry } from './device.js'

export const WHITELIST_NAMES = [
  'broadcast.as', 'broadcast.received', 'broadcast.sent',
  'discover.view', 'discover.as',
  'configure.as', 'configure.received', 'configure.sent', 'configure.update',
  'message.as', 'message.received', 'message.sent', 'message.from',
] as const
export type WhitelistName = typeof WHITELIST_NAMES[number]

/** A device's lists as sets of uuids ('*' = everyone). */
export type WhitelistSets = Partial<Record<WhitelistName, Set<string>>>

// meshblu-endo §1.4: which v2 lists each v1 field feeds.
const V1_TO_V2: Record<string, WhitelistName[]> = {
  configureWhitelist: ['configure.update', 'broadcast.received', 'message.sent', 'message.received'],
  configureAsWhitelist: ['configure.as'],
  discoverWhitelist: ['discover.view', 'configure.sent'],
  discoverAsWhitelist: ['discover.as'],
  receiveWhitelist: ['broadcast.sent'],
  receiveAsWhitelist: ['message.received', 'broadcast.received'],
  sendWhitelist: ['message.from'],
  sendAsWhitelist: ['message.as'],
}
const OWNER_LISTS = WHITELIST_NAMES.filter(name => name !== 'broadcast.as')

function add (sets: WhitelistSets, name: WhitelistName, uuid: unknown): void {
  if (typeof uuid !== 'string') return
  let set = sets[name]
  if (set === undefined) { set = new Set(); sets[name] = set }
  set.add(uuid)
}

function addV2Lists (sets: WhitelistSets, device: DeviceDocument): void {
  const tree = device.meshblu?.whitelists
  if (tree === undefined || tree === null || typeof tree !== 'object') return
  for (const name of WHITELIST_NAMES) {
    const dot = name.indexOf('.')
    const list = tree[name.slice(0, dot)]?.[name.slice(dot + 1)]
    if (!Array.isArray(list)) continue
    for (const entry of list as WhitelistEntry[]) add(sets, name, entry?.uuid)
  }
}

function addV1Lists (sets: WhitelistSets, device: DeviceDocument): void {
  for (const [field, lists] of Object.entries(V1_TO_V2)) {
    const values = device[field]
    if (!Array.isArray(values)) continue
    for (const uuid of values) for (const name of lists) add(sets, name, uuid)
  }
  if (typeof device.owner === 'string') for (const name of OWNER_LISTS) add(sets, name, device.owner)
}

// Converted lists are cached per document object; documents are replaced, never mutated, on update.
const cache = new WeakMap<DeviceDocument, WhitelistSets>()

/** The effective v2 lists of a device (v1 devices are converted in memory, not persisted). */
export function whitelistsOf (device: DeviceDocument): WhitelistSets {
  let sets = cache.get(device)
  if (sets !== undefined) return sets
  sets = {}
  addV2Lists(sets, device)
  if (!isV2(device)) addV1Lists(sets, device)
  cache.set(device, sets)
  return sets
}

/** meshblu-endo §1.3: a device passes its own lists; otherwise the list must name the candidate or '*'. */
export function isWhitelisted (target: DeviceDocument | undefined, name: WhitelistName, candidate: string): boolean {
  if (target === undefined) return false
  if (candidate === target.uuid) return true
  const set = whitelistsOf(target)[name]
  return set !== undefined && (set.has('*') || set.has(candidate))
}

/** meshblu-endo §1.6 "search": who may find a device by search (not the conversion table). */
export function isDiscoverableBy (device: DeviceDocument, viewer: string): boolean {
  if (device.uuid === viewer) return true
  if (isV2(device)) {
    const list = device.meshblu?.whitelists?.discover?.view
    return Array.isArray(list) && list.some(entry => entry?.uuid === '*' || entry?.uuid === viewer)
  }
  if (device.owner === viewer) return true
  const list = device.discoverWhitelist
  return Array.isArray(list) && (list.includes('*') || list.includes(viewer))
}

/** meshblu-endo §1.1: v1 registration defaults (only for devices that are not v2). */
export function withV1RegistrationDefaults (properties: Record<string, unknown>): Record<string, unknown> {
  const meshblu = properties.meshblu as DeviceDocument['meshblu'] | undefined
  if (meshblu?.version === '2.0.0') return properties
  const result: Record<string, unknown> = { ...properties }
  if (typeof result.owner === 'string') {
    for (const field of ['discoverWhitelist', 'configureWhitelist']) {
      const list = Array.isArray(result[field]) ? [...result[field] as unknown[]] : []
      if (!list.includes('*') && !list.includes(result.owner)) list.push(result.owner)
      result[field] = list
    }
  }
  for (const field of ['discoverWhitelist', 'configureWhitelist', 'sendWhitelist', 'receiveWhitelist']) {
    if (result[field] === undefined) result[field] = ['*']
  }
  return result
}
