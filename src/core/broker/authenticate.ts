// CONNECT: username = device uuid, password = token (meshblu-endo §4); API tokens are tried next.
// Every failure answers the same CONNACK (bad username or password), whatever the reason.
import type { Client } from 'aedes'
import type { BrokerContext } from './broker-context.js'
import { setSession } from './mqtt-session.js'

const BAD_USERNAME_OR_PASSWORD = 4

function refused (): Error & { returnCode: number } {
  return Object.assign(new Error('Bad username or password'), { returnCode: BAD_USERNAME_OR_PASSWORD })
}

export function authenticateHook (ctx: BrokerContext) {
  return (client: Client, username: string | undefined, password: Buffer | undefined, done: (error: any, success: boolean | null) => void): void => {
    const token = password?.toString('utf8')
    if (username === undefined || username === '' || token === undefined || token === '') return done(refused(), false)
    void (async () => {
      if (await ctx.bus.authenticate(username, token)) {
        setSession(client, { kind: 'device', uuid: username })
        return true
      }
      for (const authenticator of ctx.extraAuthenticators) {
        const session = await authenticator(username, token)
        if (session !== undefined) { setSession(client, session); return true }
      }
      return false
    })().then(
      ok => ok ? done(null, true) : done(refused(), false),
      error => { ctx.logger.error({ err: error }, 'mqtt authentication failed'); done(refused(), false) }
    )
  }
}
