// Invitations (meeco-vault §4, simple workflow): the inviter makes a fresh key pair, names the invitee (under
// its own DEK) and gets a secret token to pass on out of band. Only a keyed hash of the token is stored.
// A token is good once, until its expiry, unless cancelled; a used, cancelled or expired one is a 410.
import { randomBytes, randomUUID } from 'node:crypto'
import type { Store } from '../../store/database.js'
import type { VaultInvitationRow } from '../../store/tables/vault.js'
import type { Invitation } from '../../wire/schema-types.js'
import type { RsaKeyPairPem } from '../../crypto/key-pair-pool.js'
import { encryptAes256Gcm } from '../../crypto/aes-256-gcm.js'
import type { VaultOwner } from '../vault-keys.js'
import { VaultErrors } from '../vault-errors.js'

export interface KeyPairSource { take: () => Promise<RsaKeyPairPem> }

export interface InvitationInput {
  name?: string
  expires_at?: string
  connection_type?: string | null
  integration_data?: Record<string, unknown> | null
}

export const DEFAULT_CONNECTION_NAME = 'New Connection'

export function stateOf (row: VaultInvitationRow, now = new Date()): Invitation['state'] {
  if (row.state === 'new' && row.expires_at !== null && row.expires_at <= now.toISOString()) return 'expired'
  return row.state as Invitation['state']
}

/** 410 unless the invitation can still be accepted. */
export function assertUsable (row: VaultInvitationRow): void {
  switch (stateOf(row)) {
    case 'accepted': throw VaultErrors.invitationUsed()
    case 'cancelled': throw VaultErrors.invitationCancelled()
    case 'expired': throw VaultErrors.invitationExpired()
  }
}

export function futureTime (value: string | undefined, now = new Date()): string | null {
  if (value === undefined) return null
  const time = new Date(value)
  if (Number.isNaN(time.getTime()) || time <= now) throw VaultErrors.expiryInPast()
  return time.toISOString()
}

export class Invitations {
  constructor (private readonly store: Store, private readonly tokenHash: (token: string) => string, private readonly keyPairs: KeyPairSource) {}

  async create (owner: VaultOwner, input: InvitationInput): Promise<{ invitation: Invitation, token: string }> {
    const expiresAt = futureTime(input.expires_at)
    const dataKey = await owner.keys.dataKey()
    const pair = await this.keyPairs.take()
    const keypairId = randomUUID()
    await owner.keys.addKeypair(keypairId, pair.privateKeyPem)
    const token = randomBytes(32).toString('base64url')
    const now = new Date().toISOString()
    const row: VaultInvitationRow = {
      id: randomUUID(), owner_id: owner.id, token_hash: this.tokenHash(token),
      encrypted_recipient_name: encryptAes256Gcm(dataKey, input.name ?? DEFAULT_CONNECTION_NAME),
      public_key: pair.publicKeyPem, keypair_id: keypairId, state: 'new',
      connection_type: input.connection_type ?? null,
      integration_data: input.integration_data == null ? null : JSON.stringify(input.integration_data),
      expires_at: expiresAt, created_at: now, updated_at: now,
    }
    await this.store.insertInto('vault_invitations').values(row).execute()
    return { invitation: this.viewFor(owner.id, row), token }
  }

  /** The invitation behind a token: its inviter sees any state, others only a usable one (else 410). */
  async read (reader: VaultOwner, token: string): Promise<Invitation> {
    const row = await this.byToken(token)
    if (row.owner_id !== reader.id) assertUsable(row)
    return this.viewFor(reader.id, row)
  }

  async byToken (token: string): Promise<VaultInvitationRow> {
    const row = await this.store.selectFrom('vault_invitations').selectAll().where('token_hash', '=', this.tokenHash(token)).executeTakeFirst()
    if (row === undefined) throw VaultErrors.invitationNotFound()
    return row
  }

  async cancel (owner: VaultOwner, invitationId: string): Promise<Invitation> {
    const row = await this.store.selectFrom('vault_invitations').selectAll().where('id', '=', invitationId).where('owner_id', '=', owner.id).executeTakeFirst()
    if (row === undefined) throw VaultErrors.invitationNotFound()
    assertUsable(row)
    const now = new Date().toISOString()
    const cancelled = await this.store.updateTable('vault_invitations').set({ state: 'cancelled', updated_at: now })
      .where('id', '=', row.id).where('state', '=', 'new').executeTakeFirst()
    if (cancelled.numUpdatedRows !== 1n) throw VaultErrors.invitationUsed()
    await owner.keys.removeKeypairs([row.keypair_id])
    return this.viewFor(owner.id, { ...row, state: 'cancelled', updated_at: now })
  }

  private viewFor (readerId: string, row: VaultInvitationRow): Invitation {
    const own = row.owner_id === readerId
    return {
      ...(own ? { id: row.id } : {}),
      own,
      state: stateOf(row),
      connection_type: row.connection_type,
      integration_data: row.integration_data === null ? null : JSON.parse(row.integration_data),
      expires_at: row.expires_at,
      created_at: row.created_at,
    }
  }
}
