// The organizations domain as jobs see it (services.organizations): organizations, their agents,
// members, services, nodes and the read-only directory for other domains. Built once at start.
import type { OrganizationDeps } from './organization-deps.js'
import { OrganizationAgentLogins } from './organization-agent-logins.js'
import { OrganizationAgents } from './organization-agents.js'
import { OrganizationDirectory } from './organization-directory.js'
import { OrganizationEvents } from './organization-events.js'
import { OrganizationInvitations } from './organization-invitations.js'
import { OrganizationLifecycle } from './organization-lifecycle.js'
import { OrganizationMembers } from './organization-members.js'
import { OrganizationNodes } from './organization-nodes.js'
import { OrganizationServices } from './organization-services.js'

export class OrganizationsDomain {
  readonly events = new OrganizationEvents()
  readonly agents: OrganizationAgents
  readonly logins: OrganizationAgentLogins
  readonly organizations: OrganizationLifecycle
  readonly invitations: OrganizationInvitations
  readonly members: OrganizationMembers
  readonly services: OrganizationServices
  readonly nodes: OrganizationNodes
  readonly directory: OrganizationDirectory

  constructor (deps: Omit<OrganizationDeps, 'events'>) {
    const full: OrganizationDeps = { ...deps, events: this.events }
    this.agents = new OrganizationAgents(full)
    this.logins = new OrganizationAgentLogins(full, this.agents)
    this.nodes = new OrganizationNodes(full)
    this.organizations = new OrganizationLifecycle(full, this.agents, this.nodes)
    this.invitations = new OrganizationInvitations(full, this.agents)
    this.members = new OrganizationMembers(full, this.logins, this.invitations)
    this.services = new OrganizationServices(full, this.agents, this.logins)
    this.directory = new OrganizationDirectory(full)
    // An agent's own vault item is an ACL target like a node item: DeleteItem run by the agent is announced
    // here. A failed lookup leaves the ACL entry, which evaluation denies anyway (the item no longer resolves).
    deps.vault.events.on('item.deleted', ({ ownerId, itemId, own }) => {
      if (!own) return
      this.directory.organizationOfAgent(ownerId).then(organizationId => {
        if (organizationId !== undefined) this.events.emit('item.deleted', { organizationId, itemId })
      }, () => {})
    })
  }
}
