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

export interface EndoService {
  keyring: ServiceKeyring
  secrets: ServiceSecrets
  credentials: CredentialsStore
  catalog: JobCatalog
  onboarding: Onboarding
  runner: JobRunner
  services: JobServices
}

export async function createEndoService (deps: { bus: DeviceBus, store: Store, config: Readonly<Config>, logger: Logger, identity: ServiceIdentity, jobsDir?: string }): Promise<EndoService> {
  const { bus, store, config, logger, identity } = deps
  const keyring = new ServiceKeyring(identity.privateKeyPem, { older: identity.previousPrivateKeyPems, dataKeyCacheSize: config.credentialsCacheSize })
  const secrets = new ServiceSecrets(identity.pepper)
  const credentials = new CredentialsStore(bus, keyring, secrets, identity.uuid)
  const catalog = await JobCatalog.load(deps.jobsDir)
  const onboarding = new Onboarding(bus, credentials, secrets, identity.uuid)
  const services: JobServices = { bus, store, config, logger, serviceUuid: identity.uuid }
  const runner = new JobRunner(bus, { catalog, credentials, services, logger, serviceUuid: identity.uuid })
  runner.start()
  return { keyring, secrets, credentials, catalog, onboarding, runner, services }
}
