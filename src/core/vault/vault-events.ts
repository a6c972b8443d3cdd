// Events of the vault other domains follow: an organization agent's own item is an ACL target, so its
// deletion is announced (the organizations domain turns it into its own `item.deleted`).
import { EventEmitter } from 'node:events'

export interface VaultEventMap {
  'item.deleted': [{ ownerId: string, itemId: string, own: boolean }]
}

export class VaultEvents extends EventEmitter<VaultEventMap> {}
