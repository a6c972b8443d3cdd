// What a job's context.services holds: the bus, store and config, and the domains built once at start
// (service/domains.ts). The runner imports the domains; no domain imports the runner. Each domain adds its entry here.
import type { DeviceBus } from '../bus/device-bus.js'
import type { Config } from '../config.js'
import type { Store } from '../store/database.js'
import type { Logger } from '../log.js'
import type { OrganizationsDomain } from '../organizations/organizations-domain.js'
import type { VaultDomain } from '../vault/vault-domain.js'
import type { IntercoopRuntime } from '../intercoop/intercoop-runtime.js'
import type { AclDomain } from '../acl/acl-domain.js'

export interface JobServices {
  bus: DeviceBus
  store: Store
  config: Readonly<Config>
  logger: Logger
  serviceUuid: string
  organizations: OrganizationsDomain
  /** Items, templates, connections and shares (meeco-vault §3–§5). */
  vault: VaultDomain
  /** This instance as an intercoop entity: `intercoop.source()` gives the consent flow's deps (reference intercoop-auroral §A). */
  intercoop: IntercoopRuntime
  /** API tokens mapped to organization, node and item permissions (intercoop-auroral §B). */
  acl: AclDomain
}
