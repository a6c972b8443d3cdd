// What HTTP route modules need from the running service: the runner's catalog, onboarding and credentials,
// and the domains they expose (API-token ACLs, the intercoop entity). Built in service/start-service.ts.
import type { DeviceBus } from '../bus/device-bus.js'
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { JobCatalog } from '../endo/job-catalog.js'
import type { Onboarding } from '../endo/onboarding.js'
import type { CredentialsStore } from '../endo/credentials-store.js'
import type { OAuthProvider } from '../endo/oauth/oauth-provider.js'
import type { AclDomain } from '../acl/acl-domain.js'
import type { IntercoopRuntime } from '../intercoop/intercoop-runtime.js'
import type { SharedState } from '../shared-state.js'

export interface HttpContext {
  bus: DeviceBus
  config: Readonly<Config>
  /** The service's public key, PEM (GET /publickey). */
  publicKeyPem: string
  logger: Logger
  /** The jobs' merged schemas (schema routes). */
  catalog: JobCatalog
  /** Credentials and user devices of people (onboarding routes). */
  onboarding: Onboarding
  credentials: CredentialsStore
  /** The configured OAuth2 provider; undefined when onboarding is off. */
  oauthProvider?: OAuthProvider
  /** API tokens (/api/external/v1). */
  acl: AclDomain
  /** The intercoop entity; its target API is mounted at /intercoop. */
  intercoop: IntercoopRuntime
  /** What every instance shares in cluster mode (registration windows, OAuth state); undefined: each route keeps its own in memory. */
  sharedState?: SharedState
}
