// What callers of the ACL see when something is refused: the job errors of CreateApiToken and friends
// (role rules of intercoop-auroral B2) and the HTTP texts of /api/external/v1 (B3 with the B6 fixes).
import { defineCatalogue } from '../errors.js'

export const AclErrors = defineCatalogue('acl', {
  // jobs (CreateApiToken, ListApiTokens, RevokeApiToken, RotateApiTokenSecret)
  organizationNotFound: { code: 404, text: 'organization not found', when: 'the organization does not exist, is not validated, or you are not a member of it' },
  tokenNotFound: { code: 404, text: 'API token not found', when: 'the organization has no token with that key id' },
  emptyAcl: { code: 422, text: 'an API token needs at least one organization (cid), node (agid) or item (oid) in its ACL', when: 'CreateApiToken with an empty ACL' },
  apEditNeedsScope: { code: 422, text: 'the apEdit grant type manages nodes: it needs an organization (cid) or node (agid) ACL', when: 'CreateApiToken granting apEdit on items only' },
  expiryInPast: { code: 422, text: 'expires_at must be in the future', when: 'CreateApiToken with an expiry that has passed already' },
  ownCidOnly: { code: 403, text: 'Invalid CID: an API token may only name its own organization in cid', when: 'a `cid` naming another organization (B2)' },
  levelNeedsRole: {
    code: 403,
    text: (level: 'organization' | 'node', roles: string) => `${level === 'organization' ? 'an' : 'a'} ${level}-level API token needs the ${roles} role in this organization`,
    example: ['organization', 'owner'],
    when: 'a `cid` ACL by someone who is not an owner, or an `agid` ACL by someone neither owner nor admin (B2)',
  },
  notInOrganization: {
    code: 404,
    text: (what: 'node' | 'item', id: string) => `${what} ${id} not found in this organization`,
    example: ['node', '7d1e9c20-4b8a-4f3e-a6d5-2c9b0e81f374'],
    when: 'an `agid` or `oid` that does not exist or is another organization\'s (no probing of other organizations)',
  },
  notYourItem: {
    code: 403,
    text: (id: string) => `an item-level API token may only name items you own: ${id} is not yours`,
    example: ['7d1e9c20-4b8a-4f3e-a6d5-2c9b0e81f374'],
    when: 'an `oid` the caller does not own (B2 `item.uid`)',
  },
  onlyOwnerOrCreator: {
    code: 403,
    text: (action: string) => `${action} needs the owner role in this organization or to be the token's creator`,
    example: ['revoking an API token'],
    when: 'revoking or rotating someone else\'s token without the owner role',
  },
  revoked: { code: 409, text: 'this API token is revoked', when: 'RotateApiTokenSecret of a revoked token' },
  // HTTP, /api/external/v1: AURORAL's envelope {"error": text}
  credentialsRequired: { code: 400, text: 'keyid and secret are required', when: '/auth or /authorize without a body, a `keyid` or a `secret`' },
  credentialsMalformed: { code: 400, text: 'keyid must be a uuid and secret at most 512 characters', when: '/auth or /authorize with a malformed `keyid` or `secret`' },
  invalidRequest: { code: 400, text: 'invalid_request', when: '/introspect with no body, or neither `token` nor `keyid`/`secret` (RFC 7662)' },
  resourceRequired: { code: 400, text: 'resource must be a non-empty string', when: '/authorize without a `resource` (or one over 200 characters)' },
  grantTypeUnknown: { code: 400, text: 'grantType must be one of dataAccess, serviceStore, apEdit', when: '/authorize with another `grantType`' },
  invalidCredentials: { code: 401, text: 'Invalid keyid or secret', when: 'an unknown key id, a wrong secret, an expired or a revoked token: one text for all (B6)' },
  tooManyAttempts: { code: 429, text: 'Too many failed attempts: retry later', when: 'too many failed attempts for a key id or from an address; `Retry-After` says when' },
})
