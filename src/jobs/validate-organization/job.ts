// ValidateOrganization: platform admins validate; the organization agent is created, its key kept inside.
import { defineJob } from '../../core/endo/job-definition.js'
import { agentKeyView } from '../../core/organizations/organization-views.js'
import type { ValidateOrganizationMessageData, ValidateOrganizationResponseData } from './types.js'

export default defineJob<ValidateOrganizationMessageData, ValidateOrganizationResponseData>(async ({ data, parties, services }) => {
  const { organization, publicKeyPem } = await services.organizations.organizations.validate(parties, data.organization_id)
  return { data: { organization, agent: agentKeyView(publicKeyPem) } }
})
