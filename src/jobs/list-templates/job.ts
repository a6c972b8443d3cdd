// ListTemplates: the system templates and the person's own.
import { defineJob } from '../../core/endo/job-definition.js'
import type { ListTemplatesMessageData, ListTemplatesResponseData } from './types.js'

export default defineJob<ListTemplatesMessageData, ListTemplatesResponseData>(async ({ parties, services }) => {
  const templates = await services.vault.templates.list(parties.credentialsUuid)
  return { code: 200, data: { templates: templates.map(t => ({ id: t.id, name: t.name, label: t.label, description: t.description, system: t.system, slots: t.slots })) } }
})
