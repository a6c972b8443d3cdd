// A person onboarded the real way: their own device A (the `owner`), the OAuth journey through the
// test provider, the user device U it answers with (connected over MQTT with U's token), and a flow
// device F that U lets send it jobs by adding F to its own message.from whitelist.
import { randomUUID } from 'node:crypto'
import type { TestService } from './test-service.js'
import { connectDevice, type Envelope, type MqttDevice } from './mqtt-device.js'
import { recordReceived } from './leak-scan.js'
import { Browser, type HttpAnswer } from './oidc-provider-browser.js'
import type { TestOidcProvider } from './oidc-provider.js'

export interface Device { uuid: string, token: string }

export interface OnboardedPerson {
  owner: Device
  browser: Browser
  /** The callback's answer. */
  answer: HttpAnswer
  user: Device
  credentialsUuid: string
  userClient: MqttDevice
  flow: Device
  flowClient: MqttDevice
  /** F sends `{devices:[to ?? U], metadata:{jobType, respondTo}, data}`; resolves with the reply message. */
  sendJob: (jobType: string, data: unknown, to?: string) => Promise<any>
  end: () => Promise<void>
}

export async function registerDevice (service: TestService, type: string): Promise<Device> {
  const { device, token } = await service.bus.register({ type })
  return { uuid: device.uuid, token }
}

export function basicAuth (device: Device): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${device.uuid}:${device.token}`).toString('base64')}` }
}

/** Sends a job from `flowClient` and waits for the reply whose metadata.to is its respondTo. */
export async function sendJobFrom (flowClient: MqttDevice, to: string, jobType: string, data: unknown, timeoutMs = 10_000): Promise<any> {
  const respondTo = randomUUID()
  await flowClient.client.publishAsync('message', JSON.stringify({ devices: [to], metadata: { jobType, respondTo }, data }), { qos: 1 })
  const reply = await flowClient.next((e: Envelope) => e.topic === 'message' && e.data?.metadata?.to === respondTo, timeoutMs)
  return reply.data
}

export async function onboardThroughProvider (service: TestService, oidc: TestOidcProvider, account: string, options: { owner?: Device, browser?: Browser } = {}): Promise<OnboardedPerson> {
  const owner = options.owner ?? await registerDevice(service, 'person')
  const browser = options.browser ?? new Browser()
  oidc.nextAccount = account
  const answer = await browser.onboard(service.httpUrl, { owner })
  recordReceived(answer.text)
  if (answer.status !== 201) throw new Error(`onboarding answered ${answer.status}: ${answer.text}`)
  const { uuid, token, credentialsUuid } = answer.json()
  const user = { uuid, token }
  const userClient = await connectDevice(service.mqttPort, user.uuid, user.token)
  const flow = await registerDevice(service, 'flow')
  const update = await userClient.request('update', { uuid: user.uuid, 'meshblu.whitelists.message.from': [{ uuid: owner.uuid }, { uuid: flow.uuid }] })
  if (update.topic === 'error') throw new Error(`U could not update its whitelist: ${JSON.stringify(update.data)}`)
  const flowClient = await connectDevice(service.mqttPort, flow.uuid, flow.token)
  return {
    owner,
    browser,
    answer,
    user,
    credentialsUuid,
    userClient,
    flow,
    flowClient,
    sendJob: async (jobType, data, to = user.uuid) => await sendJobFrom(flowClient, to, jobType, data),
    async end () { await Promise.all([userClient.end(), flowClient.end()]) },
  }
}
