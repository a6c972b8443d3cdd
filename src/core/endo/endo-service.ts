// The Endo side of the service, assembled once: service key, credentials store, job catalog,
// onboarding and the job runner listening on the service device.
import type { DeviceBus } from '../bus/device-bus.js'
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { Store } from '../store/database.js'
import { ServiceKeyring } from '../crypto/service-keyring.js'
import type { ServiceIdentity } from '../service/service-identity.js'
import { CredentialsStore } from './credentials-store.js'
import { JobCatalog } from './job-catalog.js'
import { JobRunner } from './job-runner.js'
import { Onboarding } from './onboarding.js'
import { ServiceSecrets } from './service-secrets.js'
import type { JobServices } from './job-services.js'
import type { IntercoopRuntime } from '../intercoop/intercoop-runtime.js'
import { VaultDomain } from '../vault/vault-domain.js'
import { OrganizationsDomain } from '../organizations/organizations-domain.js'
import { generateRsaKeyPair } from '../crypto/key-pair-pool.js'
import { oauthProviderOf, type OAuthProvider } from './oauth/oauth-provider.js'
import { TokenRefresher } from './oauth/token-refresher.js'
import { AclDomain } from '../acl/acl-domain.js'

export interface EndoService {
  keyring: ServiceKeyring
  secrets: ServiceSecrets
  credentials: CredentialsStore
  catalog: JobCatalog
  onboarding: Onboarding
  runner: JobRunner
  services: JobServices
  /** The configured OAuth2 provider (onboarding and token refresh); undefined when onboarding is off. */
  oauthProvider?: OAuthProvider
  tokenRefresher?: TokenRefresher
}

export async function createEndoService (deps: { bus: DeviceBus, store: Store, config: Readonly<Config>, logger: Logger, identity: ServiceIdentity, intercoop: IntercoopRuntime, jobsDir?: string }): Promise<EndoService> {
  const { bus, store, config, logger, identity } = deps
  const keyring = new ServiceKeyring(identity.privateKeyPem, { older: identity.previousPrivateKeyPems, dataKeyCacheSize: config.credentialsCacheSize })
  const secrets = new ServiceSecrets(identity.pepper)
  const credentials = new CredentialsStore(bus, keyring, secrets, identity.uuid)
  const catalog = await JobCatalog.load(deps.jobsDir)
  const onboarding = new Onboarding(bus, credentials, secrets, identity.uuid, store)
  const vault = new VaultDomain({ store, tokenHash: token => secrets.keyedId(`vault-invitation:${token}`), keyBits: config.vault.connectionKeyBits, keyPoolSize: config.vault.keyPoolSize, quotas: { maxItemsPerOwner: config.limits.vaultMaxItemsPerOwner, maxSlotsPerItem: config.limits.vaultMaxSlotsPerItem, maxTemplatesPerOwner: config.limits.vaultMaxTemplatesPerOwner } })
  const organizations = new OrganizationsDomain({ bus, store, config, credentials, onboarding, serviceUuid: identity.uuid, vault, keyPairs: { take: async () => await generateRsaKeyPair(config.vault.connectionKeyBits) } })
  const acl = new AclDomain({ store, bus, organizations, pepper: identity.pepper, authAttemptsPerMinute: config.limits.authAttemptsPerMinute, logger })
  const services: JobServices = { bus, store, config, logger, serviceUuid: identity.uuid, organizations, vault, intercoop: deps.intercoop, acl }
  const oauthProvider = oauthProviderOf(config)
  const tokenRefresher = oauthProvider === undefined ? undefined : new TokenRefresher(oauthProvider, credentials, logger)
  const runner = new JobRunner(bus, { catalog, credentials, services, logger, serviceUuid: identity.uuid, tokenRefresher })
  runner.start()
  return { keyring, secrets, credentials, catalog, onboarding, runner, services, oauthProvider, tokenRefresher }
}
