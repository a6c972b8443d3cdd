// Slot types and a template's slots (meeco-vault §3), as schemas/SlotTypeName.json and Template.json define them.
// The system templates are seeded by store/migrations/003-vault-system-templates.ts.
import type { Template } from '../wire/schema-types.js'

export type { SlotTypeName } from '../wire/schema-types.js'

export type TemplateSlot = Template['slots'][number]
