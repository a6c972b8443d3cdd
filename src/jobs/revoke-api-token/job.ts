// RevokeApiToken: owners, or the token's creator, end a token; it fails from the next call.
import { defineJob } from '../../core/endo/job-definition.js'
import type { RevokeApiTokenMessageData, RevokeApiTokenResponseData } from './types.js'

export default defineJob<RevokeApiTokenMessageData, RevokeApiTokenResponseData>(async ({ data, parties, services }) => {
  return { data: { api_token: await services.acl.admin.revoke(parties, data.organization_id, data.keyid) } }
})
