// Items as replies carry them (schemas/Item.json, Slot.json): fields copied one by one, so nothing a
// domain object may grow (ciphertext, keys, owner ids) reaches the wire.
import type { Item, Slot } from '../wire/schema-types.js'

export function slotReply (slot: Slot): Slot {
  const reply: Slot = {
    id: slot.id, name: slot.name, label: slot.label, slot_type_name: slot.slot_type_name, ordinal: slot.ordinal, value: slot.value,
  }
  if (slot.value_verified !== undefined) reply.value_verified = slot.value_verified
  return reply
}

export function itemReply (item: Item): Item {
  const reply: Item = {
    id: item.id, name: item.name, label: item.label, template_name: item.template_name, own: item.own,
    share_id: item.share_id, created_at: item.created_at, updated_at: item.updated_at,
  }
  if (item.slots !== undefined) reply.slots = item.slots.map(slotReply)
  return reply
}
