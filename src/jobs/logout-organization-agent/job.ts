// LogoutOrganizationAgent: the sending device may no longer act as the agent.
import { defineJob } from '../../core/endo/job-definition.js'
import type { LogoutOrganizationAgentMessageData, LogoutOrganizationAgentResponseData } from './types.js'

export default defineJob<LogoutOrganizationAgentMessageData, LogoutOrganizationAgentResponseData>(async ({ data, parties, services }) => {
  const login = await services.organizations.logins.logout(parties, data.organization_id, data.service_id)
  return { data: { agent_device_uuid: login.agentDeviceUuid, acts_as: login.actsAs } }
})
