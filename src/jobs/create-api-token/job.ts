// CreateApiToken: owners and admins make an API token under the role rules of intercoop-auroral B2 (secret shown once).
import { defineJob } from '../../core/endo/job-definition.js'
import type { CreateApiTokenMessageData, CreateApiTokenResponseData } from './types.js'

export default defineJob<CreateApiTokenMessageData, CreateApiTokenResponseData>(async ({ data, parties, services }) => {
  const { token, secret } = await services.acl.admin.create(parties, data.organization_id, {
    name: data.name, grantTypes: data.grant_types, acl: data.acl, expiresAt: data.expires_at,
  })
  return { code: 201, data: { api_token: token, secret } }
})
