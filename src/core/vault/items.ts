// Items and slots (meeco-vault §3): create from a template, read decrypted, update (set, add, `_destroy`),
// remove a slot, delete. Every row is the owner's (owner_id = the vault owner); values are sealed with the
// owner's DEK plus a per-slot verification key and hash. A change to a shared item marks its shares outdated
// until the owner pushes them (Meeco's update_item_shares client task).
import { randomUUID } from 'node:crypto'
import type { Store } from '../store/database.js'
import type { VaultItemRow, VaultSlotRow } from '../store/tables/vault.js'
import type { VaultOwner } from './vault-keys.js'
import type { Templates } from './templates.js'
import { machineName } from './machine-name.js'
import { namedSlotInputs, type SlotInput } from './slot-input.js'
import { sealOwnSlotValue } from './slot-crypto.js'
import { deleteItems, findItem, findItemWithSlots, insertItem, newSlotRow, slotsOf, type Db } from './item-rows.js'
import type { Item } from '../wire/schema-types.js'
import { itemWithSlots, openOwnSlots, openReceivedSlots } from './item-views.js'
import { VaultErrors } from './vault-errors.js'
import { findIncomingShare, readableShareKey } from './shares/share-access.js'
import { liveSharesOfItem, removeShares } from './shares/share-removal.js'
import type { VaultEvents } from './vault-events.js'
import { withFields } from '../with-fields.js'
import { assertItemQuota, assertSlotQuota, type VaultQuotas } from './vault-quota.js'

export interface CreateItemInput { template_name: string, label: string, slots?: SlotInput[] }
export interface UpdateItemInput { item_id: string, label?: string, slots?: SlotInput[] }
export interface ItemChange { item: Item, outstandingShareUpdates: number }

const EMPTY_VALUE = { encrypted_value: null, encrypted_value_verification_key: null, value_verification_hash: null }

function sealed (key: Buffer, value: string | null): Pick<VaultSlotRow, 'encrypted_value' | 'encrypted_value_verification_key' | 'value_verification_hash'> {
  return value === null ? EMPTY_VALUE : sealOwnSlotValue(key, value)
}

export class Items {
  constructor (private readonly store: Store, private readonly templates: Templates, private readonly events: VaultEvents, private readonly quotas: VaultQuotas) {}

  /** Clones the template's slots, fills them by name; names the template lacks become extra slots. */
  async create (owner: VaultOwner, input: CreateItemInput): Promise<Item> {
    const template = await this.templates.find(owner.id, input.template_name)
    const inputs = namedSlotInputs(input.slots ?? [])
    await assertItemQuota(this.store, owner.id, this.quotas)
    const key = await owner.keys.dataKey()
    const now = new Date().toISOString()
    const item: VaultItemRow = {
      id: randomUUID(), owner_id: owner.id, template_name: template.name, name: machineName(input.label, template.name), label: input.label,
      own: 1, share_id: null, original_id: null, shares_outdated: 0, created_at: now, updated_at: now,
    }
    const given = new Map(inputs.map(entry => [entry.name, entry]))
    const slots: VaultSlotRow[] = template.slots.map((slot, ordinal) => {
      const entry = given.get(slot.name)
      given.delete(slot.name)
      return newSlotRow({ item_id: item.id, owner_id: owner.id, name: slot.name, label: entry?.input.label ?? slot.label, slot_type_name: slot.slot_type_name, ordinal, ...sealed(key, entry?.value ?? null) }, now)
    })
    for (const entry of given.values()) {
      slots.push(newSlotRow({
        item_id: item.id, owner_id: owner.id, name: entry.name, label: entry.input.label ?? entry.name,
        slot_type_name: entry.input.slot_type_name ?? 'key_value', ordinal: slots.length, ...sealed(key, entry.value ?? null),
      }, now))
    }
    assertSlotQuota(slots.length, this.quotas)
    await this.store.transaction().execute(async trx => { await insertItem(trx, item, slots) })
    return itemWithSlots(item, openOwnSlots(key, slots))
  }

  /** One item, decrypted: own items with the DEK, received copies with their share's DEK (verified). */
  async get (owner: VaultOwner, itemId: string): Promise<Item> {
    const { item, slots } = await findItemWithSlots(this.store, owner.id, itemId)
    if (item.own === 1) return itemWithSlots(item, openOwnSlots(await owner.keys.dataKey(), slots))
    const share = await findIncomingShare(this.store, owner.id, item.share_id as string)
    return itemWithSlots(item, openReceivedSlots(readableShareKey(owner, share), slots))
  }

