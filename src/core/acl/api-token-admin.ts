// The jobs' side of API tokens (CreateApiToken, ListApiTokens, RevokeApiToken, RotateApiTokenSecret):
// the B2 role rules at creation, the secret shown once, revocation and rotation with a grace period.
// Members list their organization's tokens (never secrets); owners, or a token's creator, revoke and rotate.
import { randomUUID } from 'node:crypto'
import type { JobParties } from '../job-context.js'
import type { Acl, ApiToken, GrantType } from './acl-model.js'
import type { ApiTokenStore } from './api-token-store.js'
import { generateSecret, hashSecret } from './api-token-secret.js'
import type * as Wire from '../wire/schema-types.js'
import { apiTokenView } from './api-token-view.js'
import { checkedAcl, memberRole, type Directory } from './acl-creation-rules.js'
import { AclErrors } from './acl-errors.js'

export interface NewApiToken {
  name: string
  grantTypes?: GrantType[]
  acl: Partial<Acl>
  /** ISO date-time; must be in the future. */
  expiresAt?: string
}

export interface ApiTokenAdminDeps {
  tokens: ApiTokenStore
  directory: Directory
  pepper: Buffer
  /** Called after a token changed (revoked, rotated), so live MQTT sessions see it at once. */
  changed: (keyid: string) => Promise<void>
  now?: () => number
}

export class ApiTokenAdmin {
  private readonly now: () => number
  constructor (private readonly deps: ApiTokenAdminDeps) { this.now = deps.now ?? Date.now }

  async create (parties: JobParties, organizationId: string, request: NewApiToken): Promise<{ token: Wire.ApiToken, secret: string }> {
    const grantTypes: GrantType[] = [...new Set<GrantType>(request.grantTypes ?? ['dataAccess'])]
    const acl = await checkedAcl(this.deps.directory, organizationId, parties, request.acl, grantTypes)
    const now = this.now()
    const expiresAt = request.expiresAt === undefined ? null : Date.parse(request.expiresAt)
    if (expiresAt !== null && !(expiresAt > now)) throw AclErrors.expiryInPast()
    const keyid = randomUUID()
    const secret = generateSecret()
    const token: ApiToken = {
      keyid,
      organizationId,
      name: request.name,
      grantTypes,
      acl,
      secretHash: hashSecret(this.deps.pepper, keyid, secret),
      previousSecretHash: null,
      previousSecretValidUntil: null,
      expiresAt,
      lastUsedAt: null,
      createdBy: parties.credentialsUuid,
      createdAt: new Date(now).toISOString(),
      revokedAt: null,
    }
    await this.deps.tokens.insert(token)
    return { token: apiTokenView(token, now), secret }
  }

  async list (parties: JobParties, organizationId: string): Promise<Wire.ApiToken[]> {
    await memberRole(this.deps.directory, organizationId, parties)
    const now = this.now()
    return (await this.deps.tokens.listOf(organizationId)).map(token => apiTokenView(token, now))
  }

  /** Takes effect on the next call: every check reads the token's row. */
  async revoke (parties: JobParties, organizationId: string, keyid: string): Promise<Wire.ApiToken> {
    const token = await this.manageable(parties, organizationId, keyid, 'revoking an API token')
    const at = new Date(this.now()).toISOString()
    await this.deps.tokens.revoke(keyid, at)
    await this.deps.changed(keyid)
    return apiTokenView({ ...token, revokedAt: token.revokedAt ?? at }, this.now())
  }

  /** A new secret; the current one keeps working for `graceSeconds` (0: stops at once). Only one previous secret is kept. */
  async rotate (parties: JobParties, organizationId: string, keyid: string, graceSeconds: number): Promise<{ token: Wire.ApiToken, secret: string }> {
    const token = await this.manageable(parties, organizationId, keyid, 'rotating an API token secret')
    if (token.revokedAt !== null) throw AclErrors.revoked()
    const secret = generateSecret()
    const secretHash = hashSecret(this.deps.pepper, keyid, secret)
    const now = this.now()
    const validUntil = now + graceSeconds * 1000
    await this.deps.tokens.rotate(keyid, secretHash, token.secretHash, validUntil)
    await this.deps.changed(keyid)
    const rotated: ApiToken = { ...token, secretHash, previousSecretHash: token.secretHash, previousSecretValidUntil: validUntil }
    return { token: apiTokenView(rotated, now), secret }
  }

  private async manageable (parties: JobParties, organizationId: string, keyid: string, action: string): Promise<ApiToken> {
    const role = await memberRole(this.deps.directory, organizationId, parties)
    const token = await this.deps.tokens.find(keyid)
    if (token === undefined || token.organizationId !== organizationId) throw AclErrors.tokenNotFound()
    if (role !== 'owner' && token.createdBy !== parties.credentialsUuid) throw AclErrors.onlyOwnerOrCreator(action)
    return token
  }
}
