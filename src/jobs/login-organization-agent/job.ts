// LoginOrganizationAgent: the sending device may then send vault jobs to the agent's device, as the agent.
import { defineJob } from '../../core/endo/job-definition.js'
import type { LoginOrganizationAgentMessageData, LoginOrganizationAgentResponseData } from './types.js'

export default defineJob<LoginOrganizationAgentMessageData, LoginOrganizationAgentResponseData>(async ({ data, parties, services }) => {
  const login = await services.organizations.logins.login(parties, data.organization_id, data.service_id)
  return { data: { agent_device_uuid: login.agentDeviceUuid, acts_as: login.actsAs } }
})
