// The Endo side of the service, assembled once: service key, credentials store, job catalog,
// onboarding, the domains (domains.ts) and the job runner listening on the service device.
import type { DeviceBus } from '../bus/device-bus.js'
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { Store } from '../store/database.js'
import { ServiceKeyring } from '../crypto/service-keyring.js'
import type { ServiceIdentity } from './service-identity.js'
import { CredentialsStore } from '../endo/credentials-store.js'
import { JobCatalog } from '../endo/job-catalog.js'
import { JobRunner } from '../endo/job-runner.js'
import { Onboarding } from '../endo/onboarding.js'
import { ServiceSecrets } from '../endo/service-secrets.js'
import type { JobServices } from '../endo/job-services.js'
import type { IntercoopRuntime } from '../intercoop/intercoop-runtime.js'
import { oauthProviderOf, type OAuthProvider } from '../endo/oauth/oauth-provider.js'
import { TokenRefresher } from '../endo/oauth/token-refresher.js'
import { createDomains } from './domains.js'
import type { SharedState } from '../shared-state.js'

export interface EndoService {
  keyring: ServiceKeyring
  secrets: ServiceSecrets
  credentials: CredentialsStore
  catalog: JobCatalog
  onboarding: Onboarding
  runner: JobRunner
  /** What jobs get: the domains and the bus, store, config and logger. */
  services: JobServices
  /** The configured OAuth2 provider (onboarding and token refresh); undefined when onboarding is off. */
  oauthProvider?: OAuthProvider
  tokenRefresher?: TokenRefresher
}

export async function createEndoService (deps: { bus: DeviceBus, store: Store, config: Readonly<Config>, logger: Logger, identity: ServiceIdentity, intercoop: IntercoopRuntime, jobsDir?: string, sharedState?: SharedState }): Promise<EndoService> {
  const { bus, store, config, logger, identity } = deps
  const keyring = new ServiceKeyring(identity.privateKeyPem, { older: identity.previousPrivateKeyPems, dataKeyCacheSize: config.credentialsCacheSize })
  const secrets = new ServiceSecrets(identity.pepper)
  const credentials = new CredentialsStore(bus, keyring, secrets, identity.uuid)
  const catalog = await JobCatalog.load(deps.jobsDir)
  const onboarding = new Onboarding(bus, credentials, secrets, identity.uuid, store)
  const domains = createDomains({ bus, store, config, logger, serviceUuid: identity.uuid, pepper: identity.pepper, keyedId: text => secrets.keyedId(text), credentials, onboarding, intercoop: deps.intercoop, sharedState: deps.sharedState })
  const services: JobServices = { bus, store, config, logger, serviceUuid: identity.uuid, ...domains }
  const oauthProvider = oauthProviderOf(config)
  const tokenRefresher = oauthProvider === undefined ? undefined : new TokenRefresher(oauthProvider, credentials, logger)
  const runner = new JobRunner(bus, { catalog, credentials, services, logger, serviceUuid: identity.uuid, tokenRefresher })
  runner.start()
  return { keyring, secrets, credentials, catalog, onboarding, runner, services, oauthProvider, tokenRefresher }
}
