// Items and slots as the vault hands them to a job (schemas/Item.json, Slot.json): decrypted values, no ciphertext, no keys.
// Slots of a received item are verified against their owner's hash (meeco-vault §3, value verification).
import type { Item, Slot, SlotTypeName } from '../wire/schema-types.js'
import type { ItemFields, SlotFields } from './item-rows.js'
import { decryptSlotValue, hasSealedValue, openSlotValue, verifySlotValue } from './slot-crypto.js'

export function itemSummary (row: ItemFields): Item {
  return {
    id: row.id, name: row.name, label: row.label, template_name: row.template_name, own: row.own === 1,
    share_id: row.share_id, created_at: row.created_at, updated_at: row.updated_at,
  }
}

/** An item with its opened slots (the summary's fields, then `slots`). */
export function itemWithSlots (row: ItemFields, slots: Slot[]): Item {
  const view = itemSummary(row)
  view.slots = slots
  return view
}

function slotShape (slot: SlotFields, value: string | null): Slot {
  // The column holds only types the message schemas admitted (schemas/SlotTypeName.json): narrowed here, once.
  const slotTypeName = slot.slot_type_name as SlotTypeName
  return { id: slot.id, name: slot.name, label: slot.label, slot_type_name: slotTypeName, ordinal: slot.ordinal, value }
}

/** The owner's own slots, under the owner's DEK. */
export function openOwnSlots (key: Buffer, slots: SlotFields[]): Slot[] {
  // An owner reads only the value: its verification key is for recipients, so it is not decrypted here.
  return slots.map(slot => slotShape(slot, slot.encrypted_value === null ? null : decryptSlotValue(key, slot.encrypted_value)))
}

/** Slots of a received copy, under the share DEK; a value that fails verification throws a 422 naming the slot. */
export function openReceivedSlots (key: Buffer, slots: SlotFields[]): Slot[] {
  return slots.map(slot => {
    if (!hasSealedValue(slot)) return slotShape(slot, null)
    const open = openSlotValue(key, slot)
    const view = slotShape(slot, open.value)
    view.value_verified = verifySlotValue(slot.name, open, slot.value_verification_hash)
    return view
  })
}
