// CreateOrganizationService: owners and admins request a service of a validated organization.
import { defineJob } from '../../core/endo/job-definition.js'
import { SERVICE_KEY_CUSTODY } from '../../core/organizations/organization-views.js'
import type { CreateOrganizationServiceMessageData, CreateOrganizationServiceResponseData } from './types.js'

export default defineJob<CreateOrganizationServiceMessageData, CreateOrganizationServiceResponseData>(async ({ data, parties, services }) => {
  const { organization_id: organizationId, ...fields } = data
  const service = await services.organizations.services.create(parties, organizationId, fields)
  return { code: 201, data: { service, key_custody: SERVICE_KEY_CUSTODY } }
})
