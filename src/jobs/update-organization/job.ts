// UpdateOrganization: its requester while requested, an owner once validated.
import { defineJob } from '../../core/endo/job-definition.js'
import type { UpdateOrganizationMessageData, UpdateOrganizationResponseData } from './types.js'

export default defineJob<UpdateOrganizationMessageData, UpdateOrganizationResponseData>(async ({ data, parties, services }) => {
  const { organization_id: id, ...changes } = data
  return { data: { organization: await services.organizations.organizations.update(parties, id, changes) } }
})
