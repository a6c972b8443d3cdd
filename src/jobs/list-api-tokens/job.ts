// ListApiTokens: members see their organization's API tokens, never a secret.
import { defineJob } from '../../core/endo/job-definition.js'
import type { ListApiTokensMessageData, ListApiTokensResponseData } from './types.js'

export default defineJob<ListApiTokensMessageData, ListApiTokensResponseData>(async ({ data, parties, services }) => {
  return { data: { api_tokens: await services.acl.admin.list(parties, data.organization_id) } }
})
