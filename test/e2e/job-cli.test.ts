import fs from 'node:fs'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import { startTestService, type TestService } from '../support/test-service.js'

const run = promisify(execFile)
const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/endo-vault.js')

describe('endo-vault job, the command-line client', () => {
  let service: TestService
  let authFile: string
  let dataFile: string
  beforeAll(async () => {
    service = await startTestService()
    const { credentialsUuid } = await service.endo.onboarding.upsertCredentialsDevice({ provider: 'test', accountId: 'cli', username: 'cli-user', tokens: {} })
    const flow = await service.bus.register({ type: 'flow' })
    const user = await service.endo.onboarding.createUserDevice(credentialsUuid, { flows: [flow.device.uuid] })
    authFile = path.join(service.dataDir, 'device.json')
    fs.writeFileSync(authFile, JSON.stringify({ uuid: flow.device.uuid, token: flow.token, userUuid: user.uuid, hostname: '127.0.0.1', mqttPort: service.mqttPort }))
    dataFile = path.join(service.dataDir, 'echo.yaml')
    fs.writeFileSync(dataFile, 'text: hello from yaml\n')
  })
  afterAll(async () => { await service.stop() })

  it('sends a job over MQTT and prints the reply as YAML', async () => {
    const { stdout } = await run(process.execPath, [cli, 'job', 'Echo', '--data', dataFile, '--auth', authFile])
    expect(YAML.parse(stdout)).toMatchObject({ metadata: { code: 200, status: 'OK' }, data: { text: 'hello from yaml', username: 'cli-user' } })
  })

  it('exits non-zero on a 4xx reply and still prints it', async () => {
    const failure = await run(process.execPath, [cli, 'job', 'NoSuchJob', '--auth', authFile]).then(() => undefined, (error: { code: number, stdout: string }) => error)
    expect(failure?.code).toBe(1)
    expect(YAML.parse(failure?.stdout ?? '')).toMatchObject({ metadata: { code: 404 } })
  })

  it('lists the job types with their titles', async () => {
    const { stdout } = await run(process.execPath, [cli, 'jobs'])
    expect(stdout).toMatch(/^Echo\s+Echo$/m)
    expect(stdout).toMatch(/^CreateItem\s+\S/m)
  })
})
