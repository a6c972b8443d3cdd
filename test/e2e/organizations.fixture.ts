// Fixture of the organization suites: a service whose platform admin is a person onboarded before start
// (config is frozen at start, so the admin's credentials device is made first and the service restarted),
// and a verb to send a job from a person's flow device to any device (an agent's, after login).
import { randomUUID } from 'node:crypto'
import type { ConfigOverrides } from '../../src/core/config.js'
import { startTestService, type TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'
import type { Envelope } from '../support/mqtt-device.js'

export const ADMIN_ACCOUNT = 'platform-admin'

/** A running service plus its platform admin, listed in platformAdmins by credentials-device uuid. */
export async function startWithPlatformAdmin (overrides: ConfigOverrides = {}): Promise<{ service: TestService, admin: Person }> {
  const first = await startTestService(overrides)
  const { credentialsUuid } = await first.endo.onboarding.upsertCredentialsDevice({ provider: 'test', accountId: ADMIN_ACCOUNT, username: 'admin', tokens: {} })
  await first.stop({ keepData: true })
  const service = await startTestService({ ...overrides, dataDir: first.dataDir, platformAdmins: [credentialsUuid] })
  const admin = await onboardPerson(service, { accountId: ADMIN_ACCOUNT, username: 'admin' })
  return { service, admin }
}

/** Sends a job from the person's flow device to `deviceUuid` and resolves with that device's reply. */
export async function sendJobTo (person: Person, deviceUuid: string, jobType: string, data: unknown): Promise<any> {
  const respondTo = randomUUID()
  await person.flow.client.publishAsync('message', JSON.stringify({ devices: [deviceUuid], metadata: { jobType, respondTo }, data }), { qos: 1 })
  const reply = await person.flow.next((e: Envelope) => e.topic === 'message' && e.data?.metadata?.to === respondTo, 15000)
  return reply.data
}

/** The reply's data, after checking its code (the reply's error message shows when it differs). */
export function expectCode (reply: any, code: number): any {
  expect({ code: reply.metadata?.code, error: reply.metadata?.error }).toEqual(expect.objectContaining({ code }))
  return reply.data
}

/** A validated organization requested by `owner`. */
export async function validatedOrganization (owner: Person, admin: Person, name: string): Promise<string> {
  const created = expectCode(await owner.sendJob('CreateOrganization', { name }), 201)
  expectCode(await admin.sendJob('ValidateOrganization', { organization_id: created.organization.id }), 200)
  return created.organization.id
}
