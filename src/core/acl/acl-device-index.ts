// The nodes and node item devices an MQTT API-token session may receive broadcasts from, in memory,
// because the broker's subscribe and forward checks are synchronous (no I/O per packet). Loaded per
// organization from the organizations directory when a token of it logs in; a device registered later
// is confirmed against the directory once its row exists (device documents are editable, so their
// `organization`/`node` fields are never trusted); deleted nodes, items and organizations are dropped.
import type { DeviceDocument } from '../bus/device.js'
import type { OrganizationDirectory } from '../organizations/organization-directory.js'
import { NODE_DEVICE_TYPE, NODE_ITEM_DEVICE_TYPE } from '../organizations/organization-nodes.js'
import type { Logger } from '../log.js'
import type { AclTarget } from './acl-decision.js'

/** The organization row is written right after the device is registered: look again after these delays (ms). */
const CONFIRM_DELAYS = [0, 25, 100, 400, 1600, 5000]

type Directory = Pick<OrganizationDirectory, 'nodeOf' | 'itemOf' | 'nodesOf' | 'itemsOf'>

export class AclDeviceIndex {
  private readonly targets = new Map<string, AclTarget>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private closed = false

  constructor (private readonly directory: Directory, private readonly logger: Logger) {}

  targetOf (uuid: string): AclTarget | undefined {
    return this.targets.get(uuid)
  }

  async loadOrganization (organizationId: string): Promise<void> {
    const [nodes, items] = await Promise.all([this.directory.nodesOf(organizationId), this.directory.itemsOf(organizationId)])
    this.forgetOrganization(organizationId)
    for (const node of nodes) this.targets.set(node.uuid, { id: node.uuid, kind: 'node', organizationId, nodeUuid: node.uuid })
    for (const item of items) {
      if (item.kind === 'device') this.targets.set(item.id, { id: item.id, kind: 'device-item', organizationId, nodeUuid: item.nodeUuid })
    }
  }

  /** bus `device.registered`: a node or node item device becomes known once the directory has it. */
  onRegistered (device: DeviceDocument): void {
    if (device.type !== NODE_DEVICE_TYPE && device.type !== NODE_ITEM_DEVICE_TYPE) return
    this.confirm(device.uuid, 0)
  }

  forget (uuid: string): void {
    this.targets.delete(uuid)
  }

  forgetOrganization (organizationId: string): void {
    for (const [uuid, target] of this.targets) if (target.organizationId === organizationId) this.targets.delete(uuid)
  }

  close (): void {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }

  private confirm (uuid: string, attempt: number): void {
    if (this.closed || attempt >= CONFIRM_DELAYS.length) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.lookUp(uuid).then(
        found => { if (!found) this.confirm(uuid, attempt + 1) },
        error => this.logger.error({ err: error, uuid }, 'acl device index lookup failed')
      )
    }, CONFIRM_DELAYS[attempt])
    timer.unref()
    this.timers.add(timer)
  }

  private async lookUp (uuid: string): Promise<boolean> {
    const node = await this.directory.nodeOf(uuid)
    if (this.closed) return true
    if (node !== undefined) { this.targets.set(uuid, { id: uuid, kind: 'node', organizationId: node.organizationId, nodeUuid: uuid }); return true }
    const item = await this.directory.itemOf(uuid)
    if (this.closed) return true
    if (item?.kind !== 'device') return false
    this.targets.set(uuid, { id: uuid, kind: 'device-item', organizationId: item.organizationId, nodeUuid: item.nodeUuid })
    return true
  }
}
