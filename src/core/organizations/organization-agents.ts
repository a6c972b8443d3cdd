// Agents: the non-human vault users an organization and each of its services act as (meeco-vault §6).
// An agent is set up like a person: a credentials device whose service-key envelope holds the agent's
// RSA key pair (and, once used, its vault keys), and a user device that routes jobs to it. Nobody gets
// the user device's token: owners "log in" by having their flow device admitted to its message.from list,
// after which every vault job sent there runs as the agent. The private key never leaves the envelope.
// Removing an agent (its service or organization is deleted) clears its vault first.
import { Gone } from '../errors.js'
import type { JobCredentials } from '../job-context.js'
import { credentialsVaultKeys, type VaultOwner } from '../vault/vault-keys.js'
import type { OrganizationDeps } from './organization-deps.js'

export type AgentKind = 'organization_agent' | 'service_agent'

export interface AgentSubject {
  kind: AgentKind
  organizationId: string
  serviceId?: string
  name: string
}

export interface Agent {
  /** The agent's credentials device (its identity in the vault). */
  agentUuid: string
  /** The agent's user device. */
  agentDeviceUuid: string
  publicKeyPem: string
}

/** The provider name agents' credentials devices carry (people's carry their OAuth provider). */
export const AGENT_PROVIDER = 'endo-vault:agent'

export class OrganizationAgents {
  constructor (private readonly deps: OrganizationDeps) {}

  async create (subject: AgentSubject): Promise<Agent> {
    const { onboarding, credentials, serviceUuid } = this.deps
    const keyPair = await this.deps.keyPairs.take()
    const identity = { user_type: subject.kind, organization_id: subject.organizationId, service_id: subject.serviceId ?? null }
    const { credentialsUuid } = await onboarding.upsertCredentialsDevice({
      provider: AGENT_PROVIDER,
      accountId: `${subject.kind}:${subject.serviceId ?? subject.organizationId}`,
      username: subject.name,
      profile: identity,
    })
    // Only the private key is a secret; the public key sits beside it (it is in replies and the store).
    await credentials.update(credentialsUuid, blob => ({
      ...blob,
      agent: { ...identity, public_key: keyPair.publicKeyPem },
      secrets: { ...blob.secrets, agentPrivateKey: keyPair.privateKeyPem },
    }))
    const device = await onboarding.createUserDevice(credentialsUuid, { authorizedUuid: serviceUuid, name: `${subject.name} (${subject.kind.replace('_', ' ')})` })
    return { agentUuid: credentialsUuid, agentDeviceUuid: device.uuid, publicKeyPem: keyPair.publicKeyPem }
  }

  /** The agent's credentials as a job's would be, for calling vault domain functions as the agent. */
  async credentialsOf (agentUuid: string): Promise<JobCredentials> {
    return await this.deps.credentials.openForJob(agentUuid)
  }

  /** The agent as a vault owner: vault rows keyed by its credentials device, keys from its envelope. */
  async vaultOwnerOf (agentUuid: string): Promise<VaultOwner> {
    return { id: agentUuid, keys: credentialsVaultKeys(await this.credentialsOf(agentUuid)) }
  }

  /** Lets a flow device send jobs to the agent's user device. */
  async admitFlow (agentDeviceUuid: string, flowUuid: string): Promise<void> {
    await this.deps.bus.update({ uuid: this.deps.serviceUuid }, agentDeviceUuid, { $addToSet: { 'meshblu.whitelists.message.from': { uuid: flowUuid } } })
  }

  async dismissFlow (agentDeviceUuid: string, flowUuid: string): Promise<void> {
    if (await this.deps.bus.registry.get(agentDeviceUuid) === undefined) return
    await this.deps.bus.update({ uuid: this.deps.serviceUuid }, agentDeviceUuid, { $pull: { 'meshblu.whitelists.message.from': { uuid: flowUuid } } })
  }

  /**
   * Removes an agent: ends its connections (with every share over them), cancels its open invitations,
   * deletes its vault items, then unregisters its user, status and credentials devices.
   */
  async remove (agent: { agentUuid: string | null, agentDeviceUuid: string | null }, organizationId: string): Promise<void> {
    const { bus, serviceUuid } = this.deps
    if (agent.agentUuid !== null && await bus.registry.get(agent.agentUuid) !== undefined) await this.clearVault(agent.agentUuid, organizationId)
    // the status device the service made, not the one the device's own (changeable) field names
    const statusUuid = agent.agentDeviceUuid === null ? undefined : await this.deps.onboarding.statusDeviceOf(agent.agentDeviceUuid)
    for (const uuid of [statusUuid ?? null, agent.agentDeviceUuid, agent.agentUuid]) {
      if (uuid !== null && await bus.registry.get(uuid) !== undefined) await bus.unregister({ uuid: serviceUuid }, uuid)
    }
  }

  private async clearVault (agentUuid: string, organizationId: string): Promise<void> {
    const { store, vault, events } = this.deps
    const owner = await this.vaultOwnerOf(agentUuid)
    const open = await store.selectFrom('vault_invitations').select('id').where('owner_id', '=', agentUuid).where('state', '=', 'new').execute()
    for (const { id } of open) {
      try { await vault.invitations.cancel(owner, id) } catch (error) { if (!(error instanceof Gone)) throw error }
    }
    const connections = await store.selectFrom('vault_connections').select('id').where('owner_id', '=', agentUuid).execute()
    for (const { id } of connections) await vault.connections.delete(owner, id)
    const items = await store.selectFrom('vault_items').select(['id', 'own']).where('owner_id', '=', agentUuid).execute()
    for (const item of items) {
      await vault.items.delete(owner, item.id, { announce: false })
      if (item.own === 1) events.emit('item.deleted', { organizationId, itemId: item.id })
    }
  }
}
