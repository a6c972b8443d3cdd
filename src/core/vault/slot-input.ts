// Slots as a message gives them: by name (or a label the name is made from), with a value that must be a
// string or null. Values are checked here, not in the schema, so the 422 names the slot rather than an index.
import { machineName } from './machine-name.js'
import { VaultErrors } from './vault-errors.js'

export interface SlotInput {
  name?: string
  label?: string
  slot_type_name?: string
  value?: unknown
  _destroy?: boolean
}

export function slotNameOf (input: SlotInput, index: number): string {
  return input.name ?? machineName(input.label ?? '', `slot_${index + 1}`)
}

/** string → the value; null → an empty slot; undefined → not given; anything else → 422 naming the slot. */
export function slotValueOf (input: SlotInput, name: string): string | null | undefined {
  const value = input.value
  if (value === undefined || value === null || typeof value === 'string') return value
  throw VaultErrors.notAString(name)
}

/** Names in order; a name given twice is a 422. */
export function namedSlotInputs (inputs: SlotInput[]): Array<{ name: string, input: SlotInput, value: string | null | undefined }> {
  const seen = new Set<string>()
  return inputs.map((input, index) => {
    const name = slotNameOf(input, index)
    if (seen.has(name)) throw VaultErrors.slotTwice(name)
    seen.add(name)
    return { name, input, value: slotValueOf(input, name) }
  })
}
