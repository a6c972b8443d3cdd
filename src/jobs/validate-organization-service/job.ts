// ValidateOrganizationService: platform admins validate; the service agent is created, its key kept inside.
import { defineJob } from '../../core/endo/job-definition.js'
import { agentKeyView } from '../../core/organizations/organization-views.js'
import type { ValidateOrganizationServiceMessageData, ValidateOrganizationServiceResponseData } from './types.js'

export default defineJob<ValidateOrganizationServiceMessageData, ValidateOrganizationServiceResponseData>(async ({ data, parties, services }) => {
  const { service, publicKeyPem } = await services.organizations.services.validate(parties, data.organization_id, data.service_id)
  return { data: { service, agent: agentKeyView(publicKeyPem) } }
})
