// Item templates (meeco-vault §3): the seeded system templates and a person's own. Templates never change
// once created; an item clones its template's slots.
import { randomUUID } from 'node:crypto'
import type { Store } from '../store/database.js'
import type { VaultTemplateRow } from '../store/tables/vault.js'
import type { Template } from '../wire/schema-types.js'
import type { SlotTypeName, TemplateSlot } from './slot-types.js'
import { machineName } from './machine-name.js'
import { VaultErrors } from './vault-errors.js'
import { assertTemplateQuota, type VaultQuotas } from './vault-quota.js'

export interface TemplateInput {
  name?: string
  label: string
  description?: string
  slots?: Array<{ name?: string, label?: string, slot_type_name?: SlotTypeName }>
}

function viewOf (row: VaultTemplateRow): Template {
  return { id: row.id, name: row.name, label: row.label, description: row.description, system: row.owner_id === null, slots: JSON.parse(row.slots) }
}

export class Templates {
  constructor (private readonly store: Store, private readonly quotas: VaultQuotas) {}

  /** System templates, then the owner's, each by name. */
  async list (ownerId: string): Promise<Template[]> {
    const rows = await this.store.selectFrom('vault_templates').selectAll()
      .where(eb => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', ownerId)]))
      .execute()
    return rows.map(viewOf).sort((a, b) => Number(b.system) - Number(a.system) || a.name.localeCompare(b.name))
  }

  /** The owner's template of that name, else the system one; 404 when neither exists. */
  async find (ownerId: string, name: string): Promise<Template> {
    const rows = await this.store.selectFrom('vault_templates').selectAll().where('name', '=', name)
      .where(eb => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', ownerId)]))
      .execute()
    const row = rows.find(r => r.owner_id === ownerId) ?? rows[0]
    if (row === undefined) throw VaultErrors.templateNotFound()
    return viewOf(row)
  }

  async create (ownerId: string, input: TemplateInput): Promise<Template> {
    const name = input.name ?? machineName(input.label, 'template')
    const taken = await this.store.selectFrom('vault_templates').select('id').where('name', '=', name)
      .where(eb => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', ownerId)]))
      .executeTakeFirst()
    if (taken !== undefined) throw VaultErrors.templateExists()
    await assertTemplateQuota(this.store, ownerId, this.quotas)
    const slots = templateSlotsOf(input.slots ?? [])
    const row: VaultTemplateRow = {
      id: randomUUID(), owner_id: ownerId, name, label: input.label, description: input.description ?? '', slots: JSON.stringify(slots), created_at: new Date().toISOString(),
    }
    await this.store.insertInto('vault_templates').values(row).execute()
    return viewOf(row)
  }
}

function templateSlotsOf (inputs: NonNullable<TemplateInput['slots']>): TemplateSlot[] {
  const seen = new Set<string>()
  return inputs.map((input, index) => {
    const name = input.name ?? machineName(input.label ?? '', `slot_${index + 1}`)
    if (seen.has(name)) throw VaultErrors.slotTwice(name)
    seen.add(name)
    return { name, label: input.label ?? name, slot_type_name: input.slot_type_name ?? 'key_value' }
  })
}
