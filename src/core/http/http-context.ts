// What HTTP route modules need from the running service.
import type { DeviceBus } from '../bus/device-bus.js'
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { ServiceIdentity } from '../service/service-identity.js'
import type { EndoService } from '../endo/endo-service.js'
import type { IntercoopRuntime } from '../intercoop/intercoop-runtime.js'

export interface HttpContext {
  bus: DeviceBus
  config: Readonly<Config>
  identity: ServiceIdentity
  /** The service's public key, PEM (GET /publickey). */
  publicKeyPem: string
  logger: Logger
  endo: EndoService
  /** The intercoop entity; its target API is mounted at /intercoop. */
  intercoop: IntercoopRuntime
}
