// RemoveMember: owners remove a member; the last owner cannot be removed (409).
import { defineJob } from '../../core/endo/job-definition.js'
import type { RemoveMemberMessageData, RemoveMemberResponseData } from './types.js'

export default defineJob<RemoveMemberMessageData, RemoveMemberResponseData>(async ({ data, parties, services }) => {
  await services.organizations.members.remove(parties, data.organization_id, data.member_id)
  return { data: { organization_id: data.organization_id, member_id: data.member_id, deleted: true } }
})
