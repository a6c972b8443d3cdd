// The peers this entity has an intercooperation agreement with: one descriptor file per peer,
// `<peerid>.yaml` in a directory (the upstream PeerInfo layout), with their public keys.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { KeyObject } from 'node:crypto'
import { descriptorPublicKey, parsePeerDescriptor, PeerDescriptorError, type PeerDescriptor } from './peer-descriptor.js'
import { BadPeer, NoSuchPeer } from './errors.js'
import { clipped } from '../limits.js'

export interface PeerDirectory {
  /** Every peer, in peer id order. */
  list: () => PeerDescriptor[]
  /** A peer's descriptor; NoSuchPeer (404) when unknown. */
  get: (peerid: string) => PeerDescriptor
  /** The key a peer signs with; BadPeer (403) when unknown or without a key (§A2, fixed). */
  publicKeyOf: (peerid: string) => KeyObject
}

export function createPeerDirectory (descriptors: PeerDescriptor[]): PeerDirectory {
  const byId = new Map<string, { descriptor: PeerDescriptor, key: KeyObject | undefined }>()
  for (const descriptor of descriptors) {
    if (byId.has(descriptor.peerid)) throw new PeerDescriptorError(descriptor.peerid, 'two descriptors for the same peerid')
    byId.set(descriptor.peerid, { descriptor, key: descriptorPublicKey(descriptor) })
  }
  const sorted = [...byId.values()].map(p => p.descriptor).sort((a, b) => a.peerid.localeCompare(b.peerid))
  return {
    list: () => sorted,
    get (peerid) {
      const peer = byId.get(peerid)
      if (peer === undefined) throw new NoSuchPeer(clipped(peerid))
      return peer.descriptor
    },
    publicKeyOf (peerid) {
      const key = byId.get(peerid)?.key
      if (key === undefined) throw new BadPeer(clipped(peerid))
      return key
    },
  }
}

/**
 * Loads every `*.yaml` / `*.yml` file of a directory. A file that is not a valid descriptor, or
 * whose name is not `<peerid>.yaml`, stops the load with the file and the reason.
 */
export async function loadPeerDirectory (directory: string): Promise<PeerDirectory> {
  const names = (await fs.readdir(directory)).filter(name => /\.ya?ml$/.test(name)).sort()
  const descriptors: PeerDescriptor[] = []
  for (const name of names) {
    const file = path.join(directory, name)
    const descriptor = parsePeerDescriptor(await fs.readFile(file, 'utf8'), file)
    if (name.replace(/\.ya?ml$/, '') !== descriptor.peerid) {
      throw new PeerDescriptorError(file, `the file name must be ${descriptor.peerid}.yaml (its peerid)`)
    }
    descriptors.push(descriptor)
  }
  return createPeerDirectory(descriptors)
}
