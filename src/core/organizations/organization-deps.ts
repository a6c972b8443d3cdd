// What the organizations domain is built from (assembled once in endo-service.ts).
import type { DeviceBus } from '../bus/device-bus.js'
import type { Config } from '../config.js'
import type { RsaKeyPairPem } from '../crypto/key-pair-pool.js'
import type { CredentialsStore } from '../endo/credentials-store.js'
import type { Onboarding } from '../endo/onboarding.js'
import type { Store } from '../store/database.js'
import type { VaultDomain } from '../vault/vault-domain.js'
import type { OrganizationEvents } from './organization-events.js'

export interface OrganizationDeps {
  store: Store
  bus: DeviceBus
  config: Readonly<Config>
  /** Opens and saves agents' envelopes (the same store as people's credentials). */
  credentials: CredentialsStore
  /** Creates agents' credentials and user devices the way a person's are created. */
  onboarding: Onboarding
  serviceUuid: string
  /** A fresh RSA key pair for an agent, generated off the event loop (key-pair-pool.ts; config.vault.connectionKeyBits). */
  keyPairs: { take: () => Promise<RsaKeyPairPem> }
  /** Invitations, connections and items of agents. */
  vault: Pick<VaultDomain, 'invitations' | 'connections' | 'items' | 'events'>
  events: OrganizationEvents
}

export const nowIso = (): string => new Date().toISOString()