  async update (owner: VaultOwner, input: UpdateItemInput): Promise<ItemChange> {
    const item = await this.ownItem(this.store, owner.id, input.item_id)
    const inputs = namedSlotInputs(input.slots ?? [])
    const key = await owner.keys.dataKey()
    const now = new Date().toISOString()
    return await this.store.transaction().execute(async trx => {
      const slots = await slotsOf(trx, item.id)
      const byName = new Map(slots.map(slot => [slot.name, slot]))
      let ordinal = slots.reduce((max, slot) => Math.max(max, slot.ordinal + 1), 0)
      for (const { name, input: slot, value } of inputs) {
        const existing = byName.get(name)
        if (slot._destroy === true) {
          if (existing === undefined) throw VaultErrors.namedSlotNotFound(name)
          await trx.deleteFrom('vault_slots').where('id', '=', existing.id).execute()
        } else if (existing !== undefined) {
          await trx.updateTable('vault_slots').where('id', '=', existing.id).set({
            ...(value === undefined ? {} : sealed(key, value)), label: slot.label ?? existing.label, slot_type_name: slot.slot_type_name ?? existing.slot_type_name, updated_at: now,
          }).execute()
        } else {
          await trx.insertInto('vault_slots').values(newSlotRow({
            item_id: item.id, owner_id: owner.id, name, label: slot.label ?? name, slot_type_name: slot.slot_type_name ?? 'key_value', ordinal: ordinal++, ...sealed(key, value ?? null),
          }, now)).execute()
        }
      }
      assertSlotQuota(Number((await trx.selectFrom('vault_slots').select(eb => eb.fn.countAll<number | string>().as('count')).where('item_id', '=', item.id).executeTakeFirst())?.count ?? 0), this.quotas)
      const outstanding = await this.markChanged(trx, item, { label: input.label ?? item.label, updated_at: now })
      const changed = withFields(item, { label: input.label ?? item.label, updated_at: now })
      return { item: itemWithSlots(changed, openOwnSlots(key, await slotsOf(trx, item.id))), outstandingShareUpdates: outstanding }
    })
  }

  async removeSlot (owner: VaultOwner, slotId: string): Promise<{ itemId: string, outstandingShareUpdates: number }> {
    const slot = await this.store.selectFrom('vault_slots').selectAll().where('id', '=', slotId).where('owner_id', '=', owner.id).executeTakeFirst()
    if (slot === undefined) throw VaultErrors.slotNotFound()
    const item = await this.ownItem(this.store, owner.id, slot.item_id)
    return await this.store.transaction().execute(async trx => {
      await trx.deleteFrom('vault_slots').where('id', '=', slot.id).execute()
      const outstanding = await this.markChanged(trx, item, { updated_at: new Date().toISOString() })
      return { itemId: item.id, outstandingShareUpdates: outstanding }
    })
  }

  /** An own item goes with all its shares and copies; a received copy goes with its share. */
  /** `announce: false` when the caller announces the deletion itself (an organization clearing its agent's vault). */
  async delete (owner: VaultOwner, itemId: string, { announce = true }: { announce?: boolean } = {}): Promise<void> {
    const item = await findItem(this.store, owner.id, itemId)
    await this.store.transaction().execute(async trx => {
      const shares = item.own === 1
        ? await trx.selectFrom('vault_shares').selectAll().where('item_id', '=', item.id).execute()
        : await trx.selectFrom('vault_shares').selectAll().where('id', '=', item.share_id as string).where('recipient_id', '=', owner.id).execute()
      await removeShares(trx, shares)
      await deleteItems(trx, [item.id])
    })
    if (announce) this.events.emit('item.deleted', { ownerId: owner.id, itemId: item.id, own: item.own === 1 })
  }

  private async ownItem (db: Db, ownerId: string, itemId: string): Promise<VaultItemRow> {
    const item = await findItem(db, ownerId, itemId)
    if (item.own !== 1) throw VaultErrors.receivedItemReadOnly()
    return item
  }

  /** Saves the item's change; with live shares, marks them outdated and returns how many wait for a push. */
  private async markChanged (db: Db, item: VaultItemRow, change: Partial<VaultItemRow>): Promise<number> {
    const shares = await liveSharesOfItem(db, item.id)
    const outdated = shares.length > 0 ? 1 : item.shares_outdated
    await db.updateTable('vault_items').where('id', '=', item.id).set({ ...change, shares_outdated: outdated }).execute()
    return outdated === 1 ? shares.length : 0
  }
}
