// `endo-vault start`, the README's first command, as a process: it comes up on embedded defaults (ports 0 here),
// serves HTTP and MQTT, says which GC profile it runs with, stops cleanly on SIGTERM, and refuses a bad setting
// with one line that names it. The bin runs the build in dist/, as users run it: `npm install` (CI's too) builds
// it; after an edit to src/, `npm run build` (the bin says so).
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import mqtt from 'mqtt'
import { LEAN_GC_FLAGS, resolveGcProfile } from '../../src/core/service/gc-profile.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const cli = path.join(root, 'bin/endo-vault.js')

interface Started {
  listening: { gcProfile: string, v8Flags: string[], msg: string }
  mqttPort: number
  httpPort: number
  stop: () => Promise<{ code: number | null, output: string }>
}

async function start (dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [cli, 'start'], {
    env: { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', MQTT_PORT: '0', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  const listening = await new Promise<Started['listening']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening within 60 s:\n${output}`)), 60_000)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const line = output.split('\n').find(l => l.includes('endo-vault listening'))
      if (line !== undefined) { clearTimeout(timer); resolve(JSON.parse(line)) }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then(code => { clearTimeout(timer); reject(new Error(`exited with ${String(code)} before listening:\n${output}`)) })
  })
  const ports = /mqtt:\/\/127\.0\.0\.1:(\d+) http:\/\/127\.0\.0\.1:(\d+)/.exec(listening.msg)
  if (ports === null) throw new Error(`no ports in: ${listening.msg}`)
  return {
    listening,
    mqttPort: Number(ports[1]),
    httpPort: Number(ports[2]),
    async stop () {
      child.kill('SIGTERM')
      return { code: await exited, output }
    },
  }
}

describe('endo-vault start', () => {
  let dataDir: string
  beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'endo-vault-start-')) })
  afterEach(() => { fs.rmSync(dataDir, { recursive: true, force: true }) })

  it('comes up on embedded defaults, serves HTTP and MQTT, and stops cleanly on SIGTERM', async () => {
    const service = await start(dataDir)
    try {
      const expected = resolveGcProfile('auto')
      expect(service.listening).toMatchObject({ gcProfile: expected, v8Flags: expected === 'lean' ? [...LEAN_GC_FLAGS] : [] })
      const status = await fetch(`http://127.0.0.1:${service.httpPort}/status`)
      expect(status.status).toBe(200)
      expect(await status.json()).toEqual({ meshblu: 'online' })
      // the service device's own credentials, as meshblu.json hands them to a client
      const { uuid, token } = JSON.parse(fs.readFileSync(path.join(dataDir, 'meshblu.json'), 'utf8')) as { uuid: string, token: string }
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${service.mqttPort}`, { username: uuid, password: token, reconnectPeriod: 0, protocolVersion: 4 })
      expect(client.connected).toBe(true)
      await client.endAsync()
      expect(fs.existsSync(path.join(dataDir, 'endo-vault.db'))).toBe(true)
    } finally {
      const stopped = await service.stop()
      expect(stopped.code).toBe(0)
      expect(stopped.output).toContain('endo-vault stopping')
    }
  }, 90_000)

  it('runs with V8\'s own GC threads when GC_PROFILE=parallel', async () => {
    const service = await start(dataDir, { GC_PROFILE: 'parallel' })
    expect(service.listening).toMatchObject({ gcProfile: 'parallel', v8Flags: [] })
    expect((await service.stop()).code).toBe(0)
  }, 90_000)

  async function refused (env: Record<string, string>): Promise<{ code: number | null, stderr: string }> {
    const child = spawn(process.execPath, [cli, 'start'], { env: { ...process.env, HOST: '127.0.0.1', MQTT_PORT: '0', PORT: '0', LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
    return { code, stderr }
  }

  it('refuses a bad setting with one line naming the option and its variable, and creates nothing', async () => {
    const missing = path.join(dataDir, 'never')
    const { code, stderr } = await refused({ DATA_DIR: missing, GC_PROFILE: 'fast', MQTT_PORT: 'x' })
    expect(code).toBe(1)
    expect(stderr).toBe('endo-vault: invalid configuration: mqttPort must be integer (environment: MQTT_PORT); gcProfile must be one of auto, lean, parallel (environment: GC_PROFILE)\n')
    expect(fs.existsSync(missing)).toBe(false)
  }, 60_000)

  it('refuses an OAuth provider without a client id the same way', async () => {
    const { code, stderr } = await refused({ DATA_DIR: dataDir, OAUTH_AUTHORIZATION_URL: 'https://idp.example/authorize' })
    expect(code).toBe(1)
    expect(stderr).toBe('endo-vault: invalid configuration: oauth.clientId is required when oauth.authorizationUrl is set (environment: OAUTH_CLIENT_ID)\n')
  }, 60_000)
})

describe('the endo-vault bin', () => {
  // a project of one source file beside copies of the bin and its check, so no real build is touched
  let project: string
  const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex')
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true })
    fs.writeFileSync(path.join(project, file), text)
  }
  const run = (): { status: number | null, stdout: string, stderr: string } => {
    const result = spawnSync(process.execPath, [path.join(project, 'bin/endo-vault.js'), 'start'], { encoding: 'utf8' })
    return { status: result.status, stdout: result.stdout, stderr: result.stderr }
  }
  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'endo-vault-bin-'))
    write('package.json', '{ "type": "module" }\n')
    for (const file of ['bin/endo-vault.js', 'scripts/build-freshness.js']) write(file, fs.readFileSync(path.join(root, file), 'utf8'))
    write('src/cli/main.ts', 'edited\n')
    write('dist/cli/main.js', "process.stdout.write('the compiled code ran\\n')\n")
  })
  afterEach(() => { fs.rmSync(project, { recursive: true, force: true }) })

  it('refuses to run before a build, naming the command that builds', () => {
    expect(run()).toEqual({ status: 1, stdout: '', stderr: 'endo-vault: dist/ has not been built: run `npm run build` (npm install runs it too)\n' })
  })

  it('refuses to run a build of other sources rather than run old code, naming the file that changed', () => {
    write('dist/build-info.json', JSON.stringify({ sources: { 'cli/main.ts': sha1('before the edit\n') } }))
    expect(run()).toEqual({ status: 1, stdout: '', stderr: 'endo-vault: dist/ is older than src/ (src/cli/main.ts changed): run `npm run build`\n' })
    write('src/jobs/new-job/job.ts', 'new\n')
    expect(run().stderr).toBe('endo-vault: dist/ is older than src/ (src/cli/main.ts changed, 2 files in all): run `npm run build`\n')
  })

  it('runs the compiled code when it was built from the sources that are there', () => {
    write('dist/build-info.json', JSON.stringify({ sources: { 'cli/main.ts': sha1('edited\n') } }))
    expect(run()).toEqual({ status: 0, stdout: 'the compiled code ran\n', stderr: '' })
  })
})
