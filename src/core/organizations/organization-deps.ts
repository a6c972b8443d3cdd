// What the organizations domain is built from (assembled once in service/domains.ts).
import type { DeviceBus } from '../bus/device-bus.js'
import type { Config } from '../config.js'
import type { RsaKeyPairPem } from '../crypto/key-pair-pool.js'
import type { CredentialsBlob, JobCredentials } from '../job-context.js'
import type { Store } from '../store/database.js'
import type { VaultDomain } from '../vault/vault-domain.js'
import type { OrganizationEvents } from './organization-events.js'

/**
 * The port to credentials envelopes that agents need: the runner's CredentialsStore implements it (wired in
 * service/), so this domain does not import the runner.
 */
export interface AgentCredentials {
  openForJob: (credentialsUuid: string) => Promise<JobCredentials>
  update: (credentialsUuid: string, change: (blob: CredentialsBlob) => CredentialsBlob | void) => Promise<CredentialsBlob>
}

/** The port that sets an agent up the way a person is onboarded: the runner's Onboarding implements it. */
export interface AgentOnboarding {
  upsertCredentialsDevice: (account: { provider: string, accountId: string, username?: string, profile?: Record<string, unknown> }) => Promise<{ credentialsUuid: string }>
  createUserDevice: (credentialsUuid: string, options: { authorizedUuid?: string, name?: string }) => Promise<{ uuid: string }>
  /** The status device the service made for a user device. */
  statusDeviceOf: (userUuid: string) => Promise<string | undefined>
}

export interface OrganizationDeps {
  store: Store
  bus: DeviceBus
  config: Readonly<Config>
  /** Opens and saves agents' envelopes (the same store as people's credentials). */
  credentials: AgentCredentials
  /** Creates agents' credentials and user devices the way a person's are created. */
  onboarding: AgentOnboarding
  serviceUuid: string
  /** A fresh RSA key pair for an agent, generated off the event loop (key-pair-pool.ts; config.vault.connectionKeyBits). */
  keyPairs: { take: () => Promise<RsaKeyPairPem> }
  /** Invitations, connections and items of agents. */
  vault: Pick<VaultDomain, 'invitations' | 'connections' | 'items' | 'events'>
  events: OrganizationEvents
}

export const nowIso = (): string => new Date().toISOString()
