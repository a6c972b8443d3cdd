// What third-party services ask of an API token (intercoop-auroral B3 and part C), without HTTP:
// - auth: AURORAL's answer, the grant types and the raw ACL;
// - introspect: RFC 7662, `{active:false}` for anything invalid;
// - authorize: "may this token do <grantType> on <resource>?", evaluated here (B6: ACL expansion on the server).
// Credentials are checked on every call, so revocation and expiry take effect on the next one.
import type { OrganizationDirectory } from '../organizations/organization-directory.js'
import { UserError } from '../errors.js'
import { decide, type AclDecision } from './acl-decision.js'
import type { Acl, GrantType } from './acl-model.js'
import { targetOf } from './acl-targets.js'
import type { ApiTokenVerifier } from './api-token-verifier.js'

export interface Presented { keyid: string, secret: string, address?: string }

/** RFC 7662 §2.2 for an active token, with the ACL and organization as extension members. */
export interface ActiveIntrospection {
  active: true
  client_id: string
  scope: string
  token_type: 'api_key'
  sub: string
  iat: number
  exp?: number
  acl: Acl
}

export class AclExternalApi {
  constructor (private readonly verifier: ApiTokenVerifier, private readonly directory: Pick<OrganizationDirectory, 'nodeOf' | 'itemOf' | 'organizationExists'>) {}

  async auth (presented: Presented): Promise<{ grantType: GrantType[], ACL: Acl }> {
    const { token } = await this.verifier.verify(presented.keyid, presented.secret, presented.address)
    return { grantType: [...token.grantTypes], ACL: { cid: [...token.acl.cid], agid: [...token.acl.agid], oid: [...token.acl.oid] } }
  }

  /** Invalid, expired and revoked tokens are `{active:false}`; only rate limiting (429) is an error. */
  async introspect (presented: Presented): Promise<ActiveIntrospection | { active: false }> {
    try {
      const { token } = await this.verifier.verify(presented.keyid, presented.secret, presented.address)
      return {
        active: true,
        client_id: token.keyid,
        scope: token.grantTypes.join(' '),
        token_type: 'api_key',
        sub: token.organizationId,
        iat: Math.floor(Date.parse(token.createdAt) / 1000),
        ...(token.expiresAt === null ? {} : { exp: Math.floor(token.expiresAt / 1000) }),
        acl: { cid: [...token.acl.cid], agid: [...token.acl.agid], oid: [...token.acl.oid] },
      }
    } catch (error) {
      if (error instanceof UserError && error.code === 401) return { active: false }
      throw error
    }
  }

  async authorize (presented: Presented, resource: string, grantType: GrantType): Promise<AclDecision> {
    const { token } = await this.verifier.verify(presented.keyid, presented.secret, presented.address)
    return decide(token, await targetOf(this.directory, resource), grantType)
  }
}
