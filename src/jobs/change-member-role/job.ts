// ChangeMemberRole: owners change a role; the last owner cannot be demoted (409).
import { defineJob } from '../../core/endo/job-definition.js'
import type { ChangeMemberRoleMessageData, ChangeMemberRoleResponseData } from './types.js'

export default defineJob<ChangeMemberRoleMessageData, ChangeMemberRoleResponseData>(async ({ data, parties, services }) => {
  return { data: { member: await services.organizations.members.changeRole(parties, data.organization_id, data.member_id, data.role) } }
})
