// CreateOrganization: requests an organization; it stays `requested` until a platform admin validates it.
import { defineJob } from '../../core/endo/job-definition.js'
import { ORGANIZATION_KEY_CUSTODY } from '../../core/organizations/organization-views.js'
import type { CreateOrganizationMessageData, CreateOrganizationResponseData } from './types.js'

export default defineJob<CreateOrganizationMessageData, CreateOrganizationResponseData>(async ({ data, parties, credentials, services }) => {
  const organization = await services.organizations.organizations.create(parties, data, credentials.blob.username ?? null)
  return { code: 201, data: { organization, key_custody: ORGANIZATION_KEY_CUSTODY } }
})
