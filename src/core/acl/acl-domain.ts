// The acl domain (issue 8) as the rest of the service sees it (services.acl): the jobs' token admin,
// the external API's checks, the MQTT authenticator for API tokens, and the deletion cascade. Built once at start.
import type { DeviceBus } from '../bus/device-bus.js'
import type { DeviceDocument } from '../bus/device.js'
import type { Logger } from '../log.js'
import type { OrganizationsDomain } from '../organizations/organizations-domain.js'
import type { Store } from '../store/database.js'
import { followDeletions } from './acl-cascade.js'
import { AclDeviceIndex } from './acl-device-index.js'
import { ApiTokenAdmin } from './api-token-admin.js'
import { ApiTokenStore } from './api-token-store.js'
import { ApiTokenVerifier } from './api-token-verifier.js'
import { AuthAttemptLimiter } from './auth-attempt-limiter.js'
import { AclExternalApi } from './external-api.js'
import { LiveApiTokens } from './live-api-tokens.js'
import { apiTokenAuthenticator, type ApiTokenLogin } from './mqtt-api-token-login.js'
import type { SharedState } from '../shared-state.js'

export interface AclDeps {
  store: Store
  bus: DeviceBus
  organizations: Pick<OrganizationsDomain, 'directory' | 'events'>
  /** The server pepper: secrets are stored as HMAC-SHA256 under it. */
  pepper: Buffer
  /** Failed authentications per key id and per address each minute before 429 (config.limits.authAttemptsPerMinute). */
  authAttemptsPerMinute: number
  /** Where those failures are counted (cluster mode: Redis); undefined: this instance's memory. */
  sharedState?: SharedState
  logger: Logger
}

export class AclDomain {
  readonly admin: ApiTokenAdmin
  readonly external: AclExternalApi
  /** For brokerContext.extraAuthenticators. */
  readonly mqttAuthenticator: ApiTokenLogin
  private readonly stops: Array<() => void> = []

  constructor (deps: AclDeps) {
    const tokens = new ApiTokenStore(deps.store)
    const directory = deps.organizations.directory
    const live = new LiveApiTokens(tokens, deps.logger)
    const index = new AclDeviceIndex(directory, deps.logger)
    const verifier = new ApiTokenVerifier(tokens, new AuthAttemptLimiter(deps.authAttemptsPerMinute, deps.sharedState), deps.pepper)
    this.admin = new ApiTokenAdmin({ tokens, directory, pepper: deps.pepper, changed: async keyid => await live.reload(keyid) })
    this.external = new AclExternalApi(verifier, directory)
    this.mqttAuthenticator = apiTokenAuthenticator({ verifier, live, index, isDevice: async uuid => await deps.bus.registry.get(uuid) !== undefined })
    this.stops.push(followDeletions({ events: deps.organizations.events, tokens, live, index, logger: deps.logger }))
    const onRegistered = (device: DeviceDocument): void => index.onRegistered(device)
    const onUnregistered = (device: DeviceDocument): void => index.forget(device.uuid)
    deps.bus.on('device.registered', onRegistered)
    deps.bus.on('device.unregistered', onUnregistered)
    this.stops.push(() => { deps.bus.off('device.registered', onRegistered); deps.bus.off('device.unregistered', onUnregistered) }, () => index.close())
  }

  /** Detaches from the bus and the organization events and stops pending lookups. */
  close (): void {
    for (const stop of this.stops.splice(0)) stop()
  }
}
