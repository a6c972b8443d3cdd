// CreateTemplate: a template of the person's own; 409 when the name is taken.
import { defineJob } from '../../core/endo/job-definition.js'
import type { CreateTemplateMessageData, CreateTemplateResponseData } from './types.js'

export default defineJob<CreateTemplateMessageData, CreateTemplateResponseData>(async ({ data, parties, services }) => {
  const t = await services.vault.templates.create(parties.credentialsUuid, data)
  return { code: 201, data: { template: { id: t.id, name: t.name, label: t.label, description: t.description, system: t.system, slots: t.slots } } }
})
