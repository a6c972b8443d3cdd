// Items as replies carry them (schemas/Item.json, Slot.json): fields copied one by one, so nothing a
// domain object may grow (ciphertext, keys, owner ids) reaches the wire.
import type { ItemView, SlotView } from './item-views.js'
import type { SlotTypeName } from './slot-types.js'

export interface SlotReply {
  id: string
  name: string
  label: string
  slot_type_name: SlotTypeName
  ordinal: number
  value: string | null
  value_verified?: boolean
}

export interface ItemReply {
  id: string
  name: string
  label: string
  template_name: string
  own: boolean
  share_id: string | null
  created_at: string
  updated_at: string
  slots?: SlotReply[]
}

export function slotReply (slot: SlotView): SlotReply {
  const reply: SlotReply = {
    id: slot.id, name: slot.name, label: slot.label, slot_type_name: slot.slot_type_name as SlotTypeName, ordinal: slot.ordinal, value: slot.value,
  }
  if (slot.value_verified !== undefined) reply.value_verified = slot.value_verified
  return reply
}

export function itemReply (item: ItemView): ItemReply {
  const reply: ItemReply = {
    id: item.id, name: item.name, label: item.label, template_name: item.template_name, own: item.own,
    share_id: item.share_id, created_at: item.created_at, updated_at: item.updated_at,
  }
  if (item.slots !== undefined) reply.slots = item.slots.map(slotReply)
  return reply
}
