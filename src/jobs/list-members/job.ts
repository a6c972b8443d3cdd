// ListMembers: owners see the members and their roles.
import { defineJob } from '../../core/endo/job-definition.js'
import type { ListMembersMessageData, ListMembersResponseData } from './types.js'

export default defineJob<ListMembersMessageData, ListMembersResponseData>(async ({ data, parties, services }) => {
  return { data: await services.organizations.members.list(parties, data.organization_id) }
})
