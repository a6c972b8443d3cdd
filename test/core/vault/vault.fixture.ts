// An in-memory store with the vault domain, and people whose vault keys live in an in-memory credentials blob
// (the same VaultKeys the jobs use), for domain tests without a bus.
import { randomUUID, createHmac } from 'node:crypto'
import { openStore, type Store } from '../../../src/core/store/database.js'
import type { CredentialsBlob, JobCredentials } from '../../../src/core/job-context.js'
import { VaultDomain } from '../../../src/core/vault/vault-domain.js'
import { credentialsVaultKeys, type VaultOwner } from '../../../src/core/vault/vault-keys.js'

export interface TestPerson extends VaultOwner {
  credentials: JobCredentials
}

export function memoryCredentials (): JobCredentials {
  let blob: CredentialsBlob = { provider: 'test', id: randomUUID(), secrets: {} }
  return {
    get blob () { return blob },
    async update (change) {
      const copy = structuredClone(blob)
      blob = change(copy) ?? copy
      return blob
    },
  }
}

export function newPerson (): TestPerson {
  const credentials = memoryCredentials()
  return { id: randomUUID(), keys: credentialsVaultKeys(credentials), credentials }
}

export interface VaultFixture {
  store: Store
  vault: VaultDomain
  close: () => Promise<void>
}

export async function openVault (): Promise<VaultFixture> {
  const store = await openStore({ file: ':memory:' })
  const vault = new VaultDomain({ store, tokenHash: token => createHmac('sha256', 'test pepper').update(token).digest('base64url'), keyBits: 1024, keyPoolSize: 2 })
  return { store, vault, async close () { await vault.close(); await store.destroy() } }
}

/** Connects two people; returns each side's connection id. */
export async function connect (vault: VaultDomain, inviter: VaultOwner, invitee: VaultOwner): Promise<{ inviterConnection: string, inviteeConnection: string }> {
  const { token } = await vault.invitations.create(inviter, { name: 'invitee' })
  const { connection } = await vault.connections.accept(invitee, { token, name: 'inviter' })
  const [mine] = (await vault.connections.list(inviter)).filter(c => c.name === 'invitee')
  return { inviterConnection: mine.id, inviteeConnection: connection.id }
}

/** Every stored row of the vault tables as text. */
export async function storedText (store: Store): Promise<string> {
  const tables = ['vault_items', 'vault_slots', 'vault_invitations', 'vault_connections', 'vault_shares'] as const
  const rows = await Promise.all(tables.map(async table => await store.selectFrom(table).selectAll().execute()))
  return JSON.stringify(rows)
}
