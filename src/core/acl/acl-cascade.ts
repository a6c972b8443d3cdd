// Deleting an organization, node or item removes it from every ACL that names it (intercoop-auroral B6:
// AURORAL left dangling entries). A deleted organization takes its tokens with it. Driven by the
// organizations domain's events, which include its agents' vault items deleted with DeleteItem.
import type { Logger } from '../log.js'
import type { OrganizationEvents } from '../organizations/organization-events.js'
import type { AclDeviceIndex } from './acl-device-index.js'
import type { ApiTokenStore } from './api-token-store.js'
import type { LiveApiTokens } from './live-api-tokens.js'

export function followDeletions (deps: { events: OrganizationEvents, tokens: ApiTokenStore, live: LiveApiTokens, index: AclDeviceIndex, logger: Logger }): () => void {
  const { events, tokens, live, index, logger } = deps
  const settle = (what: string, work: () => Promise<string[]>): void => {
    work().then(
      async keyids => { for (const keyid of keyids) await live.reload(keyid) },
      error => logger.error({ err: error, what }, 'acl cascade failed')
    ).catch(error => logger.error({ err: error, what }, 'acl cascade reload failed'))
  }
  const onOrganization = ({ organizationId }: { organizationId: string }): void => {
    index.forgetOrganization(organizationId)
    settle('organization', async () => [...await tokens.removeOrganization(organizationId), ...await tokens.removeTarget('cid', organizationId)])
  }
  const onNode = ({ nodeUuid }: { nodeUuid: string }): void => {
    index.forget(nodeUuid)
    settle('node', async () => await tokens.removeTarget('agid', nodeUuid))
  }
  const onItem = ({ itemId }: { itemId: string }): void => {
    index.forget(itemId)
    settle('item', async () => await tokens.removeTarget('oid', itemId))
  }
  events.on('organization.deleted', onOrganization)
  events.on('node.deleted', onNode)
  events.on('item.deleted', onItem)
  return () => {
    events.off('organization.deleted', onOrganization)
    events.off('node.deleted', onNode)
    events.off('item.deleted', onItem)
  }
}
