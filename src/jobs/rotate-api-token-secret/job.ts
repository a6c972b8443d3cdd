// RotateApiTokenSecret: a new secret for the same key id; the old one works for the chosen grace period.
import { defineJob } from '../../core/endo/job-definition.js'
import type { RotateApiTokenSecretMessageData, RotateApiTokenSecretResponseData } from './types.js'

export default defineJob<RotateApiTokenSecretMessageData, RotateApiTokenSecretResponseData>(async ({ data, parties, services }) => {
  const { token, secret } = await services.acl.admin.rotate(parties, data.organization_id, data.keyid, data.grace_seconds)
  return { data: { api_token: token, secret } }
})
