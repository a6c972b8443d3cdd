// MQTT logins with an API token (username = keyid, password = secret): read-only sessions that may
// subscribe to, and receive, the broadcasts of the devices their ACL reaches (a node, or a node item
// device, by the B5 rule with the dataAccess grant) and nothing else; authorize-publish refuses every
// publication of such a session. Revocation, expiry, the end of a rotation grace period and the deletion of
// the token end an open session (live-api-tokens.ts); ACL cascades apply from its next packet (the broker
// re-checks each delivery).
import { UserError } from '../errors.js'
import { decide } from './acl-decision.js'
import { secretOpens } from './acl-model.js'
import type { AclDeviceIndex } from './acl-device-index.js'
import type { ApiTokenVerifier } from './api-token-verifier.js'
import type { LiveApiTokens } from './live-api-tokens.js'

/**
 * A read-only MQTT session opened with an API token. The broker's ApiTokenSession has this shape: the domain
 * states it here rather than importing the broker, which sits above it (service/ hands the login to the broker).
 */
export interface ApiTokenSessionGrant {
  kind: 'api-token'
  keyid: string
  mayReceiveBroadcastsOf: (uuid: string) => boolean
  /** Calls `end` once the token no longer opens the session; returns a function that stops watching. */
  watchEnd: (end: () => void) => () => void
}

/** Resolves an MQTT username and password to an API-token session; undefined = not an API token of ours. */
export type ApiTokenLogin = (username: string, password: string) => Promise<ApiTokenSessionGrant | undefined>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface ApiTokenLoginDeps {
  verifier: ApiTokenVerifier
  live: LiveApiTokens
  index: AclDeviceIndex
  /** A device's failed login is not an API-token attempt: it is neither looked up nor counted. */
  isDevice: (uuid: string) => Promise<boolean>
  now?: () => number
}

export function apiTokenAuthenticator (deps: ApiTokenLoginDeps): ApiTokenLogin {
  const now = deps.now ?? Date.now
  return async (username, password): Promise<ApiTokenSessionGrant | undefined> => {
    if (!UUID.test(username) || password.length > 512 || await deps.isDevice(username)) return undefined
    let verified
    try {
      verified = await deps.verifier.verify(username, password)
    } catch (error) {
      if (error instanceof UserError) return undefined // 401 or 429: the same refused CONNACK
      throw error
    }
    const { token, secretHash } = verified
    if (!token.grantTypes.includes('dataAccess')) return undefined
    await deps.index.loadOrganization(token.organizationId)
    return {
      kind: 'api-token',
      keyid: token.keyid,
      mayReceiveBroadcastsOf (uuid: string): boolean {
        const current = deps.live.get(token.keyid)
        if (current === undefined || !secretOpens(current, secretHash, now())) return false
        return decide(current, deps.index.targetOf(uuid), 'dataAccess').allowed
      },
      watchEnd: end => deps.live.watch(token, secretHash, end),
    }
  }
}
