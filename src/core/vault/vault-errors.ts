// Errors a person sees from the vault, connections and shares. Anything missing or someone else's is the
// same 404, so a reply never tells that a thing exists (meeco-vault issue: bad input).
import { Conflict, Forbidden, Gone, NotFound, Unprocessable } from '../errors.js'

export const VaultErrorText = {
  itemNotFound: 'item not found',
  slotNotFound: 'slot not found',
  templateNotFound: 'template not found',
  templateExists: 'a template with this name already exists',
  invitationNotFound: 'invitation not found',
  invitationUsed: 'invitation was already used',
  invitationCancelled: 'invitation was cancelled',
  invitationExpired: 'invitation has expired',
  ownInvitation: 'an invitation cannot be accepted by the person who created it',
  connectionNotFound: 'connection not found',
  shareNotFound: 'share not found',
  shareNeedsAcceptance: 'share must be accepted before it can be read',
  shareRejected: 'share was rejected',
  shareExpired: 'share has expired',
  onsharingNotPermitted: 'on-sharing of this item is not permitted',
  receivedItemReadOnly: 'a received item cannot be changed; only its owner changes it',
  notOwnItem: 'only the owner shares an item; on-share a received item with OnShareItem',
  alreadyShared: 'this item is already shared over this connection',
  recipientOwnsItem: 'the recipient owns this item',
  expiryInPast: 'expires_at must be in the future',
  notAString: (slot: string) => `slot "${slot}" value must be a string`,
  slotTwice: (slot: string) => `slot "${slot}" appears twice`,
  namedSlotNotFound: (slot: string) => `slot "${slot}" not found`,
  badCursor: 'next_page_after is not a cursor this service gave out',
  valueVerificationFailed: (slot: string) => `slot "${slot}" failed value verification: its value is not the one its owner set`,
  quotaReached: (slot: string) => `vault quota reached (${slot}); delete some first`,
  missingKey: 'a vault key is missing from the credentials; the data cannot be decrypted',
} as const

export const itemNotFound = (): NotFound => new NotFound(VaultErrorText.itemNotFound)
export const shareNotFound = (): NotFound => new NotFound(VaultErrorText.shareNotFound)
export const connectionNotFound = (): NotFound => new NotFound(VaultErrorText.connectionNotFound)

export class ShareNeedsAcceptance extends Forbidden {
  constructor () { super(VaultErrorText.shareNeedsAcceptance) }
}
export class ShareExpired extends Gone {
  constructor () { super(VaultErrorText.shareExpired) }
}
export class ValueVerificationFailed extends Unprocessable {
  constructor (readonly slot: string) { super(VaultErrorText.valueVerificationFailed(slot)) }
}
/** A person's vault is at one of its quotas (vault-quota.ts); `what` names it with its number. */
export class QuotaExceeded extends Conflict {
  constructor (what: string) { super(VaultErrorText.quotaReached(what)) }
}
export class AlreadyShared extends Conflict {
  constructor () { super(VaultErrorText.alreadyShared) }
}
