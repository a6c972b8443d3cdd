// Slot types and a template's slots (meeco-vault §3). The system templates are seeded by
// store/migrations/003-vault-system-templates.ts.

export const SLOT_TYPES = [
  'key_value', 'bool', 'date', 'datetime', 'image', 'url', 'phone_number', 'email', 'password',
  'attachment', 'note_text', 'color', 'select', 'select_multiple',
] as const

/** Hints for showing a value (meeco-vault §3); the vault stores every value as encrypted text. */
export type SlotTypeName = typeof SLOT_TYPES[number]

export interface TemplateSlot {
  name: string
  label: string
  slot_type_name: SlotTypeName
}
