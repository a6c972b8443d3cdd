// Errors a person sees from the vault, connections and shares. Anything missing or someone else's is the
// same 404, so a reply never tells that a thing exists (meeco-vault issue: bad input).
import { defineCatalogue } from '../errors.js'

const slotDetails = (_text: string, slot: string): { slot: string } => ({ slot })

export const VaultErrors = defineCatalogue('vault', {
  itemNotFound: { code: 404, text: 'item not found', when: 'the item does not exist or is someone else\'s' },
  slotNotFound: { code: 404, text: 'slot not found', when: 'RemoveSlot of a slot that is not yours, or a share of a slot the item lacks' },
  templateNotFound: { code: 404, text: 'template not found', when: 'no system template and none of yours has that name' },
  templateExists: { code: 409, text: 'a template with this name already exists', when: 'CreateTemplate with a system template\'s name or one of yours' },
  invitationNotFound: { code: 404, text: 'invitation not found', when: 'an unknown token, or cancelling someone else\'s invitation' },
  invitationUsed: { code: 410, text: 'invitation was already used', when: 'the token was accepted before' },
  invitationCancelled: { code: 410, text: 'invitation was cancelled', when: 'its creator cancelled it' },
  invitationExpired: { code: 410, text: 'invitation has expired', when: 'past its `expires_at`' },
  ownInvitation: { code: 422, text: 'an invitation cannot be accepted by the person who created it', when: 'accepting your own token' },
  connectionNotFound: { code: 404, text: 'connection not found', when: 'the connection does not exist or is someone else\'s' },
  shareNotFound: { code: 404, text: 'share not found', when: 'the share does not exist, or you neither sent nor received it' },
  shareNeedsAcceptance: { code: 403, text: 'share must be accepted before it can be read', name: 'ShareNeedsAcceptance', when: 'the sender required acceptance and you have not accepted yet' },
  shareRejected: { code: 410, text: 'share was rejected', when: 'you rejected it' },
  shareExpired: { code: 410, text: 'share has expired', name: 'ShareExpired', when: 'past its `expires_at`' },
  onsharingNotPermitted: { code: 403, text: 'on-sharing of this item is not permitted', when: 'OnShareItem where the owner did not permit it' },
  receivedItemReadOnly: { code: 403, text: 'a received item cannot be changed; only its owner changes it', when: 'UpdateItem, RemoveSlot or PushItemUpdates on a received item' },
  notOwnItem: { code: 403, text: 'only the owner shares an item; on-share a received item with OnShareItem', when: 'ShareItem with a received item' },
  alreadyShared: { code: 409, text: 'this item is already shared over this connection', name: 'AlreadyShared', when: 'a second share of the same item to the same person' },
  recipientOwnsItem: { code: 409, text: 'the recipient owns this item', when: 'on-sharing an item back to its owner' },
  expiryInPast: { code: 422, text: 'expires_at must be in the future', when: 'an invitation or share whose expiry has passed already' },
  notAString: { code: 422, text: (slot: string) => `slot "${slot}" value must be a string`, example: ['email'], details: slotDetails, when: 'a slot value that is not a string or null' },
  slotTwice: { code: 422, text: (slot: string) => `slot "${slot}" appears twice`, example: ['email'], details: slotDetails, when: 'the same slot name twice in one message' },
  namedSlotNotFound: { code: 404, text: (slot: string) => `slot "${slot}" not found`, example: ['email'], when: '`_destroy` of a slot the item does not have' },
  badCursor: { code: 400, text: 'next_page_after is not a cursor this service gave out', when: 'ListItems with a made-up cursor' },
  valueVerificationFailed: {
    code: 422,
    text: (slot: string) => `slot "${slot}" failed value verification: its value is not the one its owner set`,
    example: ['email'],
    name: 'ValueVerificationFailed',
    when: 'a received slot whose value does not match its owner\'s HMAC',
  },
  quotaReached: {
    code: 409,
    text: (quota: string) => `vault quota reached (${quota}); delete some first`,
    example: ['items: 10000'],
    name: 'QuotaExceeded',
    when: 'CreateItem, UpdateItem (adding slots) or CreateTemplate past the person\'s quota, named with its number (limits `VAULT_MAX_*`)',
  },
  missingKey: { code: 500, text: 'a vault key is missing from the credentials; the data cannot be decrypted', when: 'never on the wire (a 500 says `Internal Server Error`); logged' },
})
