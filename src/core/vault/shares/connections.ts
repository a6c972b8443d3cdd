// Connections (meeco-vault §4): accepting an invitation gives both sides a connection record. Each record
// holds the name its owner gave the other (under the owner's DEK), its owner's public key and key pair id,
// and the other side's public key, to which shares for the other side are wrapped.
import { randomUUID } from 'node:crypto'
import type { Store } from '../../store/database.js'
import type { VaultConnectionRow } from '../../store/tables/vault.js'
import type { Connection } from '../../wire/schema-types.js'
import { decryptAes256Gcm, encryptAes256Gcm } from '../../crypto/aes-256-gcm.js'
import type { Db } from '../item-rows.js'
import type { VaultOwner } from '../vault-keys.js'
import { VaultErrors } from '../vault-errors.js'
import { assertUsable, DEFAULT_CONNECTION_NAME, type Invitations, type KeyPairSource } from './invitations.js'
import { removeShares } from './share-removal.js'

export async function findConnection (db: Db, ownerId: string, connectionId: string): Promise<VaultConnectionRow> {
  const row = await db.selectFrom('vault_connections').selectAll().where('id', '=', connectionId).where('owner_id', '=', ownerId).executeTakeFirst()
  if (row === undefined) throw VaultErrors.connectionNotFound()
  return row
}

export class Connections {
  constructor (private readonly store: Store, private readonly invitations: Invitations, private readonly keyPairs: KeyPairSource) {}

  /** Accepts by token; when the two are connected already, answers with the existing connection. */
  async accept (owner: VaultOwner, input: { token: string, name?: string }): Promise<{ connection: Connection, existedAlready: boolean }> {
    const invitation = await this.invitations.byToken(input.token)
    assertUsable(invitation)
    if (invitation.owner_id === owner.id) throw VaultErrors.ownInvitation()
    const dataKey = await owner.keys.dataKey()
    const existing = await this.store.selectFrom('vault_connections').selectAll()
      .where('owner_id', '=', owner.id).where('other_user_id', '=', invitation.owner_id).executeTakeFirst()
    if (existing !== undefined) return { connection: this.viewOf(dataKey, existing), existedAlready: true }

    const pair = await this.keyPairs.take()
    const keypairId = randomUUID()
    await owner.keys.addKeypair(keypairId, pair.privateKeyPem)
    const now = new Date().toISOString()
    const mine: VaultConnectionRow = {
      id: randomUUID(), owner_id: owner.id, other_user_id: invitation.owner_id, other_connection_id: '',
      encrypted_recipient_name: encryptAes256Gcm(dataKey, input.name ?? DEFAULT_CONNECTION_NAME),
      public_key: pair.publicKeyPem, keypair_id: keypairId,
      other_public_key: invitation.public_key, other_keypair_id: invitation.keypair_id,
      invitation_id: invitation.id, connection_type: invitation.connection_type, integration_data: invitation.integration_data, created_at: now,
    }
    const theirs: VaultConnectionRow = {
      ...mine, id: randomUUID(), owner_id: invitation.owner_id, other_user_id: owner.id, other_connection_id: mine.id,
      encrypted_recipient_name: invitation.encrypted_recipient_name,
      public_key: invitation.public_key, keypair_id: invitation.keypair_id, other_public_key: pair.publicKeyPem, other_keypair_id: keypairId,
    }
    mine.other_connection_id = theirs.id
    const raced = await this.store.transaction().execute(async trx => {
      // A concurrent acceptance may have connected the two meanwhile: answer as if it came first.
      const connected = await trx.selectFrom('vault_connections').selectAll()
        .where('owner_id', '=', owner.id).where('other_user_id', '=', invitation.owner_id).executeTakeFirst()
      if (connected !== undefined) return connected
      const claimed = await trx.updateTable('vault_invitations').set({ state: 'accepted', updated_at: now })
        .where('id', '=', invitation.id).where('state', '=', 'new').executeTakeFirst()
      if (claimed.numUpdatedRows !== 1n) throw VaultErrors.invitationUsed()
      await trx.insertInto('vault_connections').values([mine, theirs]).execute()
      return undefined
    })
    if (raced !== undefined) {
      await owner.keys.removeKeypairs([keypairId])
      return { connection: this.viewOf(dataKey, raced), existedAlready: true }
    }
    return { connection: this.viewOf(dataKey, mine), existedAlready: false }
  }

  async list (owner: VaultOwner): Promise<Connection[]> {
    const rows = await this.store.selectFrom('vault_connections').selectAll().where('owner_id', '=', owner.id).orderBy('created_at').orderBy('id').execute()
    if (rows.length === 0) return []
    const dataKey = await owner.keys.dataKey()
    return rows.map(row => this.viewOf(dataKey, row))
  }

  async get (owner: VaultOwner, connectionId: string): Promise<Connection> {
    return this.viewOf(await owner.keys.dataKey(), await findConnection(this.store, owner.id, connectionId))
  }

  /** Ends the connection for both sides, with every share made over it (and their on-shares and copies). */
  async delete (owner: VaultOwner, connectionId: string): Promise<void> {
    const row = await findConnection(this.store, owner.id, connectionId)
    await this.store.transaction().execute(async trx => {
      const shares = await trx.selectFrom('vault_shares').selectAll().where(eb => eb.or([
        eb.and([eb('sender_id', '=', owner.id), eb('recipient_id', '=', row.other_user_id)]),
        eb.and([eb('sender_id', '=', row.other_user_id), eb('recipient_id', '=', owner.id)]),
      ])).execute()
      await removeShares(trx, shares)
      await trx.deleteFrom('vault_connections').where('id', 'in', [row.id, row.other_connection_id]).execute()
    })
    await owner.keys.removeKeypairs([row.keypair_id])
  }

  private viewOf (dataKey: Buffer, row: VaultConnectionRow): Connection {
    return {
      id: row.id,
      name: decryptAes256Gcm(dataKey, row.encrypted_recipient_name).toString('utf8'),
      connection_type: row.connection_type,
      integration_data: row.integration_data === null ? null : JSON.parse(row.integration_data),
      created_at: row.created_at,
    }
  }
}
