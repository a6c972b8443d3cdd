// Who may read a share and when (meeco-vault §5): only its recipient, not after it expired or was rejected,
// and not before acceptance when the sender asked for it. Then the share DEK opens the recipient's copy.
import type { Db } from '../item-rows.js'
import type { VaultShareRow } from '../../store/tables/vault.js'
import type { VaultOwner } from '../vault-keys.js'
import { VaultErrors } from '../vault-errors.js'
import { unwrapShareKey } from './share-keys.js'

export const Acceptance = {
  notRequired: 'acceptance_not_required',
  required: 'acceptance_required',
  accepted: 'accepted',
  rejected: 'rejected',
} as const

export function isExpired (share: Pick<VaultShareRow, 'expires_at'>, now = new Date()): boolean {
  return share.expires_at !== null && share.expires_at <= now.toISOString()
}

/** A share the person received; anything else is a 404. */
export async function findIncomingShare (db: Db, recipientId: string, shareId: string): Promise<VaultShareRow> {
  const share = await db.selectFrom('vault_shares').selectAll().where('id', '=', shareId).where('recipient_id', '=', recipientId).executeTakeFirst()
  if (share === undefined) throw VaultErrors.shareNotFound()
  return share
}

/** 410 when rejected or expired, 403 while acceptance is pending. */
export function assertReadable (share: VaultShareRow): void {
  if (share.acceptance === Acceptance.rejected) throw VaultErrors.shareRejected()
  if (isExpired(share)) throw VaultErrors.shareExpired()
  if (share.acceptance === Acceptance.required) throw VaultErrors.shareNeedsAcceptance()
}

/** The key that opens the recipient's copy of a readable share. */
export function readableShareKey (recipient: VaultOwner, share: VaultShareRow): Buffer {
  assertReadable(share)
  return unwrapShareKey(recipient, share)
}
