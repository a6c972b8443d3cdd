import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startTestService, type TestService } from '../support/test-service.js'
import { onboardPerson, type Person } from '../support/person.js'

const fixtureJobs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/jobs')
const ACCESS_TOKEN = 'provider-access-token-0123456789abcdef'
const REFRESH_TOKEN = 'provider-refresh-token-fedcba9876543210'

describe('meshblu-endo §5.5: job-level failures', () => {
  let service: TestService
  let person: Person
  beforeAll(async () => {
    service = await startTestService({}, { jobsDir: fixtureJobs })
    person = await onboardPerson(service, { username: 'carol' })
    await service.endo.credentials.update(person.credentialsUuid, blob => ({ ...blob, secrets: { credentials: { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN } } }))
  })
  afterAll(async () => { await person.end(); await service.stop() })

  describe('a job that throws a UserError', () => {
    it('is answered with its code and message', async () => {
      const reply = await person.sendJob('FailWithUserError', {})
      expect(reply.metadata).toMatchObject({ code: 409, status: 'Conflict', error: { message: 'that item is locked by another share' } })
      expect(reply.data).toBeUndefined()
    })
  })

  describe('a job with a bug whose error names a secret', () => {
    it('is answered 500 with a generic message', async () => {
      const reply = await person.sendJob('CrashWithSecret', {})
      expect(reply.metadata).toMatchObject({ code: 500, error: { message: 'Internal Server Error' } })
    })

    it('logs the failure without the secret', () => {
      const lines = service.logLines.filter(line => line.includes('job.failed') && line.includes('CrashWithSecret'))
      expect(lines.length).toBeGreaterThan(0)
      expect(lines.join('\n')).toContain('[redacted]')
      expect(service.logLines.join('\n')).not.toContain(ACCESS_TOKEN)
    })
  })

  describe('a job whose response falls outside its response schema', () => {
    it('is answered 500 and the blob it tried to return never leaves', async () => {
      const reply = await person.sendJob('LeakSecrets', {})
      expect(reply.metadata.code).toBe(500)
      expect(JSON.stringify(reply)).not.toContain(REFRESH_TOKEN)
      const bad = await person.sendJob('BadResponse', {})
      expect(bad.metadata.code).toBe(500)
    })
  })

  describe('a message without metadata', () => {
    it('is answered 422 saying metadata is missing', async () => {
      await person.flow.client.publishAsync('message', JSON.stringify({ devices: [person.user.uuid], data: {} }), { qos: 1 })
      const reply = await person.flow.next(e => e.topic === 'message' && e.data?.metadata?.code === 422)
      expect(reply.data.metadata.error.message).toBe('Message is missing required property "metadata"')
    })
  })

  describe('every failure', () => {
    it('is recorded on the user device status device, newest last', async () => {
      const user = (await service.bus.registry.get(person.user.uuid)) as any
      const status = (await service.bus.registry.get(user.statusDevice)) as any
      const codes = status.status.errors.map((e: any) => e.code)
      expect(codes).toEqual(expect.arrayContaining([409, 500, 422]))
      expect(JSON.stringify(status)).not.toContain(ACCESS_TOKEN)
    })

    it('leaves the service running and answering', async () => {
      const reply = await person.sendJob('FailWithUserError', {})
      expect(reply.metadata.code).toBe(409)
    })
  })
})
