// A person set up as the OAuth callback would: credentials device C, user device U, and a flow device F
// (connected over MQTT) allowed to send jobs to U. `sendJob` sends a job to U and waits for U's reply.
import { randomUUID } from 'node:crypto'
import type { TestService } from './test-service.js'
import { connectDevice, type Envelope, type MqttDevice } from './mqtt-device.js'

export interface Person {
  credentialsUuid: string
  user: { uuid: string, token: string }
  flow: MqttDevice
  /** Sends `{devices:[U], metadata:{jobType, respondTo}, data}` and resolves with U's reply message. */
  sendJob: (jobType: string, data: unknown, extraMetadata?: Record<string, unknown>) => Promise<any>
  end: () => Promise<void>
}

export async function onboardPerson (service: TestService, account: { accountId?: string, username?: string, profile?: Record<string, unknown> } = {}): Promise<Person> {
  const accountId = account.accountId ?? randomUUID()
  const { credentialsUuid } = await service.endo.onboarding.upsertCredentialsDevice({
    provider: 'test', accountId, username: account.username ?? `user-${accountId.slice(0, 6)}`, profile: account.profile ?? {}, tokens: {},
  })
  const flowDevice = await service.bus.register({ type: 'flow' })
  const user = await service.endo.onboarding.createUserDevice(credentialsUuid, { flows: [flowDevice.device.uuid] })
  const flow = await connectDevice(service.mqttPort, flowDevice.device.uuid, flowDevice.token)
  return {
    credentialsUuid,
    user,
    flow,
    async sendJob (jobType, data, extraMetadata = {}) {
      const respondTo = randomUUID()
      await flow.client.publishAsync('message', JSON.stringify({ devices: [user.uuid], metadata: { jobType, respondTo, ...extraMetadata }, data }), { qos: 1 })
      const reply = await flow.next((e: Envelope) => e.topic === 'message' && e.data?.metadata?.to === respondTo, 10000)
      return reply.data
    },
    async end () { await flow.end() },
  }
}
