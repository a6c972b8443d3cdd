// The domains, built once at start from the store, the bus and the runner's ports: the vault (items,
// templates, connections, invitations and shares), organizations, and API-token ACLs. The intercoop runtime
// is opened before (intercoop-identity.ts). The runner and HTTP receive them from here; no domain imports
// the runner: organizations get its credentials and onboarding through their own ports (organization-deps.ts).
import type { DeviceBus } from '../bus/device-bus.js'
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { Store } from '../store/database.js'
import { generateRsaKeyPair } from '../crypto/key-pair-pool.js'
import type { IntercoopRuntime } from '../intercoop/intercoop-runtime.js'
import { VaultDomain } from '../vault/vault-domain.js'
import { OrganizationsDomain } from '../organizations/organizations-domain.js'
import type { AgentCredentials, AgentOnboarding } from '../organizations/organization-deps.js'
import { AclDomain } from '../acl/acl-domain.js'
import type { SharedState } from '../shared-state.js'

export interface Domains {
  vault: VaultDomain
  organizations: OrganizationsDomain
  intercoop: IntercoopRuntime
  acl: AclDomain
}

export interface DomainDeps {
  bus: DeviceBus
  store: Store
  config: Readonly<Config>
  logger: Logger
  serviceUuid: string
  pepper: Buffer
  /** Keyed ids of invitation tokens (ServiceSecrets.keyedId). */
  keyedId: (text: string) => string
  credentials: AgentCredentials
  onboarding: AgentOnboarding
  intercoop: IntercoopRuntime
  /** Cluster mode: where the API-token limiter counts (Redis); undefined: in memory. */
  sharedState?: SharedState
}

export function createDomains (deps: DomainDeps): Domains {
  const { bus, store, config, logger } = deps
  const vault = new VaultDomain({ store, tokenHash: token => deps.keyedId(`vault-invitation:${token}`), keyBits: config.vault.connectionKeyBits, keyPoolSize: config.vault.keyPoolSize, quotas: { maxItemsPerOwner: config.limits.vaultMaxItemsPerOwner, maxSlotsPerItem: config.limits.vaultMaxSlotsPerItem, maxTemplatesPerOwner: config.limits.vaultMaxTemplatesPerOwner } })
  const organizations = new OrganizationsDomain({ bus, store, config, credentials: deps.credentials, onboarding: deps.onboarding, serviceUuid: deps.serviceUuid, vault, keyPairs: { take: async () => await generateRsaKeyPair(config.vault.connectionKeyBits) } })
  const acl = new AclDomain({ store, bus, organizations, pepper: deps.pepper, authAttemptsPerMinute: config.limits.authAttemptsPerMinute, sharedState: deps.sharedState, logger })
  return { vault, organizations, intercoop: deps.intercoop, acl }
}
