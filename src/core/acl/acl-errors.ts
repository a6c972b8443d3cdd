// What callers of the ACL see when something is refused: the job errors of CreateApiToken and friends
// (role rules of intercoop-auroral B2) and the HTTP texts of /api/external/v1 (B3 with the B6 fixes).
import { Forbidden, NotFound, TooManyRequests, Unauthorized, Unprocessable } from '../errors.js'

export const AclText = {
  organizationNotFound: 'organization not found',
  tokenNotFound: 'API token not found',
  /** The one 401 body for an unknown key id, a wrong secret, an expired or a revoked token (B6). */
  invalidCredentials: 'Invalid keyid or secret',
  credentialsRequired: 'keyid and secret are required',
  credentialsMalformed: 'keyid must be a uuid and secret at most 512 characters',
  tooManyAttempts: 'Too many failed attempts: retry later',
  emptyAcl: 'an API token needs at least one organization (cid), node (agid) or item (oid) in its ACL',
  apEditNeedsScope: 'the apEdit grant type manages nodes: it needs an organization (cid) or node (agid) ACL',
  expiryInPast: 'expires_at must be in the future',
  revoked: 'this API token is revoked',
  ownCidOnly: 'Invalid CID: an API token may only name its own organization in cid',
} as const

export const organizationNotFound = (): NotFound => new NotFound(AclText.organizationNotFound)
export const tokenNotFound = (): NotFound => new NotFound(AclText.tokenNotFound)
export const invalidCredentials = (): Unauthorized => new Unauthorized(AclText.invalidCredentials)
export const tooManyAttempts = (retryAfterSeconds: number): TooManyRequests => new TooManyRequests(AclText.tooManyAttempts, retryAfterSeconds)

/** 403 naming the role a level of the ACL needs (B2: organization → owner, node → owner or admin). */
export const levelNeedsRole = (level: 'organization' | 'node', roles: string): Forbidden =>
  new Forbidden(`${level === 'organization' ? 'an' : 'a'} ${level}-level API token needs the ${roles} role in this organization`)

/** 404 for a node or item that does not exist or is not the organization's (no probing of other organizations). */
export const notInOrganization = (what: 'node' | 'item', id: string): NotFound => new NotFound(`${what} ${id} not found in this organization`)

/** 403: item-level tokens may only name items the caller owns (B2 `item.uid`). */
export const notYourItem = (id: string): Forbidden => new Forbidden(`an item-level API token may only name items you own: ${id} is not yours`)

export const onlyOwnerOrCreator = (action: string): Forbidden => new Forbidden(`${action} needs the owner role in this organization or to be the token's creator`)

export const unprocessable = (text: string): Unprocessable => new Unprocessable(text)
