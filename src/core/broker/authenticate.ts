// CONNECT: username = device uuid, password = token (meshblu-endo §4); API tokens are tried next.
// Every credential failure answers the same CONNACK (4, bad username or password), whatever the reason,
// and counts against the client's address; an address past limits.authFailuresPerAddressPerMinute gets
// that same answer, good credentials or not, until its minute ends. Only once the credentials are good:
// a client id owned by someone else is refused (2, identifier rejected), and so is one connection more
// than limits.maxConnectionsPerDevice (5, not authorized). aedes runs this before it registers the client,
// so a refused connection never kicks the one holding the id nor touches its stored session.
import type { Client } from 'aedes'
import type { BrokerContext } from './broker-context.js'
import { LiveSessions } from './live-sessions.js'
import { principalOf, type MqttSession } from './mqtt-session.js'

const IDENTIFIER_REJECTED = 2
const BAD_USERNAME_OR_PASSWORD = 4
const NOT_AUTHORIZED = 5

/** The longest client id accepted, whatever the MQTT version (aedes' maxClientsIdLength): a persistent session is stored under it. */
export const MAX_CLIENT_ID_LENGTH = 64

const MESSAGES: Record<number, string> = {
  [IDENTIFIER_REJECTED]: 'Identifier rejected',
  [BAD_USERNAME_OR_PASSWORD]: 'Bad username or password',
  [NOT_AUTHORIZED]: 'Not authorized',
}

function refused (returnCode: number): Error & { returnCode: number } {
  return Object.assign(new Error(MESSAGES[returnCode]), { returnCode })
}

/** The client's address: the WebSocket upgrade request's socket, or the TCP socket. */
export function addressOf (client: Client): string | undefined {
  return client.req?.socket?.remoteAddress ?? ('remoteAddress' in client.conn ? client.conn.remoteAddress : undefined)
}

interface Found { session: MqttSession, expiresAt?: number }

export function authenticateHook (ctx: BrokerContext, live: LiveSessions) {
  return (client: Client, username: string | undefined, password: Buffer | undefined, done: (error: any, success: boolean | null) => void): void => {
    const address = addressOf(client)
    const failures = ctx.bus.authFailures
    const badCredentials = (): void => { done(refused(BAD_USERNAME_OR_PASSWORD), false) }
    const unavailable = (error: unknown): void => {
      ctx.logger.error({ err: error }, 'mqtt authentication failed')
      badCredentials()
    }
    // the failure windows may be in Redis (cluster mode): the answer waits for the count, so the next attempt sees it
    const failed = (): void => { failures.recordFailure(address).then(badCredentials, unavailable) }
    failures.retryAfterSeconds(address).then(blocked => {
      if (blocked !== undefined) return badCredentials()
      checkCredentials(client, username, password?.toString('utf8'), failed, done)
    }, unavailable)
  }

  function checkCredentials (client: Client, username: string | undefined, token: string | undefined, failed: () => void, done: (error: any, success: boolean | null) => void): void {
    if (username === undefined || username === '' || token === undefined || token === '') return failed()
    const pending = live.beginAuthentication(username)
    void (async (): Promise<Found | undefined> => {
      const verified = await ctx.bus.authenticatedToken(username, token)
      if (verified !== undefined) {
        return { session: { kind: 'device', uuid: username, credential: verified.hash }, expiresAt: verified.expiresAt }
      }
      for (const authenticator of ctx.extraAuthenticators) {
        const session = await authenticator(username, token)
        if (session !== undefined) return { session }
      }
      return undefined
    })().then(
      found => {
        live.finishAuthentication(pending)
        if (found === undefined) return failed()
        // revoked, reset or unregistered while it was being checked: as if it had been checked a moment later
        if (found.session.kind === 'device' && LiveSessions.endedDuring(pending, found.session.credential)) return done(refused(BAD_USERNAME_OR_PASSWORD), false)
        const principal = principalOf(found.session)
        // aedes checks the length only for MQTT 3.1; a long id would be kept for the whole session expiry
        if (client.id.length > MAX_CLIENT_ID_LENGTH) return done(refused(IDENTIFIER_REJECTED), false)
        if (!live.clientIds.mayClaim(client.id, principal)) return done(refused(IDENTIFIER_REJECTED), false)
        if (live.connectionsOf(principal, client.id) >= ctx.limits.maxConnectionsPerDevice) return done(refused(NOT_AUTHORIZED), false)
        if (client.closed) return done(refused(BAD_USERNAME_OR_PASSWORD), false) // gone meanwhile: nothing to record
        live.add(client, found.session, found.expiresAt)
        done(null, true)
      },
      error => {
        live.finishAuthentication(pending)
        ctx.logger.error({ err: error }, 'mqtt authentication failed')
        done(refused(BAD_USERNAME_OR_PASSWORD), false)
      }
    )
  }
}
